/**
 * Input checks shared by estimators and transformers, after scikit-learn's `check_X_y` / `check_array`:
 * shapes agree, X has rows, X is finite unless the estimator accepts missing values, labels are finite
 * and there are at least two classes. Every failure is an NsError a caller can act on.
 */
import { NsError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';

/** Throws BAD_SHAPE unless X is a well-formed matrix with at least one row and one column. */
export function checkMatrix(X: Matrix, who: string): void {
  if (X.rows < 1 || X.cols < 1 || X.data.length !== X.rows * X.cols) {
    throw new NsError('BAD_SHAPE', `${who} got a ${X.rows} x ${X.cols} matrix with ${X.data.length} values.`, {
      hint: 'Pass a non-empty matrix whose data length is rows x cols.',
    });
  }
}

/** Throws NAN_INPUT if X holds NaN or an infinity (models that do not accept missing values). */
export function checkFinite(X: Matrix, who: string): void {
  const d = X.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) {
      throw new NsError('NAN_INPUT', `${who} does not accept missing or infinite values (row ${Math.floor(i / X.cols)}).`, {
        hint: 'Impute missing values first (e.g. simple_imputer or knn_imputer).',
        details: { row: Math.floor(i / X.cols), col: i % X.cols },
      });
    }
  }
}

/** Throws BAD_SHAPE when X at predict time has a different number of columns than at fit time. */
export function checkCols(X: Matrix, expected: number, who: string): void {
  checkMatrix(X, who);
  if (X.cols !== expected) {
    throw new NsError('BAD_SHAPE', `${who} was fitted on ${expected} features but got ${X.cols}.`, {
      hint: 'Pass the same feature columns, in the same order, as at fit time.',
    });
  }
}

/**
 * Checks X and y for `fit` and returns the sorted distinct classes plus each row's class index.
 * Throws BAD_SHAPE, NAN_INPUT, BAD_LABEL or SINGLE_CLASS.
 */
export function checkXy(X: Matrix, y: Float64Array, who: string, options: { allowNaN?: boolean; sampleWeight?: Float64Array } = {}): {
  classes: Float64Array;
  yIndex: Int32Array;
} {
  checkMatrix(X, who);
  if (y.length !== X.rows) {
    throw new NsError('BAD_SHAPE', `${who} got ${X.rows} rows in X but ${y.length} labels.`, { hint: 'Pass one label per row of X.' });
  }
  if (!options.allowNaN) checkFinite(X, who);
  const sw = options.sampleWeight;
  if (sw !== undefined) {
    if (sw.length !== X.rows) {
      throw new NsError('BAD_SHAPE', `${who} got ${sw.length} sample weights for ${X.rows} rows.`, { hint: 'Pass one weight per row.' });
    }
    for (let i = 0; i < sw.length; i++) {
      if (!(sw[i]! >= 0) || !Number.isFinite(sw[i]!)) {
        throw new NsError('BAD_WEIGHT', `${who} got an invalid sample weight at row ${i}.`, { hint: 'Sample weights must be finite and non-negative.' });
      }
    }
  }
  const seen = new Set<number>();
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) {
      throw new NsError('BAD_LABEL', `${who} got a missing or infinite label at row ${i}.`, { hint: 'Drop or fix rows without a label.' });
    }
    seen.add(v);
  }
  if (seen.size < 2) {
    throw new NsError('SINGLE_CLASS', `${who} needs at least two classes in y, got ${seen.size}.`, {
      hint: 'Train on data that contains both phishing and legitimate examples.',
    });
  }
  const classes = Float64Array.from(seen).sort();
  const index = new Map<number, number>();
  classes.forEach((c, k) => index.set(c, k));
  const yIndex = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) yIndex[i] = index.get(y[i]!)!;
  return { classes, yIndex };
}

/** Throws BAD_PARAM with a hint when `ok` is false. Used by `fit` to validate params. */
export function checkParam(ok: boolean, who: string, name: string, expectation: string, value: unknown): void {
  if (!ok) {
    throw new NsError('BAD_PARAM', `${who}: parameter ${name} must be ${expectation}, got ${JSON.stringify(value)}.`, {
      kind: 'config',
      hint: `Set ${name} to ${expectation}.`,
      details: { param: name },
    });
  }
}
