/**
 * Impurity helpers of the CART builders (cart.ts, cart-packed.ts, adaboost-stumps.ts) for binary
 * classes with class weights c0, c1: "purity masses" whose sum over the two children is maximised by
 * the best split, the weighted impurity W * imp(node) used for the recorded gain, and the scan of one
 * feature's histogram for its best cut, which all three builders share.
 */
import type { CartOptions } from './cart.js';

/**
 * Whether a node of `count` rows with class totals w0 / w1 at `depth` stays a leaf: the depth limit,
 * too few rows to split or to fill two leaves, or a pure node. One rule for both CART builders, whose
 * trees must stay bit-identical.
 */
export function stopsSplitting(opt: CartOptions, depth: number, count: number, w0: number, w1: number): boolean {
  return depth >= opt.maxDepth || count < opt.minSamplesSplit || count < 2 * opt.minSamplesLeaf || w0 <= 0 || w1 <= 0;
}

/** sum_k c_k log c_k - W log W, i.e. -W * entropy; larger is purer. */
export function negEntropyMass(c0: number, c1: number): number {
  const w = c0 + c1;
  let s = 0;
  if (c0 > 0) s += c0 * Math.log(c0);
  if (c1 > 0) s += c1 * Math.log(c1);
  return w > 0 ? s - w * Math.log(w) : 0;
}

/** (c0^2 + c1^2) / W = W - W * gini; larger is purer. */
export function giniPurityMass(c0: number, c1: number): number {
  const w = c0 + c1;
  return w > 0 ? (c0 * c0 + c1 * c1) / w : 0;
}

/** Weighted impurity W * imp(node) of a node with class weights c0, c1. */
export function impurityMass(entropy: boolean, c0: number, c1: number): number {
  return entropy ? -negEntropyMass(c0, c1) : c0 + c1 - giniPurityMass(c0, c1);
}

/** A node's best cut so far: [purity score, feature (-1: none), bin, left class-0 weight, left class-1 weight, left count]. */
export type BestCut = Float64Array;

/** An empty BestCut (reset it per node with resetBestCut). */
export function newBestCut(): BestCut {
  return resetBestCut(new Float64Array(6));
}

/** Forgets the cut held in `best`. */
export function resetBestCut(best: BestCut): BestCut {
  best.fill(0);
  best[0] = -Infinity;
  best[1] = -1;
  return best;
}

/**
 * Scans the cuts "bin <= b", b in [first, last], of feature f's histogram (h[o + 3b], h[o + 3b + 1],
 * h[o + 3b + 2]: class-0 weight, class-1 weight, row count), bins [lo, first) already on the left, and
 * keeps in `best` any cut that beats it. Empty bins give no new cut unless `random` (extra-trees: its
 * one drawn cut counts as drawn); a side with fewer than minLeaf rows rules a cut out. N0, N1, Nc: the
 * node's class weights and rows.
 */
export function scanCuts(h: Float64Array, o: number, f: number, lo: number, first: number, last: number, N0: number, N1: number, Nc: number,
  minLeaf: number, random: boolean, purity: (c0: number, c1: number) => number, best: BestCut): void {
  let L0 = 0;
  let L1 = 0;
  let Lc = 0;
  for (let b = lo; b < first; b++) {
    L0 += h[o + 3 * b]!;
    L1 += h[o + 3 * b + 1]!;
    Lc += h[o + 3 * b + 2]!;
  }
  for (let b = first; b <= last; b++) {
    const c = h[o + 3 * b + 2]!;
    if (c === 0 && !random) continue;
    L0 += h[o + 3 * b]!;
    L1 += h[o + 3 * b + 1]!;
    Lc += c;
    if (Lc < minLeaf) continue;
    if (Nc - Lc < minLeaf) break;
    const score = purity(L0, L1) + purity(N0 - L0, N1 - L1);
    if (score > best[0]!) {
      best[0] = score;
      best[1] = f;
      best[2] = b;
      best[3] = L0;
      best[4] = L1;
      best[5] = Lc;
    }
  }
}
