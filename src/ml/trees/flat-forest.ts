/**
 * All trees of a model flattened into one set of typed arrays, so batch prediction is one tight loop
 * with no per-tree objects. The raw score of a row is `base + scale * sum_t value[leaf_t(x)]`
 * (forest: mean of leaf probabilities; boosting: init + sum of steps; AdaBoost: normalised votes).
 *
 * Prediction works in bin space: each row is binned once with the fit's cut points (a few compares per
 * feature), then every tree is walked with integer compares on a packed node array. Rows are scored in
 * blocks, tree by tree, so one tree's nodes stay in cache for the whole block. Large batches use the
 * sorted bit-mask walk of mask-scores.ts instead, which gives the same numbers.
 */
import type { Matrix } from '../../core/matrix.js';
import { matrix } from '../../core/matrix.js';
import type { BinMapper } from './binning.js';
import type { MaskPlan } from './mask-scores.js';
import { maskPlan, maskScores } from './mask-scores.js';
import type { TreeArrays } from './tree.js';
import { WORD_ROWS, wordSums } from './word-scores.js';

/** The node arrays of every tree concatenated; `left` holds absolute indices (right = left + 1). */
export interface FlatForest extends TreeArrays {
  nFeatures: number;
  /** Index of each tree's root. */
  roots: Int32Array;
  /**
   * Two int32 per node for the hot loop: [feature << 8 | thresholdBin, left]. A leaf points to itself
   * with an impossible threshold ([0 << 8 | 255, itself]), so stepping past a leaf is harmless and
   * several rows can be walked in lock-step without a leaf test per row.
   */
  packed: Int32Array;
  /** Score = base + scale * sum of leaf values. */
  base: number;
  scale: number;
}

/** Concatenates trees into one FlatForest. */
export function flattenTrees(trees: readonly TreeArrays[], nFeatures: number, base: number, scale: number): FlatForest {
  let total = 0;
  for (const t of trees) total += t.feature.length;
  const roots = new Int32Array(trees.length);
  const feature = new Int32Array(total);
  const thresholdBin = new Uint8Array(total);
  const threshold = new Float64Array(total);
  const left = new Int32Array(total);
  const value = new Float64Array(total);
  const cover = new Float64Array(total);
  const gain = new Float64Array(total);
  let off = 0;
  trees.forEach((t, i) => {
    roots[i] = off;
    feature.set(t.feature, off);
    thresholdBin.set(t.thresholdBin, off);
    threshold.set(t.threshold, off);
    value.set(t.value, off);
    cover.set(t.cover, off);
    gain.set(t.gain, off);
    for (let k = 0; k < t.left.length; k++) left[off + k] = t.left[k]! < 0 ? -1 : t.left[k]! + off;
    off += t.feature.length;
  });
  return withPacked({ nFeatures, roots, feature, thresholdBin, threshold, left, value, cover, gain, packed: new Int32Array(0), base, scale });
}

/** (Re)builds the packed node array from the plain ones. */
export function withPacked(f: FlatForest): FlatForest {
  const n = f.feature.length;
  const packed = new Int32Array(2 * n);
  for (let k = 0; k < n; k++) {
    const feat = f.feature[k]!;
    packed[2 * k] = feat < 0 ? 255 : (feat << 8) | f.thresholdBin[k]!;
    packed[2 * k + 1] = feat < 0 ? k : f.left[k]!;
  }
  return { ...f, packed };
}

const BLOCK = 256;

/** Bins rows [start, start + m) of X into `out` (row-major, m x cols). */
function binBlock(X: Matrix, start: number, m: number, mapper: BinMapper, out: Uint8Array): void {
  const cols = X.cols;
  const d = X.data;
  const e = mapper.edges;
  const offs = mapper.offsets;
  for (let f = 0; f < cols; f++) {
    const lo0 = offs[f]!;
    const hi0 = offs[f + 1]!;
    const small = hi0 - lo0 <= 8;
    for (let r = 0; r < m; r++) {
      const v = d[(start + r) * cols + f]!;
      let k: number;
      if (small) {
        k = lo0;
        while (k < hi0 && v > e[k]!) k++;
      } else {
        let lo = lo0;
        let hi = hi0;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (v > e[mid]!) lo = mid + 1;
          else hi = mid;
        }
        k = lo;
      }
      out[r * cols + f] = k - lo0;
    }
  }
}

/**
 * Which walk scores a batch of a model that suits the masks: fewer than WORD_MIN_ROWS rows walk row by
 * row, then the one-word walk (word-scores.ts) up to MASK_MIN_ROWS, then the mask walk
 * (mask-scores.ts). Measured on the default champion (300 boosting rounds), caches flushed between
 * calls, µs per row: 1 row scalar 10.3 / word 18.4; 8 rows 9.1 / 8.9; 32 rows 8.5 / 4.1 (mask 8.6);
 * 64 rows word 4.2 / mask 5.6; 128 rows 4.2 / 3.7.
 */
const WORD_MIN_ROWS = 8;
const MASK_MIN_ROWS = 96;

const plans = new WeakMap<FlatForest, { mapper: BinMapper; plan: MaskPlan | null }>();

/** The model's mask plan (null: the model does not suit the mask walk), derived once per (forest, mapper) pair. */
export function planOf(forest: FlatForest, mapper: BinMapper): MaskPlan | null {
  const hit = plans.get(forest);
  if (hit !== undefined && hit.mapper === mapper) return hit.plan;
  const plan = maskPlan(forest, mapper);
  plans.set(forest, { mapper, plan });
  return plan;
}

/**
 * Raw scores of every row of X. On a model with few cut points per feature, batches of at least
 * WORD_MIN_ROWS rows go through a bit-mask walk (same numbers, faster); everything else walks row by row.
 */
export function forestScores(forest: FlatForest, mapper: BinMapper, X: Matrix): Float64Array {
  if (X.rows >= WORD_MIN_ROWS && forest.feature.length > 0) {
    const plan = planOf(forest, mapper);
    if (plan !== null) return X.rows >= MASK_MIN_ROWS ? maskScores(forest, mapper, plan, X) : wordScores(forest, mapper, plan, X);
  }
  return scalarScores(forest, mapper, X);
}

/** Raw scores by the one-word walk (word-scores.ts), 32 rows per walk of each tree. */
export function wordScores(forest: FlatForest, mapper: BinMapper, plan: MaskPlan, X: Matrix): Float64Array {
  const n = X.rows;
  const out = new Float64Array(n);
  const bins = new Uint8Array(WORD_ROWS * X.cols);
  const acc = new Float64Array(WORD_ROWS);
  const { base, scale } = forest;
  for (let start = 0; start < n; start += WORD_ROWS) {
    const m = Math.min(WORD_ROWS, n - start);
    binBlock(X, start, m, mapper, bins);
    acc.fill(0);
    wordSums(forest, plan, mapper.offsets, bins, X.cols, m, acc);
    for (let j = 0; j < m; j++) out[start + j] = base + scale * acc[j]!;
  }
  return out;
}

/** Raw scores by walking each row down each tree (four rows in lock-step). */
export function scalarScores(forest: FlatForest, mapper: BinMapper, X: Matrix): Float64Array {
  const n = X.rows;
  const cols = X.cols;
  const out = new Float64Array(n);
  const bins = new Uint8Array(Math.min(BLOCK, Math.max(n, 1)) * cols);
  const { roots, packed, value } = forest;
  const nTrees = roots.length;
  for (let start = 0; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start);
    binBlock(X, start, m, mapper, bins);
    const m4 = m - (m % 4);
    for (let t = 0; t < nTrees; t++) {
      const root = roots[t]!;
      // Hot loop, inlined by hand: four rows walk the tree in lock-step so the CPU overlaps their
      // dependent loads (a single walk is a chain of cache hits, each waiting for the previous one).
      for (let r = 0; r < m4; r += 4) {
        const b0 = r * cols;
        const b1 = b0 + cols;
        const b2 = b1 + cols;
        const b3 = b2 + cols;
        let k0 = root;
        let k1 = root;
        let k2 = root;
        let k3 = root;
        for (;;) {
          const p0 = packed[2 * k0]!;
          const p1 = packed[2 * k1]!;
          const p2 = packed[2 * k2]!;
          const p3 = packed[2 * k3]!;
          const n0 = packed[2 * k0 + 1]! + (bins[b0 + (p0 >> 8)]! > (p0 & 255) ? 1 : 0);
          const n1 = packed[2 * k1 + 1]! + (bins[b1 + (p1 >> 8)]! > (p1 & 255) ? 1 : 0);
          const n2 = packed[2 * k2 + 1]! + (bins[b2 + (p2 >> 8)]! > (p2 & 255) ? 1 : 0);
          const n3 = packed[2 * k3 + 1]! + (bins[b3 + (p3 >> 8)]! > (p3 & 255) ? 1 : 0);
          if (n0 === k0 && n1 === k1 && n2 === k2 && n3 === k3) break;
          k0 = n0;
          k1 = n1;
          k2 = n2;
          k3 = n3;
        }
        out[start + r]! += value[k0]!;
        out[start + r + 1]! += value[k1]!;
        out[start + r + 2]! += value[k2]!;
        out[start + r + 3]! += value[k3]!;
      }
    }
    // The last rows (all of a one-row request) walk four trees at a time instead: the same sums in the
    // same tree order, four independent chains of loads in flight (what a cold cache waits on).
    for (let r = m4; r < m; r++) out[start + r] = rowSum(packed, value, roots, bins, r * cols);
  }
  const { base, scale } = forest;
  for (let i = 0; i < n; i++) out[i] = base + scale * out[i]!;
  return out;
}

/** One binned row's sum of leaf values over every tree, in tree order, four trees walked in lock-step. */
function rowSum(packed: Int32Array, value: Float64Array, roots: Int32Array, bins: Uint8Array, rb: number): number {
  const nTrees = roots.length;
  const n4 = nTrees - (nTrees % 4);
  let s = 0;
  let t = 0;
  for (; t < n4; t += 4) {
    let k0 = roots[t]!;
    let k1 = roots[t + 1]!;
    let k2 = roots[t + 2]!;
    let k3 = roots[t + 3]!;
    for (;;) {
      const p0 = packed[2 * k0]!;
      const p1 = packed[2 * k1]!;
      const p2 = packed[2 * k2]!;
      const p3 = packed[2 * k3]!;
      const n0 = packed[2 * k0 + 1]! + (bins[rb + (p0 >> 8)]! > (p0 & 255) ? 1 : 0);
      const n1 = packed[2 * k1 + 1]! + (bins[rb + (p1 >> 8)]! > (p1 & 255) ? 1 : 0);
      const n2 = packed[2 * k2 + 1]! + (bins[rb + (p2 >> 8)]! > (p2 & 255) ? 1 : 0);
      const n3 = packed[2 * k3 + 1]! + (bins[rb + (p3 >> 8)]! > (p3 & 255) ? 1 : 0);
      if (n0 === k0 && n1 === k1 && n2 === k2 && n3 === k3) break;
      k0 = n0;
      k1 = n1;
      k2 = n2;
      k3 = n3;
    }
    s += value[k0]!;
    s += value[k1]!;
    s += value[k2]!;
    s += value[k3]!;
  }
  for (; t < nTrees; t++) {
    let k = roots[t]!;
    for (;;) {
      const p = packed[2 * k]!;
      const next = packed[2 * k + 1]! + (bins[rb + (p >> 8)]! > (p & 255) ? 1 : 0);
      if (next === k) break;
      k = next;
    }
    s += value[k]!;
  }
  return s;
}

/**
 * Path contributions (Saabas): walking a row down a tree, each split moves the node value; the move is
 * credited to the split's feature. Columns 0..cols-1 per feature, last column the bias (base + scaled
 * root values); each row sums to the raw score.
 */
export function forestContributions(forest: FlatForest, X: Matrix): Matrix {
  const { rows, cols, data } = X;
  const out = matrix(rows, cols + 1);
  const o = out.data;
  const { roots, feature, threshold, left, value, scale, base } = forest;
  let bias = 0;
  for (let t = 0; t < roots.length; t++) bias += value[roots[t]!]!;
  bias = base + scale * bias;
  for (let i = 0; i < rows; i++) {
    const xo = i * cols;
    const oo = i * (cols + 1);
    for (let t = 0; t < roots.length; t++) {
      let k = roots[t]!;
      let f = feature[k]!;
      while (f >= 0) {
        const next = left[k]! + (data[xo + f]! > threshold[k]! ? 1 : 0);
        o[oo + f]! += scale * (value[next]! - value[k]!);
        k = next;
        f = feature[k]!;
      }
    }
    o[oo + cols] = bias;
  }
  return out;
}

/**
 * Gain-based importances, normalised to sum to 1. With `perTree`, each tree's importances are
 * normalised first and then averaged (scikit-learn's forests); otherwise gains are summed over all trees.
 */
export function forestImportances(forest: FlatForest, perTree: boolean): Float64Array {
  const imp = new Float64Array(forest.nFeatures);
  const tmp = new Float64Array(forest.nFeatures);
  const { roots, feature, gain } = forest;
  for (let t = 0; t < roots.length; t++) {
    const end = t + 1 < roots.length ? roots[t + 1]! : feature.length;
    tmp.fill(0);
    let s = 0;
    for (let k = roots[t]!; k < end; k++) {
      const f = feature[k]!;
      if (f >= 0) {
        tmp[f]! += gain[k]!;
        s += gain[k]!;
      }
    }
    const div = perTree ? s : 1;
    if (div > 0) for (let f = 0; f < imp.length; f++) imp[f]! += tmp[f]! / div;
  }
  let total = 0;
  for (let f = 0; f < imp.length; f++) total += imp[f]!;
  if (total > 0) for (let f = 0; f < imp.length; f++) imp[f] = imp[f]! / total;
  return imp;
}
