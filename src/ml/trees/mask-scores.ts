/**
 * Batch scoring with sorted rows and sparse row bit masks.
 *
 * 1. Rows are binned once (Uint8, a few compares per feature) and put in lexicographic order of their
 *    bins, the most important features first (a radix sort; the caller's row order is restored on
 *    output). Neighbouring rows then share most of their paths through every tree.
 * 2. Blocks of up to 4,096 sorted rows walk each tree together as a bit mask of "rows that reach this
 *    node": 128 words of 32 rows plus an occupancy mask of the non-zero words, so only those are
 *    touched. A split is one AND per occupied word (right = reach & gt, left = reach ^ right), written
 *    branch-free into the two children's masks, so a node deep in a tree that only a few neighbouring
 *    rows reach costs one or two word operations, and a subtree no row reaches is never visited.
 * 3. At a leaf, its value is added to each row of its mask; leaves of value 0 (pure class-0 leaves of
 *    a forest) are skipped, since adding 0 changes no sum.
 *
 * Each row still gets its leaf values added tree by tree in tree order, so the sums — and the scores —
 * are bit-identical to the scalar walk in flat-forest.ts, whatever the order, block or thread.
 *
 * Measured (CPU time, one thread, the bench's 220k marginal rows; before → after this file): forest of
 * 100 full-depth trees 1.3 s → 0.14 s, boosting of 300 depth-6 trees 0.66 s → 0.22 s (its scoring
 * form, scoring-forest.ts), plus 35 ms for binning and sorting. Unsorted rows in blocks of 256 with
 * dense masks (the previous walk) visit nearly every upper node per block; a per-block sort instead of
 * a global one loses about a third of the gain. Against (word, bits) lists of the occupied words,
 * occupancy masks saved 8% on boosting; skipping value-0 leaves saved 16% on the forest; building the
 * condition masks in registers saved 14 ms (forest) and 6 ms (boosting).
 */
import type { Matrix } from '../../core/matrix.js';
import type { BinMapper } from './binning.js';
import type { FlatForest } from './flat-forest.js';

/** Most cut points a feature may have for the mask path (building the masks costs this per value). */
export const MASK_MAX_EDGES = 8;

/** Int32 words per block: 128 x 32 = 4,096 rows walk each tree together. */
export const MASK_WORDS = 128;
/** Rows per block. Thread chunks are multiples of it. */
export const MASK_BLOCK = 32 * MASK_WORDS;

/** Features in the sort key (most important first); enough to order 10^6 rows finely. */
const SORT_FEATURES = 15;

/** What the mask walk needs, derived once per model. */
export interface MaskPlan {
  /** Per node: index of its condition mask (offsets[f] + thresholdBin; `zero` when never true), -1 at leaves. */
  cond: Int32Array;
  /** Index of an always-zero mask (a threshold at or above the feature's last bin). */
  zero: number;
  /** Stack entries a walk can need: the deepest tree's depth + 1. */
  stack: number;
  /** Per node: 1 for a leaf of value exactly 0 (adding it changes no sum, so the walk skips it). */
  skip: Uint8Array;
  /** Features of the sort key, most important (by split gain, else by split count) first. */
  order: Int32Array;
}

/** Rows binned and sorted for the mask walk. */
export interface SortedRows {
  /** bins[i * stride + f]: bin of feature f of the i-th row in sorted order. */
  bins: Uint8Array;
  /** Bytes per row: cols rounded up to whole int32 words (rows move as words). */
  stride: number;
  /** perm[i]: the caller's index of the i-th sorted row. */
  perm: Int32Array;
  cols: number;
}

/** Features ranked by total split gain (or split count when gains are absent), used ones only. */
function featureOrder(forest: FlatForest, mapper: BinMapper): Int32Array {
  const weight = new Float64Array(mapper.nFeatures);
  const { feature, gain } = forest;
  const useGain = gain.length === feature.length;
  for (let k = 0; k < feature.length; k++) {
    const f = feature[k]!;
    if (f >= 0) weight[f]! += useGain ? gain[k]! + 1e-12 : 1;
  }
  const used: number[] = [];
  for (let f = 0; f < weight.length; f++) if (weight[f]! > 0 && mapper.offsets[f + 1]! > mapper.offsets[f]!) used.push(f);
  used.sort((a, b) => weight[b]! - weight[a]! || a - b);
  return Int32Array.from(used.slice(0, SORT_FEATURES));
}

/** The plan for a model, or null when some feature has too many cut points for masks to pay off. */
export function maskPlan(forest: FlatForest, mapper: BinMapper): MaskPlan | null {
  const offs = mapper.offsets;
  for (let f = 0; f < mapper.nFeatures; f++) if (offs[f + 1]! - offs[f]! > MASK_MAX_EDGES) return null;
  const zero = offs[mapper.nFeatures]!;
  const { feature, thresholdBin } = forest;
  const cond = new Int32Array(feature.length);
  for (let k = 0; k < feature.length; k++) {
    const f = feature[k]!;
    if (f < 0) cond[k] = -1;
    else cond[k] = thresholdBin[k]! < offs[f + 1]! - offs[f]! ? offs[f]! + thresholdBin[k]! : zero;
  }
  const skip = new Uint8Array(feature.length);
  for (let k = 0; k < feature.length; k++) if (feature[k]! < 0 && forest.value[k] === 0) skip[k] = 1;
  // Depth of every tree by an explicit walk from its root (node order within a tree is not assumed).
  let deepest = 0;
  const todo: number[] = [];
  for (let t = 0; t < forest.roots.length; t++) {
    todo.push(forest.roots[t]!, 0);
    while (todo.length > 0) {
      const d = todo.pop()!;
      const k = todo.pop()!;
      if (d > deepest) deepest = d;
      if (feature[k]! >= 0) todo.push(forest.left[k]!, d + 1, forest.left[k]! + 1, d + 1);
    }
  }
  return { cond, zero, stack: deepest + 1, skip, order: featureOrder(forest, mapper) };
}

/**
 * Bins every row of X (row-major, `stride` bytes per row; bin = cut points strictly below the value).
 * With `key`, also writes each row's sort key: its bins of key.features as one mixed-radix number, the
 * first feature most significant (computed while the row is still in cache).
 */
export function binRows(X: Matrix, mapper: BinMapper, stride: number, key?: { features: Int32Array; radix: Int32Array; out: Int32Array }, shared = false): Uint8Array {
  const { rows, cols, data } = X;
  const offs = mapper.offsets;
  // Every feature's cut points padded to the same count K with +Infinity: a fixed number of
  // branch-free compares per value (+(a > b) compiles to a flag read; `a > b ? 1 : 0` to a badly
  // predicted branch, 2.5x slower here).
  let K = 0;
  for (let f = 0; f < cols; f++) K = Math.max(K, offs[f + 1]! - offs[f]!);
  const pad = new Float64Array(cols * K).fill(Infinity);
  for (let f = 0; f < cols; f++) for (let k = offs[f]!; k < offs[f + 1]!; k++) pad[f * K + k - offs[f]!] = mapper.edges[k]!;
  const out = new Uint8Array(shared ? new SharedArrayBuffer(rows * stride) : new ArrayBuffer(rows * stride));
  const kf = key?.features ?? new Int32Array(0);
  const kr = key?.radix ?? new Int32Array(0);
  const keys = key?.out ?? new Int32Array(0);
  const nk = kf.length;
  for (let r = 0; r < rows; r++) {
    const o = r * stride;
    const x = r * cols;
    if (K === 2) {
      for (let f = 0; f < cols; f++) {
        const v = data[x + f]!;
        out[o + f] = +(v > pad[2 * f]!) + +(v > pad[2 * f + 1]!);
      }
    } else if (K > 0) {
      for (let f = 0; f < cols; f++) {
        const v = data[x + f]!;
        let b = 0;
        for (let k = f * K; k < (f + 1) * K; k++) b += +(v > pad[k]!);
        out[o + f] = b;
      }
    }
    if (nk > 0) {
      let k = 0;
      for (let j = 0; j < nk; j++) k = k * kr[j]! + out[o + kf[j]!]!;
      keys[r] = k;
    }
  }
  return out;
}

/** Largest key span (product of the key features' bin counts): keys sort in two 12-bit passes. */
const KEY_SPAN = 1 << 24;
const DIGIT_BITS = 12;

/** The plan's key features, most important first, as many as fit in KEY_SPAN. */
function keyFeatures(mapper: BinMapper, order: Int32Array): { features: Int32Array; radix: Int32Array; span: number } {
  const features: number[] = [];
  const radix: number[] = [];
  let span = 1;
  for (const f of order) {
    const nb = mapper.offsets[f + 1]! - mapper.offsets[f]! + 1;
    if (span * nb > KEY_SPAN) break;
    features.push(f);
    radix.push(nb);
    span *= nb;
  }
  return { features: Int32Array.from(features), radix: Int32Array.from(radix), span };
}

/** Binned rows in the caller's order and each one's sorted position, for scatterRows. */
export interface PendingScatter {
  from: Uint8Array;
  rank: Int32Array;
}

/**
 * Bins the rows of X and sorts them lexicographically by the plan's key features. The key features'
 * bins make one integer per row (most important feature most significant); an LSD radix sort of the
 * row indices by key (two 12-bit passes) gives the order, and a scatter then moves each binned row, as
 * int32 words, to its place. With `shared`, the result lives in SharedArrayBuffers (for workers); with
 * `deferScatter` too, `bins` is returned unfilled and `pending` says what scatterRows must move there
 * (so that several threads can share the moving).
 */
export function sortRows(X: Matrix, mapper: BinMapper, plan: MaskPlan, options: { shared?: boolean; deferScatter?: boolean } = {}): SortedRows & { pending?: PendingScatter } {
  const { rows, cols } = X;
  const stride = (cols + 3) & ~3;
  const shared = options.shared === true;
  const { features, radix, span } = keyFeatures(mapper, plan.order);
  const keys = new Int32Array(shared ? new SharedArrayBuffer(4 * rows) : new ArrayBuffer(4 * rows));
  const bins = binRows(X, mapper, stride, features.length > 0 ? { features, radix, out: keys } : undefined, shared && options.deferScatter === true);
  const bytes = (n: number): ArrayBuffer | SharedArrayBuffer => (shared ? new SharedArrayBuffer(n) : new ArrayBuffer(n));
  const perm = new Int32Array(bytes(4 * rows));
  const sorted = new Uint8Array(bytes(rows * stride));
  if (features.length === 0) {
    for (let i = 0; i < rows; i++) perm[i] = i;
    sorted.set(bins);
    return { bins: sorted, perm, cols, stride };
  }
  // LSD passes of DIGIT_BITS over the keys (two at most): the first from the identity order, the last into perm.
  const mask = (1 << DIGIT_BITS) - 1;
  const count = new Int32Array(1 << DIGIT_BITS);
  const passes = span > 1 << DIGIT_BITS ? 2 : 1;
  const mid = passes === 2 ? new Int32Array(rows) : perm;
  for (let pass = 0; pass < passes; pass++) {
    const shift = pass * DIGIT_BITS;
    const dst = pass === passes - 1 ? perm : mid;
    count.fill(0);
    for (let r = 0; r < rows; r++) count[(keys[r]! >>> shift) & mask]!++;
    let sum = 0;
    for (let b = 0; b <= mask; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < rows; i++) {
      const r = pass === 0 ? i : mid[i]!;
      dst[count[(keys[r]! >>> shift) & mask]!++] = r;
    }
  }
  const rank = keys;
  for (let i = 0; i < rows; i++) rank[perm[i]!] = i;
  const pending: PendingScatter = { from: bins, rank };
  if (shared && options.deferScatter === true) return { bins: sorted, perm, cols, stride, pending };
  scatterRows(pending, sorted, stride, 0, rows);
  return { bins: sorted, perm, cols, stride };
}

/**
 * Moves binned rows [r0, r1) (caller's order) to their sorted places in `to`. A scatter (sequential
 * reads, each row written to its rank): on the machines measured, a gather (random reads) of the same
 * rows took two to three times as long.
 */
export function scatterRows(p: PendingScatter, to: Uint8Array, stride: number, r0: number, r1: number): void {
  const words = stride >> 2;
  const from32 = new Int32Array(p.from.buffer, p.from.byteOffset, p.from.length >> 2);
  const to32 = new Int32Array(to.buffer, to.byteOffset, to.length >> 2);
  const { rank } = p;
  for (let r = r0; r < r1; r++) {
    const a = r * words;
    const b = rank[r]! * words;
    for (let w = 0; w < words; w++) to32[b + w] = from32[a + w]!;
  }
}

/** Adds v to acc[32 * w + j] for every set bit j of `bits`. */
function addToRows(acc: Float64Array, w: number, bits: number, v: number): void {
  const top = 32 * w + 31;
  while (bits !== 0) {
    const low = bits & -bits;
    acc[top - Math.clz32(low)]! += v;
    bits ^= low;
  }
}

/**
 * gt[W * c + w] for a block of m sorted rows from b0: bit j of word w set when row 32w + j is in a bin
 * above cut point c. Built a word at a time in registers, 32 rows per feature ((e - bin) >>> 31 is 1
 * exactly when bin > e); the always-zero mask past the last cut point is never written.
 */
function fillConditionMasks(gt: Int32Array, rows: SortedRows, b0: number, m: number, offs: Int32Array): void {
  const W = MASK_WORDS;
  const { bins, cols, stride } = rows;
  const g = new Int32Array(MASK_MAX_EDGES);
  for (let w = 0; 32 * w < m; w++) {
    const nr = Math.min(32, m - 32 * w);
    const first = (b0 + 32 * w) * stride;
    for (let f = 0; f < cols; f++) {
      const e0 = offs[f]!;
      const ne = offs[f + 1]! - e0;
      if (ne === 2) {
        let g0 = 0;
        let g1 = 0;
        for (let j = 0, o = first + f; j < nr; j++, o += stride) {
          const bin = bins[o]!;
          g0 |= ((0 - bin) >>> 31) << j;
          g1 |= ((1 - bin) >>> 31) << j;
        }
        gt[W * e0 + w] = g0;
        gt[W * (e0 + 1) + w] = g1;
      } else if (ne > 0) {
        g.fill(0, 0, ne);
        for (let j = 0, o = first + f; j < nr; j++, o += stride) {
          const bin = bins[o]!;
          for (let e = 0; e < ne; e++) g[e]! |= ((e - bin) >>> 31) << j;
        }
        for (let e = 0; e < ne; e++) gt[W * (e0 + e) + w] = g[e]!;
      }
    }
  }
}

/**
 * Raw scores of the sorted rows [start, end), written to out[perm[i]] (the caller's row order).
 * `start` should be a multiple of MASK_BLOCK for the best sharing, but any range is correct.
 */
export function maskScoresInto(forest: FlatForest, mapper: BinMapper, plan: MaskPlan, rows: SortedRows, start: number, end: number, out: Float64Array): void {
  const W = MASK_WORDS;
  const Q = W >> 5;
  const B = MASK_BLOCK;
  const { perm } = rows;
  const { roots, left, value, base, scale } = forest;
  const nTrees = roots.length;
  const { cond, skip } = plan;
  const offs = mapper.offsets;
  // Condition masks of the current block (fillConditionMasks).
  const gt = new Int32Array(W * (plan.zero + 1));
  const acc = new Float64Array(B);
  // DFS stack. Entry s: its node, and its rows as a dense mask of W words in buffer buf[s] plus an
  // occupancy mask (Q words, bit w set when word w is non-zero), so only non-zero words are touched.
  // Entries swap buffers rather than copy masks.
  const S = plan.stack + 1;
  const node = new Int32Array(S);
  const buf = new Int32Array(S + 1);
  const masks = new Int32Array((S + 1) * W);
  const occ = new Int32Array((S + 1) * Q);
  for (let b0 = start; b0 < end; b0 += B) {
    const m = Math.min(B, end - b0);
    fillConditionMasks(gt, rows, b0, m, offs);
    acc.fill(0);
    const nw = (m + 31) >> 5;
    for (let t = 0; t < nTrees; t++) {
      for (let s = 0; s <= S; s++) buf[s] = s;
      node[0] = roots[t]!;
      for (let w = 0; w < nw; w++) {
        const rest = m - 32 * w;
        masks[w] = rest >= 32 ? -1 : (1 << rest) - 1;
      }
      for (let q = 0; q < Q; q++) {
        const rest = nw - 32 * q;
        occ[q] = rest >= 32 ? -1 : rest > 0 ? (1 << rest) - 1 : 0;
      }
      let sp = skip[roots[t]!] === 1 ? 0 : 1;
      while (sp > 0) {
        sp--;
        const k = node[sp]!;
        const c = cond[k]!;
        const bo = buf[sp]! * W;
        const oo = buf[sp]! * Q;
        if (c < 0) {
          const v = value[k]!;
          for (let q = 0; q < Q; q++) {
            let o = occ[oo + q]!;
            while (o !== 0) {
              const low = o & -o;
              o ^= low;
              const w = 32 * q + 31 - Math.clz32(low);
              addToRows(acc, w, masks[bo + w]!, v);
            }
          }
          continue;
        }
        // Right child's words overwrite this entry's (each word read before written), the left's go
        // to the next buffer; occupancy bits are set branch-free ((x | -x) >> 31 is all ones for x != 0).
        const gc = W * c;
        const lb = buf[sp + 1]! * W;
        const lo = buf[sp + 1]! * Q;
        let anyR = 0;
        let anyL = 0;
        for (let q = 0; q < Q; q++) {
          let o = occ[oo + q]!;
          let oR = 0;
          let oL = 0;
          while (o !== 0) {
            const low = o & -o;
            o ^= low;
            const w = 32 * q + 31 - Math.clz32(low);
            const bits = masks[bo + w]!;
            const r = bits & gt[gc + w]!;
            const l = bits ^ r;
            masks[bo + w] = r;
            masks[lb + w] = l;
            oR |= low & ((r | -r) >> 31);
            oL |= low & ((l | -l) >> 31);
          }
          occ[oo + q] = oR;
          occ[lo + q] = oL;
          anyR |= oR;
          anyL |= oL;
        }
        const l = left[k]!;
        // A child no row reaches, or a leaf of value 0, is not visited.
        if (skip[l + 1] === 1) anyR = 0;
        if (skip[l] === 1) anyL = 0;
        if (anyR !== 0) {
          node[sp] = l + 1;
          sp++;
          if (anyL !== 0) {
            node[sp] = l;
            sp++;
          }
        } else if (anyL !== 0) {
          const tmp = buf[sp]!;
          buf[sp] = buf[sp + 1]!;
          buf[sp + 1] = tmp;
          node[sp] = l;
          sp++;
        }
      }
    }
    for (let r = 0; r < m; r++) out[perm[b0 + r]!] = base + scale * acc[r]!;
  }
}

/** Raw scores of every row of X (same numbers as the scalar walk). */
export function maskScores(forest: FlatForest, mapper: BinMapper, plan: MaskPlan, X: Matrix): Float64Array {
  const out = new Float64Array(X.rows);
  maskScoresInto(forest, mapper, plan, sortRows(X, mapper, plan), 0, X.rows, out);
  return out;
}
