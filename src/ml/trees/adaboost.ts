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
import type { Criterion } from './cart.js';
import { buildCart } from './cart.js';
import { flattenTrees } from './flat-forest.js';
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
    const { rowOf } = ts.compact;
    const { y01 } = ts.target;
    const rows = X.rows;
    const w = Float64Array.from(ts.rowWeight);
    normalise(w);
    const rng = new Rng(p.randomState);
    const cart = { criterion: p.criterion, maxDepth: p.maxDepth, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: X.cols, splitter: 'best' as const };
    const trees: TreeArrays[] = [];
    const alphas: number[] = [];
    for (let t = 0; t < p.nEstimators; t++) {
      throwIfAborted(label, options.signal);
      const { w0, w1, cnt } = vectorWeights(rowOf, y01, w, data.n);
      const tree = buildCart(data, w0, w1, cnt, cart, new Rng(rng.fork()));
      // The tree's vote (1 = classes[1]) for every distinct vector, then the weighted error on rows.
      const vote = new Float64Array(data.n);
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
        if (trees.length === 0) {
          throw new NsError('WEAK_LEARNER', `${label}: the first base tree is no better than chance (weighted error ${err.toFixed(3)}).`, {
            hint: 'Increase maxDepth of the base trees or check the labels.',
          });
        }
        break;
      }
      const alpha = p.learningRate * Math.log((1 - err) / err);
      trees.push(tree);
      alphas.push(alpha);
      if (t === p.nEstimators - 1) break;
      const boost = Math.exp(alpha);
      for (let i = 0; i < rows; i++) if (w[i]! > 0 && vote[rowOf[i]!] !== y01[i]) w[i] = w[i]! * boost;
      normalise(w);
      options.onProgress?.((t + 1) / p.nEstimators);
    }
    let sumAlpha = 0;
    trees.forEach((tree, t) => {
      const a = alphas[t]!;
      sumAlpha += a;
      for (let k = 0; k < tree.value.length; k++) if (tree.feature[k]! < 0) tree.value[k] = tree.value[k]! > 0.5 ? a : -a;
      recomputeInnerValues(tree);
    });
    return Promise.resolve({
      classes: ts.target.classes, mapper: ts.mapper, forest: flattenTrees(trees, X.cols, 0, 1 / sumAlpha), link: 'sigmoid', perTreeImportance: true,
      extra: { nEstimators: trees.length },
    });
  }
}

function normalise(w: Float64Array): void {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]!;
  if (s > 0) for (let i = 0; i < w.length; i++) w[i] = w[i]! / s;
}

export const adaBoostFactory = treeFactory<AdaBoostParams>('adaboost', (p) => new AdaBoostClassifier(p));
