/**
 * Schema validation of a whole data set (the *validate* stage): required columns, allowed values per
 * column, labels, and a duplicate-vector census. It never drops rows silently: it returns the indices
 * of good and bad rows so that the caller can quarantine the bad ones, and a report with per-column
 * counts and a sample of bad rows.
 *
 * Rules: a missing feature value (NaN) is allowed (imputed later) and counted; a present value outside
 * the column's allowed set (or not whole for an int64 column, or infinite) makes the row bad; a missing
 * or unknown label makes the row bad. `ok` is true when no column is missing, there is at least one row
 * and no row is bad; the pipeline decides what to do otherwise.
 *
 * @example
 *   const { report, goodRows, badRows } = validateDataset(ds, schema, { lines: read.lines });
 *   if (!report.ok) quarantine(takeDataset(ds, badRows));
 */
import type { Dataset } from '../core/matrix.js';
import type { Schema } from './schema.js';

export interface ColumnReport {
  name: string;
  /** Missing values (NaN). */
  missing: number;
  /** Present values outside the allowed set. */
  invalid: number;
  /** Count per distinct present value (at most MAX_DISTINCT keys, the rest under "other"). */
  distinct: Record<string, number>;
}

export interface DuplicateCensus {
  /** Distinct feature vectors. */
  distinctVectors: number;
  /** Rows whose feature vector appeared on an earlier row (rows − distinctVectors). */
  duplicateRows: number;
  /** Distinct feature vectors seen with more than one label. */
  conflictingLabels: number;
  /** Distinct (feature vector, label) rows. */
  distinctRows: number;
}

export interface ValidationReport {
  ok: boolean;
  rows: number;
  /** Features first (schema order), then the target. */
  columns: ColumnReport[];
  missingColumns: string[];
  /** Data set columns the schema does not know (ignored). */
  extraColumns: string[];
  /** The first `sampleSize` bad rows. */
  badRows: { line: number; reason: string }[];
  badRowCount: number;
  duplicateVectors: DuplicateCensus;
}

export interface ValidateOptions {
  /** How many bad rows the report lists (default 20). */
  sampleSize?: number;
  /** Source line per row (from readRecordsCsv); without it row i is reported as line i + 2. */
  lines?: Uint32Array;
}

export const MAX_DISTINCT = 50;

function isAllowed(allowed: readonly number[], integer: boolean, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  if (allowed.length > 0) return allowed.includes(v);
  return !integer || Number.isInteger(v);
}

function countDistinct(target: Record<string, number>, v: number): void {
  const key = String(v);
  if (key in target) target[key]!++;
  else if (Object.keys(target).length < MAX_DISTINCT) target[key] = 1;
  else target.other = (target.other ?? 0) + 1;
}

/** Counts distinct feature vectors, duplicate rows and vectors seen with conflicting labels. */
export function duplicateCensus(ds: Dataset): DuplicateCensus {
  const { rows, cols, data } = ds.X;
  // Each value becomes one UTF-16 code via a per-column dictionary, so a row key is a short string.
  const dicts = Array.from({ length: cols }, () => new Map<number, number>());
  const codes = new Array<number>(cols);
  const firstLabel = new Map<string, number>();
  const conflicting = new Set<string>();
  const distinctRows = new Set<string>();
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j]!;
      const dict = dicts[j]!;
      let c = dict.get(v);
      if (c === undefined) { c = dict.size; dict.set(v, c); }
      codes[j] = c;
    }
    const key = String.fromCharCode(...codes);
    const label = ds.y[i]!;
    distinctRows.add(`${key}|${label}`);
    const seen = firstLabel.get(key);
    if (seen === undefined) firstLabel.set(key, label);
    else if (!Object.is(seen, label)) conflicting.add(key);
  }
  return { distinctVectors: firstLabel.size, duplicateRows: rows - firstLabel.size, conflictingLabels: conflicting.size, distinctRows: distinctRows.size };
}

/**
 * Validates a data set against the schema. `ds.columns` may use aliases (port_no) and any order.
 * Returns the report plus the indices of good and bad rows (ascending).
 */
export function validateDataset(ds: Dataset, schema: Schema, opts: ValidateOptions = {}): { report: ValidationReport; goodRows: Uint32Array; badRows: Uint32Array } {
  const sampleSize = opts.sampleSize ?? 20;
  const index = new Map<string, number>();
  const extraColumns: string[] = [];
  ds.columns.forEach((c, k) => {
    const name = schema.aliases[c] ?? c;
    if (schema.features.includes(name) && !index.has(name)) index.set(name, k);
    else extraColumns.push(c);
  });
  const missingColumns = schema.features.filter((f) => !index.has(f));
  const present = schema.features.filter((f) => index.has(f));
  const colIndex = present.map((f) => index.get(f)!);
  const allowed = present.map((f) => schema.allowedValues[f] ?? []);
  const integer = present.map((f) => schema.types[f] !== 'float64');
  const reports: ColumnReport[] = present.map((name) => ({ name, missing: 0, invalid: 0, distinct: {} }));
  const target: ColumnReport = { name: schema.target, missing: 0, invalid: 0, distinct: {} };

  const { rows, cols, data } = ds.X;
  const good = new Uint32Array(rows);
  const bad = new Uint32Array(rows);
  let nGood = 0;
  let nBad = 0;
  const sample: { line: number; reason: string }[] = [];
  for (let i = 0; i < rows; i++) {
    const problems: string[] = [];
    for (let p = 0; p < present.length; p++) {
      const v = data[i * cols + colIndex[p]!]!;
      const rep = reports[p]!;
      if (v !== v) { rep.missing++; continue; }
      countDistinct(rep.distinct, v);
      if (!isAllowed(allowed[p]!, integer[p]!, v)) {
        rep.invalid++;
        problems.push(`${rep.name}: value ${v} is not allowed`);
      }
    }
    const label = ds.y[i]!;
    if (label !== label) {
      target.missing++;
      problems.push(`${schema.target} is missing`);
    } else {
      countDistinct(target.distinct, label);
      if (!schema.targetValues.includes(label)) {
        target.invalid++;
        problems.push(`${schema.target}: label ${label} is not allowed`);
      }
    }
    if (problems.length === 0) {
      good[nGood++] = i;
      continue;
    }
    bad[nBad++] = i;
    if (sample.length < sampleSize) {
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
      sample.push({ line: opts.lines?.[i] ?? i + 2, reason: `${problems[0]}${more}` });
    }
  }
  const report: ValidationReport = {
    ok: missingColumns.length === 0 && rows > 0 && nBad === 0,
    rows,
    columns: [...reports, target],
    missingColumns,
    extraColumns,
    badRows: sample,
    badRowCount: nBad,
    duplicateVectors: duplicateCensus(ds),
  };
  return { report, goodRows: good.slice(0, nGood), badRows: bad.slice(0, nBad) };
}
