/**
 * The boosting fit's data passes shared among threads (large training sets only): histogram passes,
 * node partitions, gradients, and the score update after each tree (the last three: boost-steps.ts).
 *
 * A pass is cut into blocks that depend only on the data (root: runs of bins; the others: runs of rows
 * or vectors), so a model does not depend on how many threads ran it. The thread that grows the tree
 * (the lead) posts a command into shared memory and then claims blocks itself; helper threads
 * (pool workers running `boost.histHelper`) claim blocks of the same command from one shared counter.
 * A helper that is still starting, or busy elsewhere, just finds nothing left: the lead never waits
 * for a block nobody took.
 *
 * The claim word is one BigInt64: command number << 32 | block count << 16 | next block. A helper reads
 * the command's parameters after seeing its word and takes a block with a compare-and-swap on that
 * exact word, so it never works on a command that has moved on (the lead only posts the next command
 * after every claimed block of the current one is done).
 */
import { toShared } from '../parallel/pool.js';
import type { BoostData } from './boost-tree.js';
import type { SegmentTable } from './boost-steps.js';
import { gradientRange, partitionOut, placeBlock, scoreRange, segmentTable } from './boost-steps.js';
import { addMarginals, codeSums } from './boost-joint.js';

/** The arrays a helper reads (all on SharedArrayBuffers). */
export interface HistTeamShared {
  /** [0] claim word. */
  word: BigInt64Array;
  /** [KIND, START, END, BLOCK, QUIT, DONE, -, -, COUNT, FUSE]. */
  par: Int32Array;
  /** Row and partition passes: block b covers idx[blockFrom[b] .. blockTo[b]) (a batch may span several nodes). */
  blockFrom: Int32Array;
  blockTo: Int32Array;
  /** Partition passes: block b's column offset and bin threshold. */
  blockCol: Int32Array;
  blockThr: Int32Array;
  /** Column-major bins (the partition and score steps). */
  colBins: Uint8Array;
  sparsePtr: Int32Array;
  sparseBins: Uint16Array;
  binPtr: Int32Array;
  binRows: Int32Array;
  binOrder: Int32Array;
  /** Gradient/hessian pairs of the vectors, written by the lead between passes. */
  gh: Float64Array;
  /** Node row lists, rearranged by the lead between passes. */
  idx: Int32Array;
  /** Block b of a row pass writes blockHists[b * blockLength ..]. */
  blockHists: Float64Array;
  /** A block's sums: 2 × joint codes with joint codes, else histLength. */
  blockLength: number;
  /** The vectors' joint codes (boost-joint.ts; jointLength 0 when there are none): row passes sum these. */
  jointWords: Uint32Array;
  jointWidth: number;
  jointLength: number;
  margPtr: Int32Array;
  margBins: Uint16Array;
  /** The root pass writes its bins here. */
  rootOut: Float64Array;
  histLength: number;
  /** A partition block's rows, left ones then right ones reversed (at the block's own positions). */
  scratch: Int32Array;
  /** Rows that went left, per partition block. */
  leftCounts: Int32Array;
  /** Where partition block b's left rows ([2b]) and right rows ([2b + 1]) go in idx. */
  blockDst: Int32Array;
  /** The fit's per-vector state for the gradient and score steps (boost-steps.ts). */
  score: Float64Array;
  tot: Float64Array;
  pos: Float64Array;
  inSample: Uint8Array;
  segments: SegmentTable;
}

/** The per-vector arrays of a fit that the team's gradient and score steps read and write (shared). */
export interface TeamFitState {
  score: Float64Array;
  tot: Float64Array;
  pos: Float64Array;
  inSample: Uint8Array;
}

const KIND = 0;
const START = 1;
const END = 2;
const BLOCK = 3;
const QUIT = 4;
const DONE = 5;
const COUNT = 8;
const FUSE = 9;
const ROOT = 1;
const ROWS = 2;
const PART = 3;
const GRAD = 4;
const SCORE = 5;
const PLACE = 6;

/** Rows per block of a node pass (at least), and the most blocks one node's pass is cut into. */
export const ROW_BLOCK = 4096;
export const MAX_BLOCKS = 64;
/** The most blocks of one row or partition pass over several nodes (a longer batch runs as several passes). */
const BATCH_BLOCKS = 512;
/** Bins per block of the root pass (a multiple of 4: the root kernel sums four bins side by side). */
const ROOT_BLOCK = 8;
/**
 * Rows per block of a partition and vectors per block of the gradient and score steps (at least).
 * Their results do not depend on the blocks, so these may differ from ROW_BLOCK.
 */
export const STEP_BLOCK = 2048;
/** Segments the shared score table holds; a tree with more is scored by the lead alone. */
const SEGMENTS = 1024;
/**
 * Loads a waiting thread makes before it sleeps: the lead, of the done count (it has nothing else to
 * do, and a sleeping lead wakes tens of microseconds after the helper's last block); a helper, of the
 * low half of the claim word (a few microseconds: the next pass usually follows that soon).
 */
const LEAD_SPIN = 20_000;
const HELPER_SPIN = 2_000;

/**
 * Makes the shared state of a team for one fit. `fit` gives the per-vector arrays of the gradient and
 * score steps (shared); without it (histogram passes only) they are empty.
 */
export function histTeamShared(d: BoostData, gh: Float64Array, idx: Int32Array, histLength: number, fit?: TeamFitState): HistTeamShared {
  const share = toShared;
  const f64 = (len: number): Float64Array => new Float64Array(new SharedArrayBuffer(8 * len));
  const i32 = (len: number): Int32Array => new Int32Array(new SharedArrayBuffer(4 * len));
  const jc = d.joint;
  const blockLength = jc !== undefined ? 2 * jc.length : histLength;
  return {
    word: new BigInt64Array(new SharedArrayBuffer(8)), par: new Int32Array(new SharedArrayBuffer(4 * 10)),
    blockFrom: i32(BATCH_BLOCKS), blockTo: i32(BATCH_BLOCKS), blockCol: i32(BATCH_BLOCKS), blockThr: i32(BATCH_BLOCKS), colBins: share(d.colBins),
    sparsePtr: share(d.sparsePtr), sparseBins: share(d.sparseBins), binPtr: share(d.binPtr), binRows: share(d.binRows), binOrder: share(d.binOrder),
    gh, idx, blockHists: f64(BATCH_BLOCKS * blockLength), rootOut: f64(histLength), histLength, blockLength,
    jointWords: share(jc?.words ?? new Uint32Array(0)), jointWidth: jc?.width ?? 0, jointLength: jc?.length ?? 0,
    margPtr: share(jc?.margPtr ?? new Int32Array(0)), margBins: share(jc?.margBins ?? new Uint16Array(0)),
    scratch: i32(d.n), leftCounts: i32(BATCH_BLOCKS), blockDst: i32(2 * BATCH_BLOCKS),
    score: fit?.score ?? f64(0), tot: fit?.tot ?? f64(0), pos: fit?.pos ?? f64(0), inSample: fit?.inSample ?? new Uint8Array(new SharedArrayBuffer(0)),
    segments: segmentTable(SEGMENTS, true),
  };
}

/** Block size and count of a step over `len` items, blocks of at least `min`. */
function blocksOf(len: number, min: number): { size: number; nb: number } {
  const size = Math.max(min, Math.ceil(len / MAX_BLOCKS));
  return { size, nb: Math.ceil(len / size) };
}

/** Takes the next block of the current command, or -1 when none is left. */
function claim(s: HistTeamShared): number {
  for (;;) {
    const c = Atomics.load(s.word, 0);
    const next = Number(c & 0xffffn);
    if (next >= Number((c >> 16n) & 0xffffn)) return -1;
    if (Atomics.compareExchange(s.word, 0, c, c + 1n) === c) return next;
  }
}

/** Block `b` of the current command. */
function runBlock(s: HistTeamShared, b: number): void {
  const par = s.par;
  const kind = par[KIND]!;
  const size = par[BLOCK]!;
  if (kind === ROOT) {
    const q0 = b * size;
    rootBins(s.binPtr, s.binRows, s.binOrder, s.gh, s.rootOut, q0, Math.min(s.binOrder.length, q0 + size));
    return;
  }
  if (kind === PART) {
    s.leftCounts[b] = partitionOut(s.colBins, s.blockCol[b]!, s.blockThr[b]!, s.idx, s.scratch, s.blockFrom[b]!, s.blockTo[b]!);
    return;
  }
  if (kind === PLACE) {
    placeBlock(s.scratch, s.idx, s.blockFrom[b]!, s.blockTo[b]!, s.leftCounts[b]!, s.blockDst[2 * b]!, s.blockDst[2 * b + 1]!);
    return;
  }
  if (kind === ROWS) {
    rowPass(s, s.blockFrom[b]!, s.blockTo[b]!, s.blockHists.subarray(b * s.blockLength, (b + 1) * s.blockLength));
    return;
  }
  const from = par[START]! + b * size;
  const to = Math.min(par[END]!, from + size);
  if (kind === GRAD) {
    gradientRange(s.score, s.tot, s.pos, s.gh, s.inSample, from, to, par[FUSE] === 1);
    return;
  }
  scoreRange(s.segments, par[COUNT]!, s.idx, s.colBins, s.score, from, to, par[FUSE] === 1 ? s.gh : undefined);
}

/**
 * The sums of one block of a row pass over idx[start .. end) into `out` (zeroed first): per joint code
 * with joint codes, else per non-default bin.
 */
function rowPass(s: HistTeamShared, start: number, end: number, out: Float64Array): void {
  out.fill(0);
  if (s.jointLength > 0) codeSums(s.jointWords, s.jointWidth, s.idx, start, end, s.gh, out);
  else rowSums(s.sparsePtr, s.sparseBins, s.idx, start, end, s.gh, out);
}

/**
 * Adds each row's (g, h) to the bins of its non-default entries: rows idx[start..end). The hot loop of
 * the boosting fit, inlined by hand.
 */
export function rowSums(ptr: Int32Array, sb: Uint16Array, idx: Int32Array, start: number, end: number, gh: Float64Array, hist: Float64Array): void {
  for (let k = start; k < end; k++) {
    const u = idx[k]!;
    const gu = gh[2 * u]!;
    const hu = gh[2 * u + 1]!;
    const e = ptr[u + 1]!;
    for (let j = ptr[u]!; j < e; j++) {
      const b = 2 * sb[j]!;
      hist[b]! += gu;
      hist[b + 1]! += hu;
    }
  }
}

/** Sum of gh[2u + c] over u = rows[from .. to), in order, started at +0. */
function listSum(rows: Int32Array, from: number, to: number, gh: Float64Array, c: number): number {
  let s = 0;
  for (let j = from; j < to; j++) s += gh[2 * rows[j]! + c]!;
  return s;
}

/**
 * The root sums of the bins ord[q0 .. q1), bin by bin over the by-bin lists: each bin's sum runs over
 * its vectors in ascending order. Four bins of similar list length (ord is by decreasing length) are
 * summed side by side: each sum is a chain of dependent additions, and interleaving four lets them
 * overlap; every bin keeps its own order, so the sums do not depend on how the bins are grouped.
 */
export function rootBins(ptr: Int32Array, rows: Int32Array, ord: Int32Array, gh: Float64Array, hist: Float64Array, q0: number, q1: number): void {
  let q = q0;
  for (; q + 3 < q1; q += 4) {
    const b0 = ord[q]!;
    const b1 = ord[q + 1]!;
    const b2 = ord[q + 2]!;
    const b3 = ord[q + 3]!;
    const s0 = ptr[b0]!;
    const s1 = ptr[b1]!;
    const s2 = ptr[b2]!;
    const s3 = ptr[b3]!;
    // b3's list is the shortest.
    const len = ptr[b3 + 1]! - s3;
    let g0 = 0;
    let h0 = 0;
    let g1 = 0;
    let h1 = 0;
    let g2 = 0;
    let h2 = 0;
    let g3 = 0;
    let h3 = 0;
    for (let k = 0; k < len; k++) {
      const u0 = 2 * rows[s0 + k]!;
      const u1 = 2 * rows[s1 + k]!;
      const u2 = 2 * rows[s2 + k]!;
      const u3 = 2 * rows[s3 + k]!;
      g0 += gh[u0]!;
      h0 += gh[u0 + 1]!;
      g1 += gh[u1]!;
      h1 += gh[u1 + 1]!;
      g2 += gh[u2]!;
      h2 += gh[u2 + 1]!;
      g3 += gh[u3]!;
      h3 += gh[u3 + 1]!;
    }
    for (let k = s0 + len; k < ptr[b0 + 1]!; k++) {
      const u = 2 * rows[k]!;
      g0 += gh[u]!;
      h0 += gh[u + 1]!;
    }
    for (let k = s1 + len; k < ptr[b1 + 1]!; k++) {
      const u = 2 * rows[k]!;
      g1 += gh[u]!;
      h1 += gh[u + 1]!;
    }
    for (let k = s2 + len; k < ptr[b2 + 1]!; k++) {
      const u = 2 * rows[k]!;
      g2 += gh[u]!;
      h2 += gh[u + 1]!;
    }
    hist[2 * b0] = g0;
    hist[2 * b0 + 1] = h0;
    hist[2 * b1] = g1;
    hist[2 * b1 + 1] = h1;
    hist[2 * b2] = g2;
    hist[2 * b2 + 1] = h2;
    hist[2 * b3] = g3;
    hist[2 * b3 + 1] = h3;
  }
  for (; q < q1; q++) {
    const b = ord[q]!;
    hist[2 * b] = listSum(rows, ptr[b]!, ptr[b + 1]!, gh, 0);
    hist[2 * b + 1] = listSum(rows, ptr[b]!, ptr[b + 1]!, gh, 1);
  }
}

/** A row segment idx[start .. end) and the histogram its sums go to. */
export interface HistSegment {
  start: number;
  end: number;
  hist: Float64Array;
}

/** A row segment idx[start .. end) to partition on bin <= thr in the column at colBins offset col. */
export interface PartSegment {
  col: number;
  thr: number;
  start: number;
  end: number;
}

/** The lead's side of a team: posts passes and takes part in them. */
export class HistTeam {
  private seq = 0n;
  /** Blocks per segment of the batch being run. */
  private readonly counts: number[] = [];
  /** Blocks of the root pass when it has been posted and not yet joined, else 0. */
  private rootBlocks = 0;
  /** A segment's joint sums, its blocks added (joint codes only). */
  private readonly jointSum: Float64Array;

  constructor(readonly shared: HistTeamShared) {
    this.jointSum = new Float64Array(shared.jointLength > 0 ? shared.blockLength : 0);
  }

  /**
   * The non-default bins of the histogram of idx[start .. end) into `hist` (the default bins zero): a
   * segment of at least two ROW_BLOCKs by the team, a shorter one by the lead alone, with the sums one
   * block of a team pass makes.
   */
  segment(start: number, end: number, hist: Float64Array): void {
    if (end - start >= 2 * ROW_BLOCK) {
      this.rowsMany([{ start, end, hist }]);
      return;
    }
    const s = this.shared;
    if (s.jointLength === 0) {
      rowPass(s, start, end, hist);
      return;
    }
    rowPass(s, start, end, this.jointSum);
    addMarginals(s.margPtr, s.margBins, this.jointSum, hist);
  }

  /**
   * Posts the root pass, so the helpers start on it while the lead does other work: that work must not
   * write gh, and `root` must follow before any other pass. Does nothing when it is already posted, or
   * with joint codes (their root is a row pass that `root` runs).
   */
  postRoot(): void {
    if (this.rootBlocks > 0 || this.shared.jointLength > 0) return;
    const s = this.shared;
    s.rootOut.fill(0);
    const nb = Math.ceil(s.binOrder.length / ROOT_BLOCK);
    this.post(ROOT, 0, 0, ROOT_BLOCK, nb);
    this.rootBlocks = nb;
  }

  /** The root histogram (the rows idx[0 .. m)): its non-default bins into `hist`, its default bins zero. */
  root(hist: Float64Array, m: number): void {
    if (this.shared.jointLength > 0) {
      this.rowsMany([{ start: 0, end: m, hist }]);
      return;
    }
    this.postRoot();
    const nb = this.rootBlocks;
    this.rootBlocks = 0;
    this.join(nb);
    hist.set(this.shared.rootOut);
  }

  /**
   * Histograms of several row segments in one pass (or a few, when their blocks do not fit one):
   * segment i is idx[segs[i].start .. segs[i].end), summed into segs[i].hist. A segment of at least two
   * ROW_BLOCKs is cut into blocks added in order, a shorter one is one block: a segment's sums do not
   * depend on the other segments of its batch.
   */
  rowsMany(segs: readonly HistSegment[]): void {
    const s = this.shared;
    const counts = this.counts;
    counts.length = 0;
    let nb = 0;
    let first = 0;
    for (let i = 0; i < segs.length; i++) {
      const { start, end } = segs[i]!;
      const { size, nb: k } = end - start >= 2 * ROW_BLOCK ? blocksOf(end - start, ROW_BLOCK) : { size: end - start, nb: 1 };
      if (nb + k > BATCH_BLOCKS) {
        this.sumBatch(segs, first, i, nb);
        first = i;
        nb = 0;
      }
      counts.push(k);
      for (let b = 0; b < k; b++) {
        s.blockFrom[nb] = start + b * size;
        s.blockTo[nb++] = Math.min(end, start + (b + 1) * size);
      }
    }
    this.sumBatch(segs, first, segs.length, nb);
  }

  /**
   * Runs the row pass of the nb blocks listed, and adds each of segs[i0 .. i1)'s blocks into its
   * histogram (with joint codes: into the segment's joint sums, then those into its bins).
   */
  private sumBatch(segs: readonly HistSegment[], i0: number, i1: number, nb: number): void {
    const s = this.shared;
    if (nb > 0) this.pass(ROWS, 0, 0, 0, nb);
    const L = s.blockLength;
    const joint = s.jointLength > 0;
    const bh = s.blockHists;
    let b = 0;
    for (let i = i0; i < i1; i++) {
      const hist = segs[i]!.hist;
      const b1 = b + this.counts[i]!;
      const first = bh.subarray(b * L, (b + 1) * L);
      // One block: its sums are the segment's (with joint codes, straight into the bins).
      const sum = !joint ? hist : b1 - b === 1 ? first : this.jointSum;
      if (sum !== first) sum.set(first);
      for (b++; b < b1; b++) {
        const o = b * L;
        for (let j = 0; j < L; j++) sum[j]! += bh[o + j]!;
      }
      if (joint) addMarginals(s.margPtr, s.margBins, sum, hist);
    }
  }

  /**
   * Stable partitions of several segments in one pass (or a few): segment i, idx[p.start .. p.end), on
   * bin <= p.thr in the column at offset p.col (the same order as one sequential pass); returns, per
   * segment, where the rows that go right start.
   */
  partitionMany(parts: readonly PartSegment[]): number[] {
    const s = this.shared;
    const mids: number[] = [];
    const counts = this.counts;
    counts.length = 0;
    let nb = 0;
    let first = 0;
    for (let i = 0; i < parts.length; i++) {
      const { col, thr, start, end } = parts[i]!;
      const { size, nb: k } = blocksOf(end - start, STEP_BLOCK);
      if (nb + k > BATCH_BLOCKS) {
        this.splitBatch(parts, first, i, nb, mids);
        first = i;
        nb = 0;
      }
      counts.push(k);
      for (let b = 0; b < k; b++) {
        s.blockFrom[nb] = start + b * size;
        s.blockTo[nb] = Math.min(end, start + (b + 1) * size);
        s.blockCol[nb] = col;
        s.blockThr[nb++] = thr;
      }
    }
    this.splitBatch(parts, first, parts.length, nb, mids);
    return mids;
  }

  /**
   * Runs the partition pass of the nb blocks listed, then a pass that places each of parts[i0 .. i1)'s
   * rows into idx: left rows, then right, each side in its blocks' order.
   */
  private splitBatch(parts: readonly PartSegment[], i0: number, i1: number, nb: number, mids: number[]): void {
    const s = this.shared;
    if (nb > 0) this.pass(PART, 0, 0, 0, nb);
    const { leftCounts, blockFrom, blockTo, blockDst } = s;
    let b = 0;
    for (let i = i0; i < i1; i++) {
      const b1 = b + this.counts[i]!;
      let at = parts[i]!.start;
      for (let c = b; c < b1; c++) {
        blockDst[2 * c] = at;
        at += leftCounts[c]!;
      }
      mids.push(at);
      for (let c = b; c < b1; c++) {
        blockDst[2 * c + 1] = at;
        at += blockTo[c]! - blockFrom[c]! - leftCounts[c]!;
      }
      b = b1;
    }
    if (nb > 0) this.pass(PLACE, 0, 0, 0, nb);
  }

  /**
   * Gradients, hessians and in-sample flags of every vector (boost-steps.ts gradientRange; with
   * `addLeaf`, after a fused score pass).
   */
  gradients(addLeaf = false): void {
    const n = this.shared.score.length;
    this.shared.par[FUSE] = addLeaf ? 1 : 0;
    const { size, nb } = blocksOf(n, STEP_BLOCK);
    this.pass(GRAD, 0, n, size, nb);
  }

  /**
   * Adds a tree to the scores of the rows at idx[0..m): `fill` writes the tree's segments into the
   * given table and returns their count, or -1 when they do not fit (then the caller scores alone).
   * Returns false in that case. With `fuse`, the rows' gradients follow from their new scores: the
   * score pass leaves each row's leaf value in gh, and a gradient pass in vector order adds it
   * (boost-steps.ts scoreRange, gradientRange).
   */
  score(m: number, fill: (t: SegmentTable) => number, fuse: boolean): boolean {
    const s = this.shared;
    const count = fill(s.segments);
    if (count < 0) return false;
    s.par[COUNT] = count;
    s.par[FUSE] = fuse ? 1 : 0;
    const { size, nb } = blocksOf(m, STEP_BLOCK);
    this.pass(SCORE, 0, m, size, nb);
    if (fuse) this.gradients(true);
    return true;
  }

  /** Lets the helpers return (their jobs end). */
  stop(): void {
    const s = this.shared;
    Atomics.store(s.par, QUIT, 1);
    this.seq++;
    Atomics.store(s.word, 0, this.seq << 32n);
    Atomics.notify(s.word, 0);
  }

  private pass(kind: number, start: number, end: number, size: number, nb: number): void {
    this.post(kind, start, end, size, nb);
    this.join(nb);
  }

  /** Posts a command of `nb` blocks for the helpers. */
  private post(kind: number, start: number, end: number, size: number, nb: number): void {
    const s = this.shared;
    const par = s.par;
    par[KIND] = kind;
    par[START] = start;
    par[END] = end;
    par[BLOCK] = size;
    Atomics.store(par, DONE, 0);
    this.seq++;
    Atomics.store(s.word, 0, (this.seq << 32n) | (BigInt(nb) << 16n));
    Atomics.notify(s.word, 0);
  }

  /** Takes the posted command's blocks that are left, then waits until all `nb` are done. */
  private join(nb: number): void {
    const s = this.shared;
    const par = s.par;
    for (let b = claim(s); b >= 0; b = claim(s)) {
      runBlock(s, b);
      Atomics.add(par, DONE, 1);
    }
    // Blocks a helper took: wait for them (a helper notifies after each).
    let spins = 0;
    for (let done = Atomics.load(par, DONE); done < nb; done = Atomics.load(par, DONE)) {
      if (++spins < LEAD_SPIN) continue;
      Atomics.wait(par, DONE, done, 50);
    }
  }
}

/** A helper thread's loop: takes blocks of every command until the lead stops the team. */
export function histHelper(s: HistTeamShared): number {
  let blocks = 0;
  // The claim word's low 32 bits (little-endian): block count << 16 | next block; cheap to poll.
  const low = new Int32Array(s.word.buffer, 0, 1);
  for (;;) {
    if (Atomics.load(s.par, QUIT) === 1) return blocks;
    let c = Atomics.load(s.word, 0);
    if (Number(c & 0xffffn) >= Number((c >> 16n) & 0xffffn)) {
      // Poll for a while first: the next step usually follows within microseconds, sooner than a
      // sleeping thread wakes.
      let v = Atomics.load(low, 0);
      for (let i = 0; i < HELPER_SPIN && (v & 0xffff) >= v >>> 16; i++) v = Atomics.load(low, 0);
      if ((v & 0xffff) >= v >>> 16) {
        Atomics.wait(s.word, 0, c, 1000);
        continue;
      }
      c = Atomics.load(s.word, 0);
    }
    const next = Number(c & 0xffffn);
    if (next >= Number((c >> 16n) & 0xffffn)) continue;
    if (Atomics.compareExchange(s.word, 0, c, c + 1n) !== c) continue;
    runBlock(s, next);
    blocks++;
    Atomics.add(s.par, DONE, 1);
    Atomics.notify(s.par, DONE);
  }
}
