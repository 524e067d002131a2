/**
 * Simple imputer, after scikit-learn's SimpleImputer: NaN in each column is replaced by that column's
 * mean, median or most frequent observed value (ties: the smallest), or by a constant.
 *
 * @example
 *   const imp = simpleImputer.create({ strategy: 'median' }); const Xf = imp.fitTransform(X);
 */
import { matrix, type Matrix } from '../../core/matrix.js';
import type { ModelState, TransformerFactory } from '../estimator.js';
import type { EncodedState } from '../linear/base.js';
import { FittedTransformer, percentileSorted, rejectEmptyColumns, sortedColumn, type TransformerLearned } from './base.js';
import { checkParam } from './validation.js';

export interface SimpleImputerParams {
  strategy: 'mean' | 'median' | 'most_frequent' | 'constant';
  /** Value used by the 'constant' strategy. */
  fillValue: number;
}

export const simpleImputerDefaults: SimpleImputerParams = { strategy: 'mean', fillValue: 0 };

interface SimpleImputerState extends TransformerLearned {
  statistics: Float64Array;
}

export class SimpleImputer extends FittedTransformer<SimpleImputerParams, SimpleImputerState> {
  readonly kind = 'simple_imputer';

  protected learn(X: Matrix): SimpleImputerState {
    const p = this.params;
    checkParam(['mean', 'median', 'most_frequent', 'constant'].includes(p.strategy), this.kind, 'strategy', "'mean', 'median', 'most_frequent' or 'constant'", p.strategy);
    checkParam(typeof p.fillValue === 'number' && Number.isFinite(p.fillValue), this.kind, 'fillValue', 'a finite number', p.fillValue);
    const statistics = new Float64Array(X.cols);
    if (p.strategy === 'constant') {
      statistics.fill(p.fillValue);
      return { nFeatures: X.cols, statistics };
    }
    rejectEmptyColumns(X, this.kind);
    for (let j = 0; j < X.cols; j++) {
      const col = sortedColumn(X, j);
      if (p.strategy === 'median') statistics[j] = percentileSorted(col, 50);
      else if (p.strategy === 'mean') statistics[j] = mean(col);
      else statistics[j] = mostFrequentSorted(col);
    }
    return { nFeatures: X.cols, statistics };
  }

  protected apply(s: SimpleImputerState, X: Matrix): Matrix {
    const out = matrix(X.rows, X.cols, X.data.slice());
    const d = X.cols;
    for (let t = 0; t < out.data.length; t++) if (Number.isNaN(out.data[t]!)) out.data[t] = s.statistics[t % d]!;
    return out;
  }

  /** The fill value per column learned in fit. */
  statistics(): Float64Array {
    return this.state().statistics.slice();
  }

  protected encode(s: SimpleImputerState): EncodedState {
    return { json: { nFeatures: s.nFeatures }, arrays: { statistics: s.statistics } };
  }

  protected create(params: SimpleImputerParams): SimpleImputer {
    return new SimpleImputer(params);
  }
}

/** Mean of values in the order numpy sums them is not reproducible anyway; plain summation is within 1e-15. */
function mean(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s / v.length;
}

/** Most frequent value of a sorted array; ties go to the smallest value (scikit-learn's rule). */
function mostFrequentSorted(v: Float64Array): number {
  let best = v[0]!;
  let bestCount = 0;
  let i = 0;
  while (i < v.length) {
    let j = i;
    while (j < v.length && v[j] === v[i]) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      best = v[i]!;
    }
    i = j;
  }
  return best;
}

/** Factory for the catalog (kind 'simple_imputer'). */
export const simpleImputer: TransformerFactory<SimpleImputerParams> = {
  kind: 'simple_imputer',
  create: (params = {}) => new SimpleImputer({ ...simpleImputerDefaults, ...params }),
  fromState: (state: ModelState) =>
    new SimpleImputer({ ...simpleImputerDefaults, ...(state.params as Partial<SimpleImputerParams>) }).restore({
      nFeatures: (state.json as { nFeatures: number }).nFeatures,
      statistics: state.arrays.statistics as Float64Array,
    }),
};
