/**
 * Impurity helpers of the CART builders (cart.ts, cart-packed.ts, adaboost-stumps.ts) for binary
 * classes with class weights c0, c1: "purity masses" whose sum over the two children is maximised by
 * the best split, and the weighted impurity W * imp(node) used for the recorded gain.
 */

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
