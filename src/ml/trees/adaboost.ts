/**
 * AdaBoostClassifier, SAMME (binary): each round fits a shallow CART tree (a stump by default) to the
 * reweighted rows, weighs it by alpha = learningRate * log((1 - err) / err) and multiplies the weights
 * of the rows it got wrong by e^alpha. As in scikit-learn, the decision is the alpha-weighted vote
 * d = sum alpha_t * (+1 | -1) / sum alpha_t and P(classes[1]) = sigmoid(d).
 *
 * @example
 *   const ada = await new AdaBoostClassifier({ nEstimators: 50, learningRate: 1 }).fit(X, y);
 */
import { NsError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import type { FitOptions } from '../estimator.js';
import type { FittedTrees } from './base.js';
import { TreeClassifierBase, throwIfAborted, treeFactory } from './base.js';
import type { CartData, Criterion } from './cart.js';
import { buildCart } from './cart.js';
import type { FlatForest } from './flat-forest.js';
import { flattenTrees } from './flat-forest.js';
import type { TrainingSet } from './prepare.js';
import { cartData, prepareTraining, vectorWeights } from './prepare.js';
import type { TreeArrays } from './tree.js';
import { leafOfBinned, recomputeInnerValues } from './tree.js';
import { checkChoice, checkInt, checkNumber } from './validate.js';

export interface AdaBoostParams {
  nEstimators: number;
  learningRate: number;
  /** Depth of each base tree (1 = stumps). */
  maxDepth: number;
  criterion: Criterion;
  randomState: number;
}

export const adaBoostDefaults: AdaBoostParams = { nEstimators: 50, learningRate: 1, maxDepth: 1, criterion: 'gini', randomState: 0 };

export class AdaBoostClassifier extends TreeClassifierBase<AdaBoostParams> {
  readonly kind = 'adaboost';
  protected readonly label = 'AdaBoostClassifier';

  constructor(params: Partial<AdaBoostParams> = {}) {
    super({ ...adaBoostDefaults, ...params });
  }

  clone(): AdaBoostClassifier {
    return new AdaBoostClassifier(this.params);
  }

  protected fitTrees(X: Matrix, y: Float64Array, options: FitOptions): Promise<FittedTrees> {
    const p = this.params;
    const label = this.label;
    checkInt(label, 'nEstimators', p.nEstimators, 1);
    checkNumber(label, 'learningRate', p.learningRate, 0, Infinity, true);
    checkInt(label, 'maxDepth', p.maxDepth, 1);
    checkChoice(label, 'criterion', p.criterion, ['gini', 'entropy', 'log_loss']);
    checkInt(label, 'randomState', p.randomState, 0);
    const ts = prepareTraining(label, X, y, options.sampleWeight, null);
    const data = cartData(ts);
    const cart = { criterion: p.criterion, maxDepth: p.maxDepth, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: X.cols, splitter: 'best' as const };
    const out = sammeBoost(ts, data, p, (w0, w1, cnt, rng) => buildCart(data, w0, w1, cnt, cart, rng), {
      before: () => throwIfAborted(label, options.signal),
      after: (t) => options.onProgress?.((t + 1) / p.nEstimators),
    });
    if ('firstError' in out) {
      throw new NsError('WEAK_LEARNER', `${label}: the first base tree is no better than chance (weighted error ${out.firstError.toFixed(3)}).`, {
        hint: 'Increase maxDepth of the base trees or check the labels.',
      });
    }
    return Promise.resolve({
      classes: ts.target.classes, mapper: ts.mapper, forest: out.forest, link: 'sigmoid', perTreeImportance: true,
      extra: { nEstimators: out.nEstimators },
    });
  }
}

/** Fits one base tree to the class weights (w0, w1) and row counts of the distinct vectors. */
export type BaseTreeFit = (w0: Float64Array, w1: Float64Array, cnt: Float64Array, rng: Rng) => TreeArrays;

/**
 * The SAMME rounds over a prepared training set, shared by AdaBoostClassifier and the stump fit of
 * adaboost-stumps.ts (which only brings a faster base learner). Returns the weighted vote as a
 * FlatForest, or the weighted error of a first base tree no better than chance.
 */
export function sammeBoost(
  ts: TrainingSet, data: CartData, p: Pick<AdaBoostParams, 'nEstimators' | 'learningRate' | 'randomState'>, fitBase: BaseTreeFit,
  hooks: { before?: () => void; after?: (round: number) => void } = {},
): { forest: FlatForest; nEstimators: number } | { firstError: number } {
  const { rowOf } = ts.compact;
  const { y01 } = ts.target;
  const rows = rowOf.length;
  const w = Float64Array.from(ts.rowWeight);
  normalise(w);
  const rng = new Rng(p.randomState);
  const trees: TreeArrays[] = [];
  const alphas: number[] = [];
  // The tree's vote (1 = classes[1]) for every distinct vector, then the weighted error on rows.
  const vote = new Float64Array(data.n);
  for (let t = 0; t < p.nEstimators; t++) {
    hooks.before?.();
    const { w0, w1, cnt } = vectorWeights(rowOf, y01, w, data.n);
    const tree = fitBase(w0, w1, cnt, new Rng(rng.fork()));
    for (let u = 0; u < data.n; u++) vote[u] = tree.value[leafOfBinned(tree, data.colBins, data.n, u)]! > 0.5 ? 1 : 0;
    let err = 0;
    for (let i = 0; i < rows; i++) if (vote[rowOf[i]!] !== y01[i]) err += w[i]!;
    if (err <= 0) {
      // A perfect base tree: it alone decides (scikit-learn keeps it with weight 1 and stops).
      trees.push(tree);
      alphas.push(1);
      break;
    }
    if (err >= 0.5) {
      if (trees.length === 0) return { firstError: err };
      break;
    }
    const alpha = p.learningRate * Math.log((1 - err) / err);
    trees.push(tree);
    alphas.push(alpha);
    if (t === p.nEstimators - 1) break;
    const boost = Math.exp(alpha);
    for (let i = 0; i < rows; i++) if (w[i]! > 0 && vote[rowOf[i]!] !== y01[i]) w[i] = w[i]! * boost;
    normalise(w);
    hooks.after?.(t);
  }
  let sumAlpha = 0;
  trees.forEach((tree, t) => {
    const a = alphas[t]!;
    sumAlpha += a;
    for (let k = 0; k < tree.value.length; k++) if (tree.feature[k]! < 0) tree.value[k] = tree.value[k]! > 0.5 ? a : -a;
    recomputeInnerValues(tree);
  });
  return { forest: flattenTrees(trees, data.nFeatures, 0, 1 / sumAlpha), nEstimators: trees.length };
}

function normalise(w: Float64Array): void {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]!;
  if (s > 0) for (let i = 0; i < w.length; i++) w[i] = w[i]! / s;
}

export const adaBoostFactory = treeFactory<AdaBoostParams>('adaboost', (p) => new AdaBoostClassifier(p));
