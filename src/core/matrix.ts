/**
 * Dense numeric matrices on one Float64Array, row-major: value (i, j) is `data[i * cols + j]`.
 * Missing values are NaN. `Dataset` adds column names and labels; it is the unit that flows
 * between pipeline stages and into estimators.
 *
 * @example
 *   const m = matrix(2, 3); m.data[1 * 3 + 2] = 1; // row 1, column 2
 */
import { NsError } from './errors.js';

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Labelled records: features in schema order, label per row (the raw class values, e.g. -1/1). */
export interface Dataset {
  readonly columns: readonly string[];
  readonly X: Matrix;
  readonly y: Float64Array;
}

export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) {
    throw new NsError('BAD_SHAPE', `Matrix data has ${d.length} values, expected ${rows} x ${cols}.`, { kind: 'internal' });
  }
  return { rows, cols, data: d };
}

export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  const m = matrix(r, c);
  for (let i = 0; i < r; i++) {
    const row = rows[i]!;
    if (row.length !== c) throw new NsError('BAD_SHAPE', `Row ${i} has ${row.length} values, expected ${c}.`);
    m.data.set(row, i * c);
  }
  return m;
}

export function row(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Rows picked by index (copy). */
export function takeRows(m: Matrix, idx: ArrayLike<number>): Matrix {
  const out = matrix(idx.length, m.cols);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    out.data.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), k * m.cols);
  }
  return out;
}

/** Columns picked by index, in the given order (copy). */
export function takeColumns(m: Matrix, cols: readonly number[]): Matrix {
  const out = matrix(m.rows, cols.length);
  for (let i = 0; i < m.rows; i++) for (let k = 0; k < cols.length; k++) out.data[i * cols.length + k] = m.data[i * m.cols + cols[k]!]!;
  return out;
}

export function takeValues(v: Float64Array, idx: ArrayLike<number>): Float64Array {
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = v[idx[k]!]!;
  return out;
}

export function takeDataset(ds: Dataset, idx: ArrayLike<number>): Dataset {
  return { columns: ds.columns, X: takeRows(ds.X, idx), y: takeValues(ds.y, idx) };
}
