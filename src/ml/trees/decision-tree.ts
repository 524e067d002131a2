/**
 * DecisionTreeClassifier: one CART tree (gini / entropy / log_loss) on pre-binned features. Leaf value
 * is the weighted share of classes[1], so predictProba is that share.
 *
 * @example
 *   const tree = await new DecisionTreeClassifier({ maxDepth: 5, randomState: 1 }).fit(X, y);
 */
import type { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import type { FitOptions } from '../estimator.js';
import type { FittedTrees } from './base.js';
import { TreeClassifierBase, treeFactory } from './base.js';
import type { Criterion } from './cart.js';
import { buildCart } from './cart.js';
import { flattenTrees } from './flat-forest.js';
import { cartData, prepareTraining, vectorWeights } from './prepare.js';
import type { ClassWeight, MaxFeatures } from './validate.js';
import { checkChoice, checkInt, resolveMaxFeatures } from './validate.js';

export interface DecisionTreeParams {
  criterion: Criterion;
  splitter: 'best' | 'random';
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: MaxFeatures;
  classWeight: ClassWeight;
  randomState: number;
}

export const decisionTreeDefaults: DecisionTreeParams = {
  criterion: 'gini', splitter: 'best', maxDepth: null, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: null, classWeight: null, randomState: 0,
};

/** Checks the CART params shared by trees and forests. */
export function checkCartParams(label: string, p: Pick<DecisionTreeParams, 'criterion' | 'maxDepth' | 'minSamplesSplit' | 'minSamplesLeaf' | 'randomState'>): void {
  checkChoice(label, 'criterion', p.criterion, ['gini', 'entropy', 'log_loss']);
  checkInt(label, 'maxDepth', p.maxDepth, 1, true);
  checkInt(label, 'minSamplesSplit', p.minSamplesSplit, 2);
  checkInt(label, 'minSamplesLeaf', p.minSamplesLeaf, 1);
  checkInt(label, 'randomState', p.randomState, 0);
}

export class DecisionTreeClassifier extends TreeClassifierBase<DecisionTreeParams> {
  readonly kind = 'decision_tree';
  protected readonly label = 'DecisionTreeClassifier';

  constructor(params: Partial<DecisionTreeParams> = {}) {
    super({ ...decisionTreeDefaults, ...params });
  }

  clone(): DecisionTreeClassifier {
    return new DecisionTreeClassifier(this.params);
  }

  protected fitTrees(X: Matrix, y: Float64Array, options: FitOptions): Promise<FittedTrees> {
    const p = this.params;
    checkCartParams(this.label, p);
    checkChoice(this.label, 'splitter', p.splitter, ['best', 'random']);
    const maxFeatures = resolveMaxFeatures(this.label, p.maxFeatures, X.cols);
    const ts = prepareTraining(this.label, X, y, options.sampleWeight, p.classWeight);
    const { w0, w1, cnt } = vectorWeights(ts.compact.rowOf, ts.target.y01, ts.rowWeight, ts.compact.n);
    const tree = buildCart(cartData(ts), w0, w1, cnt, {
      criterion: p.criterion, maxDepth: p.maxDepth ?? Infinity, minSamplesSplit: p.minSamplesSplit, minSamplesLeaf: p.minSamplesLeaf,
      maxFeatures, splitter: p.splitter,
    }, new Rng(p.randomState));
    return Promise.resolve({
      classes: ts.target.classes, mapper: ts.mapper, forest: flattenTrees([tree], X.cols, 0, 1), link: 'identity', perTreeImportance: true, extra: {},
    });
  }
}

export const decisionTreeFactory = treeFactory<DecisionTreeParams>('decision_tree', (p) => new DecisionTreeClassifier(p));
