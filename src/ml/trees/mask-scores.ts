/**
 * Batch scoring with row bit masks: 256 rows at a time walk each tree together as one 256-bit mask
 * (eight int32 words) of "rows that reach this node". A split is then a few mask operations (rows
 * going right = reach & gt, left = reach ^ right) instead of 256 dependent, badly predicted walks, and
 * a subtree no row reaches is skipped. The per-condition masks gt[c] ("value > cut point c") are computed once per block; that is
 * cheap only when every feature has few cut points (the phishing features have two), so callers use
 * this path only when `maskPlan` accepts the model. Measured on the bench's 220k rows (CPU time, one
 * thread): forest of 100 about 1.4x, boosting of 300 about 3.3x the scalar walk; 256-row blocks beat
 * 128, 64 and 32-row blocks (mostly for the shallow boosting trees), and compiling trees with `new Function` was slower (V8 compiles hundreds of large
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

/** Int32 mask words per block: 8 x 32 = 256 rows walk each tree together. */
const WORDS = 8;

/** Raw scores of every row of X (same numbers as forestScores). */
export function maskScores(forest: FlatForest, mapper: BinMapper, plan: MaskPlan, X: Matrix): Float64Array {
  const W = WORDS;
  const B = 32 * W;
  const n = X.rows;
  const cols = X.cols;
  const d = X.data;
  const out = new Float64Array(n);
  const { roots, left, value } = forest;
  const nTrees = roots.length;
  const { cond } = plan;
  const edges = mapper.edges;
  const offs = mapper.offsets;
  // gt[W * c + w]: bit r of word w set when row 32w + r of the block has value > cut point c.
  const gt = new Int32Array(W * (plan.zero + 1));
  const acc = new Float64Array(B);
  // Explicit DFS stack: node and its W mask words per entry.
  const stackNode = new Int32Array(plan.stack + 1);
  const stackMask = new Int32Array((plan.stack + 1) * W);
  for (let start = 0; start < n; start += B) {
    const m = Math.min(B, n - start);
    gt.fill(0);
    for (let r = 0; r < m; r++) {
      const bit = 1 << (r & 31);
      const word = r >> 5;
      const xo = (start + r) * cols;
      for (let f = 0; f < cols; f++) {
        const v = d[xo + f]!;
        const hi = offs[f + 1]!;
        for (let e = offs[f]!; e < hi && v > edges[e]!; e++) gt[W * e + word]! |= bit;
      }
    }
    acc.fill(0);
    for (let t = 0; t < nTrees; t++) {
      let sp = 1;
      stackNode[0] = roots[t]!;
      for (let w = 0; w < W; w++) {
        const rest = m - 32 * w;
        stackMask[w] = rest >= 32 ? -1 : rest > 0 ? (1 << rest) - 1 : 0;
      }
      while (sp > 0) {
        sp--;
        const k = stackNode[sp]!;
        const c = cond[k]!;
        const so = sp * W;
        if (c < 0) {
          const v = value[k]!;
          for (let w = 0; w < W; w++) {
            let mk = stackMask[so + w]!;
            while (mk !== 0) {
              const low = mk & -mk;
              acc[32 * w + 31 - Math.clz32(low)]! += v;
              mk ^= low;
            }
          }
          continue;
        }
        // Right child's masks replace this entry, the left child's go one above.
        const lo = so + W;
        const gc = W * c;
        let anyRight = 0;
        let anyLeft = 0;
        for (let w = 0; w < W; w++) {
          const mk = stackMask[so + w]!;
          const r = mk & gt[gc + w]!;
          stackMask[so + w] = r;
          stackMask[lo + w] = mk ^ r;
          anyRight |= r;
          anyLeft |= mk ^ r;
        }
        const l = left[k]!;
        if (anyRight !== 0) {
          stackNode[sp++] = l + 1;
          if (anyLeft !== 0) stackNode[sp++] = l;
        } else if (anyLeft !== 0) {
          for (let w = 0; w < W; w++) stackMask[so + w] = stackMask[lo + w]!;
          stackNode[sp++] = l;
        }
      }
    }
    for (let r = 0; r < m; r++) out[start + r] = acc[r]!;
  }
  const { base, scale } = forest;
  for (let i = 0; i < n; i++) out[i] = base + scale * out[i]!;
  return out;
}
