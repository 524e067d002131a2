/**
 * Turning request payloads into a feature Matrix in the model's column order, with the checks every
 * scoring surface shares: known feature names (schema aliases accepted), every feature present, values
 * in {-1, 0, 1}. Each failure is an NsError naming the row and feature, so a client can fix its input.
 *
 * @example
 *   const cols = columnResolver(schema, model.featureNames);
 *   const X = matrixFromRecords([{ having_IP_Address: 1, ... }], cols);
 */
import { NsError } from '../core/errors.js';
import { matrix, type Matrix } from '../core/matrix.js';
import { parseValue } from '../data/values.js';
import type { ServerSchema } from './deps.js';

/** Maps an input column name to its model column (or 'ignore' for the target). */
export interface ColumnResolver {
  readonly featureNames: readonly string[];
  /** Model column index, -1 for the target column (ignored), undefined for unknown names. */
  indexOf(name: string): number | undefined;
}

/** Builds the name → column lookup for a model, accepting the schema's aliases and ignoring the target. */
export function columnResolver(schema: ServerSchema, featureNames: readonly string[]): ColumnResolver {
  const map = new Map<string, number>();
  featureNames.forEach((f, i) => map.set(f, i));
  for (const [alias, canonical] of Object.entries(schema.aliases)) {
    const i = map.get(canonical);
    if (i !== undefined) map.set(alias, i);
  }
  if (!map.has(schema.target)) map.set(schema.target, -1);
  return { featureNames, indexOf: (name) => map.get(name) };
}

const allowed = new Set([-1, 0, 1]);

/**
 * Reads one cell as a feature value by the one rule of src/data/values.ts: -1, 0 or 1 (a JSON number
 * or its plain decimal text), NaN for a missing value (empty, "na", "NaN", null; the model's
 * preprocessing imputes it); undefined otherwise.
 */
export function featureValue(v: unknown): number | undefined {
  const n = parseValue(v);
  return n !== undefined && (Number.isNaN(n) || allowed.has(n)) ? n : undefined;
}

/** Missing values (NaN) in a feature matrix, for the counts the routes report. */
export function countMissing(X: Matrix): number {
  let n = 0;
  for (let i = 0; i < X.data.length; i++) if (X.data[i] !== X.data[i]) n++;
  return n;
}

function badValue(row: number, feature: string, value: unknown): NsError {
  return new NsError('BAD_VALUE', `Row ${row}: feature ${feature} has value ${JSON.stringify(value) ?? String(value)}; allowed are -1, 0 and 1.`, {
    hint: 'Encode every feature as -1, 0 or 1 (a number or its plain decimal text); write a missing value as null, "", "na" or "NaN".',
    details: { row, feature },
  });
}

/** Checks a list of column names against the model: unknown names and missing features are errors. */
export function resolveColumns(columns: readonly unknown[], cols: ColumnResolver): number[] {
  const unknown: string[] = [];
  const seen = new Set<number>();
  const idx = columns.map((c) => {
    const i = typeof c === 'string' ? cols.indexOf(c) : undefined;
    if (i === undefined) unknown.push(String(c));
    else if (i >= 0) {
      if (seen.has(i)) throw new NsError('DUPLICATE_FEATURE', `Feature ${String(c)} is given twice.`, { hint: 'Give each feature once.', details: { feature: c } });
      seen.add(i);
    }
    return i ?? -1;
  });
  if (unknown.length > 0) {
    throw new NsError('UNKNOWN_FEATURES', `Unknown feature names: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ' …' : ''}.`, {
      hint: 'Use the feature names of GET /api/v1/schema.',
      details: { unknown },
    });
  }
  const missing = cols.featureNames.filter((_, i) => !seen.has(i));
  if (missing.length > 0) {
    throw new NsError('MISSING_FEATURES', `Missing features: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}.`, {
      hint: 'Give all 30 features (see GET /api/v1/schema).',
      details: { missing },
    });
  }
  return idx;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Rows given as objects keyed by feature name. */
export function matrixFromRecords(records: readonly unknown[], cols: ColumnResolver): Matrix {
  if (records.length === 0) throw new NsError('EMPTY_INPUT', 'No rows were given.', { hint: 'Send at least one row.' });
  const p = cols.featureNames.length;
  const X = matrix(records.length, p);
  records.forEach((rec, r) => {
    if (!isRecord(rec)) throw new NsError('BAD_ROW', `Row ${r} is not an object of feature values.`, { hint: 'Send each row as {"feature": value, …}.', details: { row: r } });
    const keys = Object.keys(rec);
    const idx = resolveColumns(keys, cols);
    keys.forEach((k, j) => {
      const c = idx[j]!;
      if (c < 0) return;
      const v = featureValue(rec[k]);
      if (v === undefined) throw badValue(r, cols.featureNames[c]!, rec[k]);
      X.data[r * p + c] = v;
    });
  });
  return X;
}

/** Rows given as arrays; `columns` names each position (default: the model's feature order). */
export function matrixFromArrays(rows: readonly unknown[], cols: ColumnResolver, columns?: readonly unknown[]): Matrix {
  if (rows.length === 0) throw new NsError('EMPTY_INPUT', 'No rows were given.', { hint: 'Send at least one row.' });
  const p = cols.featureNames.length;
  const idx = columns ? resolveColumns(columns, cols) : cols.featureNames.map((_, i) => i);
  const X = matrix(rows.length, p);
  rows.forEach((row, r) => {
    if (!Array.isArray(row)) throw new NsError('BAD_ROW', `Row ${r} is not an array of values.`, { hint: 'Send each row as an array of 30 values.', details: { row: r } });
    if (row.length !== idx.length) {
      throw new NsError('BAD_SHAPE', `Row ${r} has ${row.length} values, expected ${idx.length}.`, { hint: 'Give one value per feature, in schema order.', details: { row: r } });
    }
    row.forEach((v: unknown, j) => {
      const c = idx[j]!;
      if (c < 0) return;
      const x = featureValue(v);
      if (x === undefined) throw badValue(r, cols.featureNames[c]!, v);
      X.data[r * p + c] = x;
    });
  });
  return X;
}

/** Rows given as { feature: [values…] } columns of equal length. */
export function matrixFromColumns(columns: Record<string, unknown>, cols: ColumnResolver): Matrix {
  const names = Object.keys(columns);
  const idx = resolveColumns(names, cols);
  const lists = names.map((n) => columns[n]);
  const first = lists[0];
  if (!Array.isArray(first)) throw new NsError('BAD_SHAPE', 'Each column must be an array of values.', { hint: 'Send {"feature": [v1, v2, …], …}.' });
  const n = first.length;
  if (n === 0) throw new NsError('EMPTY_INPUT', 'No rows were given.', { hint: 'Send at least one row.' });
  const p = cols.featureNames.length;
  const X = matrix(n, p);
  lists.forEach((list, j) => {
    if (!Array.isArray(list) || list.length !== n) {
      throw new NsError('BAD_SHAPE', `Column ${names[j]} does not have ${n} values.`, { hint: 'Give every column the same number of values.' });
    }
    const c = idx[j]!;
    if (c < 0) return;
    list.forEach((v: unknown, r) => {
      const x = featureValue(v);
      if (x === undefined) throw badValue(r, cols.featureNames[c]!, v);
      X.data[r * p + c] = x;
    });
  });
  return X;
}
