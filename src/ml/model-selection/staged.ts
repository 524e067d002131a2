/**
 * Prefix ("staged") evaluation for the search: in random forests, extra trees, histogram boosting and
 * AdaBoost, the first k trees of a model fitted with N > k trees are exactly the trees a k-tree fit
 * grows with the same seed — forest seeds are drawn up front in sequence, boosting rounds draw their
 * randomness in sequence and depend only on the rounds before. So a grid over the tree count is fitted
 * once with the largest count, and every smaller count is scored with the model cut to its first k
 * trees (`truncateState`), which equals the k-tree model's state array for array (tested in
 * staged.test.ts against separate fits).
 *
 * Only where that equality holds: forests without out-of-bag scoring, boosting without early stopping.
 *
 * @example
 *   stagedParam('adaboost', { nEstimators: 64 }); // 'nEstimators'
 *   factory.fromState(truncateState(big.toState(), 'nEstimators', 16)).predict(Xt);
 */
import { NsError } from '../../core/errors.js';
import type { ModelState } from '../estimator.js';

/** The tree-count parameter of each kind whose prefixes are exact models. */
const COUNT_PARAM: Record<string, string> = {
  random_forest: 'nEstimators',
  extra_trees: 'nEstimators',
  hist_gradient_boosting: 'maxIter',
  adaboost: 'nEstimators',
};

/** The parameter whose smaller values can be scored as prefixes of one fit, or undefined. */
export function stagedParam(kind: string, params: Record<string, unknown>): string | undefined {
  const p = COUNT_PARAM[kind];
  if (p === undefined || typeof params[p] !== 'number') return undefined;
  if (params.oobScore === true || params.earlyStopping === true) return undefined;
  return p;
}

/** The state of the model made of the first k trees of `state` (a fitted model of a staged kind). */
export function truncateState(state: ModelState, param: string, k: number): ModelState {
  const a = state.arrays;
  const roots = a.roots;
  const value = a.value;
  const bs = a.baseScale;
  if (!(roots instanceof Int32Array) || !(value instanceof Float64Array) || !(bs instanceof Float64Array) || COUNT_PARAM[state.kind] !== param) {
    throw new NsError('STATE_CORRUPT', `A ${state.kind} state cannot be cut by ${param}.`, { kind: 'internal', hint: 'Only forests and boosting models are staged.' });
  }
  const nTrees = roots.length;
  const kk = Math.min(k, nTrees);
  const end = kk < nTrees ? roots[kk]! : value.length;
  const arrays = { ...a };
  for (const name of ['feature', 'thresholdBin', 'threshold', 'left', 'value', 'cover', 'gain']) arrays[name] = a[name]!.slice(0, end);
  arrays.roots = roots.slice(0, kk);
  const json = { ...state.json, extra: { ...(state.json.extra as Record<string, unknown>) } };
  const extra = json.extra;
  if (state.kind === 'hist_gradient_boosting') {
    extra.nIter = kk;
  } else if (state.kind === 'adaboost') {
    // Leaves hold +-alpha_t; the vote is normalised by the sum of the kept trees' alphas, summed in order.
    const feature = a.feature as Int32Array;
    let sumAlpha = 0;
    for (let t = 0; t < kk; t++) {
      let leaf = roots[t]!;
      while (feature[leaf]! >= 0) leaf++;
      sumAlpha += Math.abs(value[leaf]!);
    }
    arrays.baseScale = Float64Array.of(bs[0]!, 1 / sumAlpha);
    extra.nEstimators = kk;
  } else {
    arrays.baseScale = Float64Array.of(bs[0]!, 1 / kk);
  }
  return { ...state, params: { ...state.params, [param]: k }, json, arrays };
}
