/**
 * Scoring a small batch (up to 32 binned rows) in one walk of each tree: the rows that reach a node are
 * the bits of one int32, a split is one AND (right = reach & "bin above the cut", left = reach ^ right),
 * and a subtree no row reaches is never visited. It is the bit-mask walk of mask-scores.ts cut down to
 * a single word: no row sort, no occupancy masks, no 4,096-row buffers, so its fixed cost is small
 * enough for the batches a server forms from concurrent one-row requests (src/server/batch-scorer.ts),
 * where the full mask walk's set-up costs more than it saves and the scalar walk pays every row's whole
 * path in every tree. Each row gets its leaf values added tree by tree in tree order, so the sums are
 * bit-identical to the scalar walk's.
 */
import type { MaskPlan } from './mask-scores.js';
import type { FlatForest } from './flat-forest.js';

/** Rows one walk takes (the bits of an int32). */
export const WORD_ROWS = 32;

/**
 * Raw sums (before base and scale) of m ≤ 32 rows binned row-major in `bins` (m x cols, bin indices
 * per feature as in flat-forest.ts), added into acc[0..m).
 */
export function wordSums(forest: FlatForest, plan: MaskPlan, offsets: Int32Array, bins: Uint8Array, cols: number, m: number, acc: Float64Array): void {
  // gt[c]: bit j set when row j's bin of feature f is above cut point e (c = offsets[f] + e); the last
  // entry (plan.zero) stays 0 for thresholds no bin exceeds.
  const gt = new Int32Array(plan.zero + 1);
  for (let f = 0; f < cols; f++) {
    const e0 = offsets[f]!;
    const ne = offsets[f + 1]! - e0;
    for (let j = 0; j < m; j++) {
      const bin = bins[j * cols + f]!;
      for (let e = 0; e < ne && e < bin; e++) gt[e0 + e]! |= 1 << j;
    }
  }
  const { roots, left, value } = forest;
  const { cond, skip } = plan;
  const nodes = new Int32Array(plan.stack + 1);
  const reach = new Int32Array(plan.stack + 1);
  const all = m >= 32 ? -1 : (1 << m) - 1;
  for (let t = 0; t < roots.length; t++) {
    nodes[0] = roots[t]!;
    reach[0] = all;
    let sp = 1;
    while (sp > 0) {
      sp--;
      const k = nodes[sp]!;
      let bits = reach[sp]!;
      const c = cond[k]!;
      if (c < 0) {
        if (skip[k] === 1) continue;
        const v = value[k]!;
        while (bits !== 0) {
          const low = bits & -bits;
          acc[31 - Math.clz32(low)]! += v;
          bits ^= low;
        }
        continue;
      }
      const r = bits & gt[c]!;
      const l = bits ^ r;
      const lk = left[k]!;
      if (r !== 0) {
        nodes[sp] = lk + 1;
        reach[sp] = r;
        sp++;
      }
      if (l !== 0) {
        nodes[sp] = lk;
        reach[sp] = l;
        sp++;
      }
    }
  }
}
