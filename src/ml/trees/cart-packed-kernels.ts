/**
 * The inner loops of the packed CART (cart-packed.ts): position buffers, varying bits, partitions and
 * histogram passes. The passes for one to five ternary features are written out by hand on purpose:
 * each keeps its two sums per feature in locals (registers), which a loop over features in an array
 * cannot do in JavaScript; one pass over a node's rows then serves a whole batch of features.
 */
/** A tree's rows by position (see buildCartPacked) and the buffers its partitions use. */
export interface Positions {
  /** Positions per word stream: word q of position k is rows[q * stride + k]. */
  stride: number;
  W: number;
  mask: number;
  rows: Int32Array;
  pw: Int32Array;
  side: Uint8Array;
  /** The other pair of buffers: a partition writes the children's rows here (then swapBuffers). */
  scratchRows: Int32Array;
  scratchPw: Int32Array;
}

let lastPositions: Positions | undefined;

/** Position buffers for `n` vectors of W words: the previous tree's when they fit (one thread per module instance). */
export function positions(n: number, W: number, mask: number): Positions {
  const p = lastPositions;
  if (p !== undefined && p.stride === n && p.W === W && p.mask === mask) return p;
  lastPositions = {
    stride: n, W, mask, rows: new Int32Array(W * n), pw: new Int32Array(n), side: new Uint8Array(n), scratchRows: new Int32Array(W * n), scratchPw: new Int32Array(n),
  };
  return lastPositions;
}

/** Bits that vary among the rows at positions [start, end), per word (OR ^ AND), into `vary`. */
export function varyingBits(pos: Positions, start: number, end: number, vary: Int32Array): void {
  const { stride, W, rows } = pos;
  if (W === 2) {
    // Both words in one pass (the forest's hot case: 30 ternary features).
    let orA = 0;
    let andA = -1;
    let orB = 0;
    let andB = -1;
    for (let k = start; k < end; k++) {
      const a = rows[k]!;
      const b = rows[stride + k]!;
      orA |= a;
      andA &= a;
      orB |= b;
      andB &= b;
    }
    vary[0] = orA ^ andA;
    vary[1] = orB ^ andB;
    return;
  }
  for (let q = 0; q < W; q++) {
    const o = q * stride;
    let or = 0;
    let and = -1;
    for (let k = o + start, e = o + end; k < e; k++) {
      const v = rows[k]!;
      or |= v;
      and &= v;
    }
    vary[q] = or ^ and;
  }
}

/**
 * Branch-free partition of positions [start, end) into the other buffers (scratchRows / scratchPw):
 * rows whose field at (word offset `off`, shift `sh`) is <= bin go to the front, in order, the others
 * to the back, last first. Each row is written to both ends and the side it belongs to advances, so
 * there is no copy back; the caller swaps the buffers before it reads the children (swapBuffers).
 * Row order inside a node does not matter: every sum over a node's rows is a sum of integers.
 * Returns the end of the left part. Two words per row, one pass.
 */
export function partitionTwoWords(pos: Positions, start: number, end: number, off: number, sh: number, bin: number): number {
  const { stride: m, mask, rows, pw, scratchRows, scratchPw } = pos;
  // The split feature's word is the first (off 0) or the second: picked by masks, not a third load.
  const selB = off === 0 ? 0 : -1;
  const selA = ~selB;
  let i = start;
  let j = end - 1;
  for (let k = start; k < end; k++) {
    const a = rows[k]!;
    const b = rows[m + k]!;
    const p = pw[k]!;
    const right = (bin - ((((a & selA) | (b & selB)) >>> sh) & mask)) >>> 31;
    scratchRows[i] = a;
    scratchRows[m + i] = b;
    scratchPw[i] = p;
    scratchRows[j] = a;
    scratchRows[m + j] = b;
    scratchPw[j] = p;
    i += 1 - right;
    j -= right;
  }
  return i;
}

/** Swaps the position buffers with the scratch ones (after a partition, the children's rows are there). */
export function swapBuffers(pos: Positions): void {
  const rows = pos.rows;
  const pw = pos.pw;
  pos.rows = pos.scratchRows;
  pos.pw = pos.scratchPw;
  pos.scratchRows = rows;
  pos.scratchPw = pw;
}

/**
 * Moves the rows at positions [start, end) on one side of the split (right: field > bin) to the front,
 * in order, stable and branch-free; returns their number.
 */
export function compactSide(pos: Positions, start: number, end: number, off: number, sh: number, bin: number, right: boolean): number {
  const { stride: m, W, mask, rows, pw } = pos;
  const flip = right ? 0 : 1;
  let i = start;
  if (W === 2) {
    for (let k = start; k < end; k++) {
      const keep = ((bin - ((rows[off + k]! >>> sh) & mask)) >>> 31) ^ flip;
      rows[i] = rows[k]!;
      rows[m + i] = rows[m + k]!;
      pw[i] = pw[k]!;
      i += keep;
    }
    return i - start;
  }
  for (let k = start; k < end; k++) {
    const keep = ((bin - ((rows[off + k]! >>> sh) & mask)) >>> 31) ^ flip;
    for (let q = 0; q < W; q++) rows[q * m + i] = rows[q * m + k]!;
    pw[i] = pw[k]!;
    i += keep;
  }
  return i - start;
}

/** partitionTwoWords for any number of words per row: one pass per word. */
export function partitionWords(pos: Positions, start: number, end: number, off: number, sh: number, bin: number): number {
  const { stride: m, W, mask, rows, pw, side, scratchRows, scratchPw } = pos;
  for (let k = start; k < end; k++) side[k] = (bin - ((rows[off + k]! >>> sh) & mask)) >>> 31;
  let i = start;
  let j = end - 1;
  for (let k = start; k < end; k++) {
    const p = pw[k]!;
    const right = side[k]!;
    scratchPw[i] = p;
    scratchPw[j] = p;
    i += 1 - right;
    j -= right;
  }
  for (let q = 0; q < W; q++) {
    const o = q * m;
    let i = start;
    let j = end - 1;
    for (let k = start; k < end; k++) {
      const v = rows[o + k]!;
      const right = side[k]!;
      scratchRows[o + i] = v;
      scratchRows[o + j] = v;
      i += 1 - right;
      j -= right;
    }
  }
  return i;
}

/**
 * Weights of bins 1 and 2 of two features of at most 3 bins (fields at word offsets offA / offB,
 * shifts shA / shB) over positions [start, end), into out[o + 1], out[o + 2] and out[o + hs + 1],
 * out[o + hs + 2]. (b & 1) and (b >> 1) select a row's weight for bins 1 and 2: integer
 * sums in registers, no store-to-load chain through a histogram slot.
 */
export function ternaryPair(pos: Positions, start: number, end: number, offA: number, shA: number, offB: number, shB: number, out: Float64Array, o: number, hs: number): void {
  const { rows, pw, mask } = pos;
  let a1 = 0;
  let a2 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let k = start; k < end; k++) {
    const p = pw[k]!;
    const a = (rows[offA + k]! >>> shA) & mask;
    const b = (rows[offB + k]! >>> shB) & mask;
    a1 += p & -(a & 1);
    a2 += p & -(a >> 1);
    b1 += p & -(b & 1);
    b2 += p & -(b >> 1);
  }
  out[o + 1] = a1;
  out[o + 2] = a2;
  out[o + hs + 1] = b1;
  out[o + hs + 2] = b2;
}

/** ternaryPair for one feature. */
export function ternaryOne(pos: Positions, start: number, end: number, off: number, sh: number, out: Float64Array, o: number): void {
  const { rows, pw, mask } = pos;
  let s1 = 0;
  let s2 = 0;
  for (let k = start; k < end; k++) {
    const p = pw[k]!;
    const b = (rows[off + k]! >>> sh) & mask;
    s1 += p & -(b & 1);
    s2 += p & -(b >> 1);
  }
  out[o + 1] = s1;
  out[o + 2] = s2;
}

/**
 * Combined weights per bin of one feature over positions [start, end), in four interleaved
 * histograms (hist[c * H + bin], H = mask + 1) so that consecutive rows in one bin do not wait on each other.
 */
export function histogram(pos: Positions, start: number, end: number, off: number, sh: number, hist: Float64Array): void {
  const { rows, pw, mask } = pos;
  const H = mask + 1;
  hist.fill(0);
  let k = start;
  for (; k + 3 < end; k += 4) {
    hist[(rows[off + k]! >>> sh) & mask]! += pw[k]!;
    hist[H + ((rows[off + k + 1]! >>> sh) & mask)]! += pw[k + 1]!;
    hist[2 * H + ((rows[off + k + 2]! >>> sh) & mask)]! += pw[k + 2]!;
    hist[3 * H + ((rows[off + k + 3]! >>> sh) & mask)]! += pw[k + 3]!;
  }
  for (; k < end; k++) hist[(rows[off + k]! >>> sh) & mask]! += pw[k]!;
}

/** ternaryPair for three features. */
export function ternaryThree(pos: Positions, start: number, end: number, offA: number, shA: number, offB: number, shB: number, offC: number, shC: number,
  out: Float64Array, o: number, hs: number): void {
  const { rows, pw, mask } = pos;
  let a1 = 0;
  let a2 = 0;
  let b1 = 0;
  let b2 = 0;
  let c1 = 0;
  let c2 = 0;
  for (let k = start; k < end; k++) {
    const p = pw[k]!;
    const a = (rows[offA + k]! >>> shA) & mask;
    const b = (rows[offB + k]! >>> shB) & mask;
    const c = (rows[offC + k]! >>> shC) & mask;
    a1 += p & -(a & 1);
    a2 += p & -(a >> 1);
    b1 += p & -(b & 1);
    b2 += p & -(b >> 1);
    c1 += p & -(c & 1);
    c2 += p & -(c >> 1);
  }
  out[o + 1] = a1;
  out[o + 2] = a2;
  out[o + hs + 1] = b1;
  out[o + hs + 2] = b2;
  out[o + 2 * hs + 1] = c1;
  out[o + 2 * hs + 2] = c2;
}

/** ternaryPair for four features. */
export function ternaryQuad(pos: Positions, start: number, end: number, offA: number, shA: number, offB: number, shB: number, offC: number, shC: number,
  offD: number, shD: number, out: Float64Array, o: number, hs: number): void {
  const { rows, pw, mask } = pos;
  let a1 = 0;
  let a2 = 0;
  let b1 = 0;
  let b2 = 0;
  let c1 = 0;
  let c2 = 0;
  let d1 = 0;
  let d2 = 0;
  for (let k = start; k < end; k++) {
    const p = pw[k]!;
    const a = (rows[offA + k]! >>> shA) & mask;
    const b = (rows[offB + k]! >>> shB) & mask;
    const c = (rows[offC + k]! >>> shC) & mask;
    const d = (rows[offD + k]! >>> shD) & mask;
    a1 += p & -(a & 1);
    a2 += p & -(a >> 1);
    b1 += p & -(b & 1);
    b2 += p & -(b >> 1);
    c1 += p & -(c & 1);
    c2 += p & -(c >> 1);
    d1 += p & -(d & 1);
    d2 += p & -(d >> 1);
  }
  out[o + 1] = a1;
  out[o + 2] = a2;
  out[o + hs + 1] = b1;
  out[o + hs + 2] = b2;
  out[o + 2 * hs + 1] = c1;
  out[o + 2 * hs + 2] = c2;
  out[o + 3 * hs + 1] = d1;
  out[o + 3 * hs + 2] = d2;
}

/**
 * ternaryPair for five features (maxFeatures 'sqrt' of 30 features: a whole batch in one pass), for
 * rows whose weights sum below 2^31: every partial sum then fits an int32, so the sums are int32 adds
 * (`| 0`, exact here) instead of int-to-double conversions and double adds (a 100k-row forest fit 12%
 * faster on one thread).
 */
export function ternaryFive(pos: Positions, start: number, end: number, offA: number, shA: number, offB: number, shB: number, offC: number, shC: number,
  offD: number, shD: number, offE: number, shE: number, out: Float64Array, o: number, hs: number): void {
  const { rows, pw, mask } = pos;
  let a1 = 0;
  let a2 = 0;
  let b1 = 0;
  let b2 = 0;
  let c1 = 0;
  let c2 = 0;
  let d1 = 0;
  let d2 = 0;
  let e1 = 0;
  let e2 = 0;
  for (let k = start; k < end; k++) {
    const p = pw[k]!;
    const a = (rows[offA + k]! >>> shA) & mask;
    const b = (rows[offB + k]! >>> shB) & mask;
    const c = (rows[offC + k]! >>> shC) & mask;
    const d = (rows[offD + k]! >>> shD) & mask;
    const e = (rows[offE + k]! >>> shE) & mask;
    a1 = (a1 + (p & -(a & 1))) | 0;
    a2 = (a2 + (p & -(a >> 1))) | 0;
    b1 = (b1 + (p & -(b & 1))) | 0;
    b2 = (b2 + (p & -(b >> 1))) | 0;
    c1 = (c1 + (p & -(c & 1))) | 0;
    c2 = (c2 + (p & -(c >> 1))) | 0;
    d1 = (d1 + (p & -(d & 1))) | 0;
    d2 = (d2 + (p & -(d >> 1))) | 0;
    e1 = (e1 + (p & -(e & 1))) | 0;
    e2 = (e2 + (p & -(e >> 1))) | 0;
  }
  out[o + 1] = a1;
  out[o + 2] = a2;
  out[o + hs + 1] = b1;
  out[o + hs + 2] = b2;
  out[o + 2 * hs + 1] = c1;
  out[o + 2 * hs + 2] = c2;
  out[o + 3 * hs + 1] = d1;
  out[o + 3 * hs + 2] = d2;
  out[o + 4 * hs + 1] = e1;
  out[o + 4 * hs + 2] = e2;
}
