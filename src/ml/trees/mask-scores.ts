/**
 * Batch scoring with row bit masks: 64 rows at a time walk each tree together as one 64-bit mask (two
 * int32 halves) of "rows that reach this node". A split is then a few mask operations (rows going
 * right = reach & gt, left = reach ^ right) instead of 64 dependent, badly predicted walks, and a
 * subtree no row reaches is skipped. The per-condition masks gt[c] ("value > cut point c") are computed once per block; that is
 * cheap only when every feature has few cut points (the phishing features have two), so callers use
 * this path only when `maskPlan` accepts the model. Measured on the bench's 220k rows (CPU time, one
 * thread): forest of 100 about 1.4x, boosting of 300 about 2.8x the scalar walk; 64-row blocks beat
 * 32-row blocks, and compiling trees with `new Function` was slower (V8 compiles hundreds of large
 * functions on busy background threads) and was dropped.
 *
 * Each row still gets its leaf values added tree by tree in tree order, so the sums — and therefore
 * the scores — are bit-identical to the scalar walk in flat-forest.ts.
 */
import type { Matrix } from '../../core/matrix.js';
import type { BinMapper } from './binning.js';
import type { FlatForest } from './flat-forest.js';

/** Most cut points a feature may have for the mask path (building the masks costs this per value). */
export const MASK_MAX_EDGES = 8;

/** What the mask walk needs, derived once per model. */
export interface MaskPlan {
  /** Per node: index of its condition mask (offsets[f] + thresholdBin; `zero` when never true), -1 at leaves. */
  cond: Int32Array;
  /** Index of an always-zero mask (a threshold at or above the feature's last bin). */
  zero: number;
  /** Deepest stack a walk can need (bounded by the largest tree's node count). */
  stack: number;
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
  let biggest = 0;
  const { roots } = forest;
  for (let t = 0; t < roots.length; t++) biggest = Math.max(biggest, (t + 1 < roots.length ? roots[t + 1]! : feature.length) - roots[t]!);
  return { cond, zero, stack: biggest + 1 };
}

/** Raw scores of every row of X (same numbers as forestScores). */
export function maskScores(forest: FlatForest, mapper: BinMapper, plan: MaskPlan, X: Matrix): Float64Array {
  const n = X.rows;
  const cols = X.cols;
  const d = X.data;
  const out = new Float64Array(n);
  const { roots, left, value } = forest;
  const nTrees = roots.length;
  const { cond } = plan;
  const edges = mapper.edges;
  const offs = mapper.offsets;
  const nm = plan.zero + 1;
  const gt = new Int32Array(2 * nm);
  const acc = new Float64Array(64);
  const stackNode = new Int32Array(plan.stack);
  const stackLo = new Int32Array(plan.stack);
  const stackHi = new Int32Array(plan.stack);
  for (let start = 0; start < n; start += 64) {
    const m = Math.min(64, n - start);
    gt.fill(0);
    for (let r = 0; r < m; r++) {
      const bit = 1 << (r & 31);
      const half = r >> 5;
      const xo = (start + r) * cols;
      for (let f = 0; f < cols; f++) {
        const v = d[xo + f]!;
        const hi = offs[f + 1]!;
        for (let e = offs[f]!; e < hi && v > edges[e]!; e++) gt[2 * e + half]! |= bit;
      }
    }
    acc.fill(0);
    const allLo = m >= 32 ? -1 : (1 << m) - 1;
    const allHi = m === 64 ? -1 : m > 32 ? (1 << (m - 32)) - 1 : 0;
    for (let t = 0; t < nTrees; t++) {
      let sp = 1;
      stackNode[0] = roots[t]!;
      stackLo[0] = allLo;
      stackHi[0] = allHi;
      while (sp > 0) {
        sp--;
        const k = stackNode[sp]!;
        let lo = stackLo[sp]!;
        let hi = stackHi[sp]!;
        const c = cond[k]!;
        if (c < 0) {
          const v = value[k]!;
          while (lo !== 0) {
            const low = lo & -lo;
            acc[31 - Math.clz32(low)]! += v;
            lo ^= low;
          }
          while (hi !== 0) {
            const low = hi & -hi;
            acc[63 - Math.clz32(low)]! += v;
            hi ^= low;
          }
          continue;
        }
        const rLo = lo & gt[2 * c]!;
        const rHi = hi & gt[2 * c + 1]!;
        const lLo = lo ^ rLo;
        const lHi = hi ^ rHi;
        const l = left[k]!;
        stackNode[sp] = l + 1;
        stackLo[sp] = rLo;
        stackHi[sp] = rHi;
        sp += (rLo | rHi) !== 0 ? 1 : 0;
        stackNode[sp] = l;
        stackLo[sp] = lLo;
        stackHi[sp] = lHi;
        sp += (lLo | lHi) !== 0 ? 1 : 0;
      }
    }
    for (let r = 0; r < m; r++) out[start + r] = acc[r]!;
  }
  const { base, scale } = forest;
  for (let i = 0; i < n; i++) out[i] = base + scale * out[i]!;
  return out;
}
