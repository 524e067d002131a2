/**
 * Scalers, after scikit-learn: StandardScaler (subtract the mean, divide by the population standard
 * deviation), MinMaxScaler (map [min, max] to featureRange), RobustScaler (subtract the median, divide
 * by an inter-quantile range). Statistics ignore NaN; NaN passes through transform unchanged. Scales
 * that are zero (constant columns) become 1, as in scikit-learn.
 *
 * All three are affine per column, so they share one state (offset, factor): (x - offset) * factor for
 * the standard and robust scalers, x * factor + offset for min-max (scikit-learn's own arithmetic).
 *
 * @example
 *   const sc = standardScaler.create(); const Z = sc.fitTransform(X);
 */
import { matrix, type Matrix } from '../../core/matrix.js';
import type { ModelState, TransformerFactory } from '../estimator.js';
import type { EncodedState } from '../linear/base.js';
import { FittedTransformer, percentileSorted, safeScale, sortedColumn, type TransformerLearned } from './base.js';
import { checkParam } from './validation.js';

interface AffineState extends TransformerLearned {
  /** x' = (x - offset[j]) * factor[j] */
  offset: Float64Array;
  factor: Float64Array;
}

abstract class AffineScaler<P extends object> extends FittedTransformer<P, AffineState> {
  protected apply(s: AffineState, X: Matrix): Matrix {
    const d = X.cols;
    const out = matrix(X.rows, d);
    for (let i = 0; i < X.rows; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) out.data[o + j] = (X.data[o + j]! - s.offset[j]!) * s.factor[j]!;
    }
    return out;
  }

  protected encode(s: AffineState): EncodedState {
    return { json: { nFeatures: s.nFeatures }, arrays: { offset: s.offset, factor: s.factor } };
  }
}

function decodeAffine(state: ModelState): AffineState {
  return { nFeatures: (state.json as { nFeatures: number }).nFeatures, offset: state.arrays.offset as Float64Array, factor: state.arrays.factor as Float64Array };
}

export interface StandardScalerParams {
  withMean: boolean;
  withStd: boolean;
}

export const standardScalerDefaults: StandardScalerParams = { withMean: true, withStd: true };

export class StandardScaler extends AffineScaler<StandardScalerParams> {
  readonly kind = 'standard_scaler';

  protected learn(X: Matrix): AffineState {
    const p = this.params;
    checkParam(typeof p.withMean === 'boolean', this.kind, 'withMean', 'true or false', p.withMean);
    checkParam(typeof p.withStd === 'boolean', this.kind, 'withStd', 'true or false', p.withStd);
    const d = X.cols;
    const offset = new Float64Array(d);
    const factor = new Float64Array(d).fill(1);
    for (let j = 0; j < d; j++) {
      let sum = 0;
      let count = 0;
      for (let i = 0; i < X.rows; i++) {
        const v = X.data[i * d + j]!;
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      const mean = count > 0 ? sum / count : NaN;
      let ss = 0;
      for (let i = 0; i < X.rows; i++) {
        const v = X.data[i * d + j]!;
        if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
      }
      if (p.withMean) offset[j] = count > 0 ? mean : 0;
      if (p.withStd) factor[j] = 1 / safeScale(count > 0 ? Math.sqrt(ss / count) : 1);
    }
    return { nFeatures: d, offset, factor };
  }

  protected create(params: StandardScalerParams): StandardScaler {
    return new StandardScaler(params);
  }
}

export interface MinMaxScalerParams {
  featureRange: [number, number];
}

export const minMaxScalerDefaults: MinMaxScalerParams = { featureRange: [0, 1] };

export class MinMaxScaler extends AffineScaler<MinMaxScalerParams> {
  readonly kind = 'minmax_scaler';

  protected learn(X: Matrix): AffineState {
    const r = this.params.featureRange;
    checkParam(Array.isArray(r) && r.length === 2 && r[0] < r[1], this.kind, 'featureRange', '[low, high] with low < high', r);
    const d = X.cols;
    const offset = new Float64Array(d);
    const factor = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < X.rows; i++) {
        const v = X.data[i * d + j]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (lo === Infinity) {
        lo = 0;
        hi = 0;
      }
      const scale = (r[1] - r[0]) / safeScale(hi - lo);
      factor[j] = scale;
      offset[j] = r[0] - lo * scale;
    }
    return { nFeatures: d, offset, factor };
  }

  protected override apply(s: AffineState, X: Matrix): Matrix {
    // Here offset is scikit-learn's min_ and the map is x * scale + min_ (its arithmetic order).
    const d = X.cols;
    const out = matrix(X.rows, d);
    for (let i = 0; i < X.rows; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) out.data[o + j] = X.data[o + j]! * s.factor[j]! + s.offset[j]!;
    }
    return out;
  }

  protected create(params: MinMaxScalerParams): MinMaxScaler {
    return new MinMaxScaler(params);
  }
}

export interface RobustScalerParams {
  withCentering: boolean;
  withScaling: boolean;
  /** Percentiles whose difference is the scale, e.g. [25, 75] (the interquartile range). */
  quantileRange: [number, number];
}

export const robustScalerDefaults: RobustScalerParams = { withCentering: true, withScaling: true, quantileRange: [25, 75] };

export class RobustScaler extends AffineScaler<RobustScalerParams> {
  readonly kind = 'robust_scaler';

  protected learn(X: Matrix): AffineState {
    const p = this.params;
    const q = p.quantileRange;
    checkParam(Array.isArray(q) && q.length === 2 && q[0] >= 0 && q[0] <= q[1] && q[1] <= 100, this.kind, 'quantileRange', '[low, high] with 0 <= low <= high <= 100', q);
    checkParam(typeof p.withCentering === 'boolean', this.kind, 'withCentering', 'true or false', p.withCentering);
    checkParam(typeof p.withScaling === 'boolean', this.kind, 'withScaling', 'true or false', p.withScaling);
    const d = X.cols;
    const offset = new Float64Array(d);
    const factor = new Float64Array(d).fill(1);
    for (let j = 0; j < d; j++) {
      const col = sortedColumn(X, j);
      if (p.withCentering) offset[j] = col.length > 0 ? percentileSorted(col, 50) : 0;
      if (p.withScaling) factor[j] = 1 / safeScale(col.length > 0 ? percentileSorted(col, q[1]) - percentileSorted(col, q[0]) : 1);
    }
    return { nFeatures: d, offset, factor };
  }

  protected create(params: RobustScalerParams): RobustScaler {
    return new RobustScaler(params);
  }
}

/** Factory for the catalog (kind 'standard_scaler'). */
export const standardScaler: TransformerFactory<StandardScalerParams> = {
  kind: 'standard_scaler',
  create: (params = {}) => new StandardScaler({ ...standardScalerDefaults, ...params }),
  fromState: (state) => new StandardScaler({ ...standardScalerDefaults, ...(state.params as Partial<StandardScalerParams>) }).restore(decodeAffine(state)),
};

/** Factory for the catalog (kind 'minmax_scaler'). */
export const minMaxScaler: TransformerFactory<MinMaxScalerParams> = {
  kind: 'minmax_scaler',
  create: (params = {}) => new MinMaxScaler({ ...minMaxScalerDefaults, ...params }),
  fromState: (state) => new MinMaxScaler({ ...minMaxScalerDefaults, ...(state.params as Partial<MinMaxScalerParams>) }).restore(decodeAffine(state)),
};

/** Factory for the catalog (kind 'robust_scaler'). */
export const robustScaler: TransformerFactory<RobustScalerParams> = {
  kind: 'robust_scaler',
  create: (params = {}) => new RobustScaler({ ...robustScalerDefaults, ...params }),
  fromState: (state) => new RobustScaler({ ...robustScalerDefaults, ...(state.params as Partial<RobustScalerParams>) }).restore(decodeAffine(state)),
};
