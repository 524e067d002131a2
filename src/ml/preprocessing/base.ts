/**
 * The common base of the transformers (imputers, scalers, one-hot), after scikit-learn's
 * TransformerMixin: params stored unchanged; `fit` validates and learns a separate state;
 * `transform` before `fit` throws NotFittedError; `toState` / the factory's `fromState` round-trip.
 *
 *   FittedTransformer<P, S>
 *     ├─ SimpleImputer, KNNImputer
 *     ├─ StandardScaler, MinMaxScaler, RobustScaler
 *     └─ OneHotEncoder
 */
import { NsError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import type { Transformer } from '../estimator.js';
import { Learner } from '../learner.js';
import { checkCols, checkMatrix } from './validation.js';

export interface TransformerLearned {
  nFeatures: number;
}

export abstract class FittedTransformer<P extends object, S extends TransformerLearned> extends Learner<P, S> implements Transformer<P> {
  /** Validates params and learns the state from X (NaN = missing; infinities are rejected). */
  protected abstract learn(X: Matrix): S;
  /** Transforms a checked X with state s. */
  protected abstract apply(s: S, X: Matrix): Matrix;
  protected abstract override create(params: P): FittedTransformer<P, S>;

  fit(X: Matrix): this {
    checkMatrix(X, this.kind);
    rejectInfinity(X, this.kind);
    this.learned = this.learn(X);
    return this;
  }

  transform(X: Matrix): Matrix {
    const s = this.state();
    checkCols(X, s.nFeatures, this.kind);
    rejectInfinity(X, this.kind);
    return this.apply(s, X);
  }

  fitTransform(X: Matrix): Matrix {
    return this.fit(X).transform(X);
  }

  override clone(): FittedTransformer<P, S> {
    return this.create({ ...this.params });
  }
}

function rejectInfinity(X: Matrix, who: string): void {
  const d = X.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v === Infinity || v === -Infinity) {
      throw new NsError('NAN_INPUT', `${who} got an infinite value at row ${Math.floor(i / X.cols)}.`, {
        hint: 'Replace infinities with finite values or NaN (missing).',
      });
    }
  }
}

/** Throws EMPTY_FEATURE if some column has no observed (non-NaN) value. */
export function rejectEmptyColumns(X: Matrix, who: string): void {
  for (let j = 0; j < X.cols; j++) {
    let seen = false;
    for (let i = 0; i < X.rows && !seen; i++) seen = !Number.isNaN(X.data[i * X.cols + j]!);
    if (!seen) {
      throw new NsError('EMPTY_FEATURE', `${who}: column ${j} has no observed value.`, {
        hint: 'Drop columns that are entirely missing before fitting.',
        details: { col: j },
      });
    }
  }
}

/** The observed (non-NaN) values of column j, sorted ascending. */
export function sortedColumn(X: Matrix, j: number): Float64Array {
  const vals: number[] = [];
  for (let i = 0; i < X.rows; i++) {
    const v = X.data[i * X.cols + j]!;
    if (!Number.isNaN(v)) vals.push(v);
  }
  return Float64Array.from(vals).sort();
}

/** numpy's default ('linear') percentile q in [0, 100] of sorted values. */
export function percentileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const t = pos - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  // numpy's _lerp: interpolate from the nearer end, so the result is exact at t = 0 and t = 1.
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/** scikit-learn's `_handle_zeros_in_scale`: scales too close to zero become 1. */
export function safeScale(s: number): number {
  return s < 10 * Number.EPSILON ? 1 : s;
}
