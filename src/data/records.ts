/**
 * CSV rows -> validated numeric records. Three steps, usable alone or together:
 *
 * - `planHeader` maps the header to schema columns (aliases such as port_no -> port, any order) and
 *   throws whole-file errors (missing, extra, duplicate columns, wrong delimiter, no header);
 * - `parseRow` turns one row into feature values in schema order, or a `RowError` with the line and the
 *   reason (value outside the allowed set, not a number, short or long row);
 * - `readRecordChunks` streams a file (text or bytes) through both as chunks of a bounded number of
 *   rows (good rows in a typed-array matrix per chunk, bad rows as errors, never dropped silently);
 * - `readRecordsCsv` gathers those chunks into one matrix for the whole file.
 *
 * Values follow the one rule of values.ts: plain decimal numbers; an empty cell, `na` or `NaN` is a
 * missing value (NaN here, imputed later); anything else (" 1 ", "1e0", "0x1", "NA") is a row error.
 *
 * @example
 *   const res = await readRecordsCsv(chunks, schema, { requireTarget: true });
 *   res.X.rows; res.errors[0]; // { line: 7, column: 'SFH', value: '2', reason: "value 2 is not allowed (-1, 0, 1)" }
 */
import { NsError } from '../core/errors.js';
import { matrix, type Matrix } from '../core/matrix.js';
import { csvCell, CsvTokenizer, type CsvCaps, type CsvRow } from './csv.js';
import type { Schema } from './schema.js';
import { parseValue } from './values.js';

export interface RowError {
  line: number;
  column?: string;
  value?: string;
  reason: string;
}

export interface HeaderPlan {
  /** For each schema feature (in schema order), the index of its cell in a row. */
  featureIndex: Int32Array;
  /** Index of the target's cell, -1 when the file has no target column. */
  targetIndex: number;
  /** The header cells as read (trimmed). */
  header: string[];
  /** Whether a row without a label is an error. */
  requireTarget: boolean;
  /** Header cells that are not schema columns (only non-empty with `allowExtra`). */
  extra: string[];
}

export interface PlanOptions {
  requireTarget: boolean;
  /** Ignore columns the schema does not know instead of failing with CSV_EXTRA_COLUMNS. */
  allowExtra?: boolean;
}

const SHOW_MAX = 40;
/** Characters of text tokenized at a time (about 700 rows of the phishing data). */
const TOKENIZE_SLICE = 1 << 16;

interface Compiled {
  allowed: Float64Array[];
  integer: boolean[];
  targetAllowed: Float64Array;
  allowedText: string[];
  targetText: string;
}

const compiledCache = new WeakMap<Schema, Compiled>();

function compile(schema: Schema): Compiled {
  let c = compiledCache.get(schema);
  if (c === undefined) {
    const list = (name: string) => schema.allowedValues[name] ?? [];
    c = {
      allowed: schema.features.map((f) => Float64Array.from(list(f))),
      integer: schema.features.map((f) => schema.types[f] !== 'float64'),
      targetAllowed: Float64Array.from(schema.targetValues),
      allowedText: schema.features.map((f) => list(f).join(', ')),
      targetText: schema.targetValues.join(', '),
    };
    compiledCache.set(schema, c);
  }
  return c;
}

function isAllowed(allowed: Float64Array, v: number): boolean {
  for (let k = 0; k < allowed.length; k++) if (allowed[k] === v) return true;
  return false;
}

function show(s: string): string {
  return s.length > SHOW_MAX ? `${s.slice(0, SHOW_MAX)}…` : s;
}

/**
 * Maps a header row to the schema. Throws NsError (kind 'input') CSV_DELIMITER, CSV_NO_HEADER,
 * CSV_DUPLICATE_COLUMNS, CSV_MISSING_COLUMNS or CSV_EXTRA_COLUMNS.
 *
 * @example
 *   const plan = planHeader(['Result', 'port_no', ...rest], schema, { requireTarget: true });
 */
export function planHeader(header: string[], schema: Schema, opts: PlanOptions): HeaderPlan {
  const names = header.map((h) => h.trim());
  if (names.length === 1) {
    const only = names[0]!;
    const found = ([[';', 'semicolons'], ['\t', 'tabs'], ['|', 'pipes']] as const).find(([d]) => only.includes(d));
    if (found) {
      throw new NsError('CSV_DELIMITER', `The header is one column separated by ${found[1]}, not commas.`, {
        hint: 'Save the file as comma-separated values (",") with one header row.', details: { delimiter: found[0] },
      });
    }
  }
  if (names.length > 1 && names.every((n) => { const v = parseValue(n, false); return v !== undefined && !Number.isNaN(v); })) {
    throw new NsError('CSV_NO_HEADER', 'The first line holds values, not column names.', {
      hint: `Add a header row naming the columns (${schema.columns.slice(0, 3).join(', ')}, …; see config/schema.yaml).`,
    });
  }
  const index = new Map<string, number>();
  const duplicates: string[] = [];
  const extra: string[] = [];
  const known = new Set(schema.columns);
  names.forEach((raw, i) => {
    const name = schema.aliases[raw] ?? raw;
    if (!known.has(name)) {
      extra.push(raw === '' ? `(empty name, column ${i + 1})` : raw);
      return;
    }
    if (index.has(name)) duplicates.push(raw === name ? name : `${raw} (= ${name})`);
    else index.set(name, i);
  });
  if (duplicates.length > 0) {
    throw new NsError('CSV_DUPLICATE_COLUMNS', `Columns appear more than once: ${duplicates.join(', ')}.`, {
      hint: 'Keep one column per name (another spelling of a name, e.g. port_no for port, counts as the same column).', details: { duplicates },
    });
  }
  const missing = schema.features.filter((f) => !index.has(f));
  if (opts.requireTarget && !index.has(schema.target)) missing.push(schema.target);
  if (missing.length > 0) {
    const also = extra.length > 0 ? ` Unexpected: ${extra.join(', ')}.` : '';
    throw new NsError('CSV_MISSING_COLUMNS', `Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.${also}`, {
      hint: 'The header must name every schema column, in any order (see config/schema.yaml).', details: { missing, extra },
    });
  }
  if (extra.length > 0 && opts.allowExtra !== true) {
    throw new NsError('CSV_EXTRA_COLUMNS', `Unexpected column${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}.`, {
      hint: 'Remove the columns that are not in config/schema.yaml.', details: { extra },
    });
  }
  return {
    featureIndex: Int32Array.from(schema.features, (f) => index.get(f)!),
    targetIndex: index.get(schema.target) ?? -1,
    header: names,
    requireTarget: opts.requireTarget,
    extra,
  };
}

/**
 * Parses one data row into `out` (feature values in schema order, NaN = missing) and returns its
 * label (NaN when the file has no target column, or the label is missing and not required), or a
 * RowError naming the first bad cell.
 */
export function parseRow(row: CsvRow, plan: HeaderPlan, schema: Schema, out: Float64Array): { label: number; missing: number } | RowError {
  const line = row.line;
  if (row.error !== undefined) return { line, reason: row.error };
  const cells = row.cells;
  const width = plan.header.length;
  if (cells.length !== width) {
    return { line, reason: `expected ${width} values, found ${cells.length}${cells.length < width ? ' (short row)' : ' (long row)'}` };
  }
  const c = compile(schema);
  const fi = plan.featureIndex;
  let missing = 0;
  for (let j = 0; j < fi.length; j++) {
    const s = cells[fi[j]!]!;
    const v = parseValue(s, c.integer[j]);
    if (v === undefined) return { line, column: schema.features[j]!, value: show(s), reason: `'${show(s)}' is not a number` };
    if (v === v) {
      const allowed = c.allowed[j]!;
      if (allowed.length > 0 ? !isAllowed(allowed, v) : c.integer[j] && !Number.isInteger(v)) {
        const rule = allowed.length > 0 ? `allowed: ${c.allowedText[j]}` : 'whole numbers only';
        return { line, column: schema.features[j]!, value: show(s), reason: `value ${v} is not allowed (${rule})` };
      }
    } else missing++;
    out[j] = v;
  }
  if (plan.targetIndex < 0) return { label: NaN, missing };
  const s = cells[plan.targetIndex]!;
  const label = parseValue(s);
  if (label === undefined) return { line, column: schema.target, value: show(s), reason: `'${show(s)}' is not a number` };
  if (label !== label) {
    return plan.requireTarget ? { line, column: schema.target, value: show(s), reason: `the label ${schema.target} is missing` } : { label, missing };
  }
  if (!isAllowed(c.targetAllowed, label)) {
    return { line, column: schema.target, value: show(s), reason: `label ${label} is not allowed (allowed: ${c.targetText})` };
  }
  return { label, missing };
}

/** One line describing a row error, e.g. "line 7: SFH: value 2 is not allowed (allowed: -1, 0, 1)". */
export function describeRowError(e: RowError): string {
  return `line ${e.line}: ${e.column !== undefined ? `${e.column}: ` : ''}${e.reason}`;
}

/**
 * True when the first bytes of a file are not UTF-8 text: a NUL byte, or a byte sequence that is not
 * valid UTF-8 (a multi-byte character cut off at the very end of the sample is allowed).
 */
export function detectBinary(firstBytes: Uint8Array): boolean {
  const b = firstBytes;
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c === 0) return true;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; }
    else return true;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return false; // cut off by the sample's end
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) return true;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return true;
    i += need + 1;
  }
  return false;
}

export interface ReadOptions extends PlanOptions {
  /** Any row error becomes NsError CSV_ROW_ERRORS (after the whole file is read). */
  strict?: boolean;
  /** Stop with NsError CSV_TOO_MANY_ERRORS once more rows than this are bad (default: no limit). */
  maxErrors?: number;
  /** Longest field and row (default `defaultCsvCaps`: 64 Ki and 1 Mi characters). */
  caps?: CsvCaps;
}

export interface ReadResult {
  /** The good rows, features in schema order (NaN = missing). */
  X: Matrix;
  /** Labels of the good rows; null when the file has no target column. */
  y: Float64Array | null;
  /** Source line of each good row. */
  lines: Uint32Array;
  /** Every bad row, in file order. */
  errors: RowError[];
  header: string[];
  /** Data rows seen (good + bad; blank lines not counted). */
  rowsRead: number;
  /** Missing feature values (empty, na, NaN) in the good rows; imputed later. */
  missingValues: number;
}

export interface ChunkOptions extends ReadOptions {
  /** Rows (good + bad) per chunk; default 8192. A chunk may be smaller, never larger. */
  chunkRows?: number;
  /** Hand out each chunk's rows as CSV text to echo (`RecordChunk.echo`), for callers that write them back. */
  echoRows?: boolean;
  /** Line number of the input's first line (default 1); a shard cut from a bigger file reports that file's lines. */
  firstLine?: number;
}

/** A slice of the file's rows as `readRecordChunks` hands them out, in file order. */
export interface RecordChunk {
  /** The chunk's good rows, features in schema order (NaN = missing); a fresh buffer per chunk. */
  X: Matrix;
  /** Their labels (NaN when the file has no target column). */
  y: Float64Array;
  /** Their source lines. */
  lines: Uint32Array;
  /** The chunk's bad rows, in file order. */
  errors: RowError[];
  /** Data rows seen so far (good + bad, this chunk included). */
  rowsRead: number;
  /** Missing feature values (empty, na, NaN) in the chunk's good rows; imputed later. */
  missingValues: number;
  header: string[];
  hasTarget: boolean;
  /**
   * With `echoRows`: every data row of the chunk (good and bad), in file order, as its cells escaped
   * by csvCell and joined by commas. One string per row, not the tokenized cells: a chunk's rows live
   * until it is written, and a row's 31 cell strings took several times the memory of its text.
   */
  echo?: string[];
}

const BINARY_HINT = 'Pass a UTF-8 CSV text file (re-save it as "CSV UTF-8" if it came from a spreadsheet).';

function binaryError(message: string, cause?: unknown): NsError {
  return new NsError('CSV_BINARY', message, { hint: BINARY_HINT, cause });
}

function rowErrorSummary(errors: RowError[]): string {
  return errors.slice(0, 3).map(describeRowError).join('; ');
}

/** A row's cells as output CSV text: each escaped by csvCell, joined by commas. */
function echoText(cells: readonly string[]): string {
  let text = cells.length > 0 ? csvCell(cells[0]!) : '';
  for (let j = 1; j < cells.length; j++) text += `,${csvCell(cells[j]!)}`;
  return text;
}

/**
 * Streams a CSV (chunks of text or bytes) as chunks of validated records: memory stays bounded by the
 * chunk size and the source's chunk size, whatever the file's length. Whole-file errors as
 * `readRecordsCsv`; those found only at the end (CSV_EMPTY, CSV_NO_ROWS, with `strict` CSV_ROW_ERRORS,
 * a UTF-8 character cut off at the end) are thrown after the chunks before them were handed out, so a
 * consumer that must not commit partial data stages what it gets until the generator ends.
 */
export async function* readRecordChunks(source: AsyncIterable<string | Uint8Array>, schema: Schema, opts: ChunkOptions): AsyncGenerator<RecordChunk, void, undefined> {
  const nf = schema.features.length;
  const chunkRows = Math.max(1, opts.chunkRows ?? 8192);
  const maxErrors = opts.maxErrors ?? Infinity;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const tokenizer = new CsvTokenizer(opts.caps, opts.firstLine ?? 1);
  let plan: HeaderPlan | null = null;
  let first = true;
  let sawText = false;
  let rowsRead = 0;
  let errorCount = 0;
  const firstErrors: RowError[] = [];
  let X = new Float64Array(chunkRows * nf);
  let y = new Float64Array(chunkRows);
  let lines = new Uint32Array(chunkRows);
  let errors: RowError[] = [];
  let good = 0;
  let missingValues = 0;
  let kept: string[] = [];
  const ready: RecordChunk[] = [];

  const flush = (p: HeaderPlan): void => {
    if (good === 0 && errors.length === 0) return;
    ready.push({
      X: matrix(good, nf, X.subarray(0, good * nf)), y: y.subarray(0, good), lines: lines.subarray(0, good), errors, rowsRead, missingValues, header: p.header, hasTarget: p.targetIndex >= 0,
      ...(opts.echoRows === true ? { echo: kept } : {}),
    });
    missingValues = 0;
    X = new Float64Array(chunkRows * nf);
    y = new Float64Array(chunkRows);
    lines = new Uint32Array(chunkRows);
    errors = [];
    kept = [];
    good = 0;
  };

  const take = (rows: CsvRow[]): void => {
    for (const row of rows) {
      if (plan === null) {
        if (row.cells.every((c) => c.trim() === '')) continue; // whitespace before the header
        plan = planHeader(row.cells, schema, opts);
        continue;
      }
      rowsRead++;
      if (opts.echoRows === true) kept.push(echoText(row.cells));
      const r = parseRow(row, plan, schema, X.subarray(good * nf, (good + 1) * nf));
      if ('reason' in r) {
        errors.push(r);
        errorCount++;
        if (firstErrors.length < 10) firstErrors.push(r);
        if (errorCount > maxErrors) {
          throw new NsError('CSV_TOO_MANY_ERRORS', `More than ${maxErrors} rows have errors, e.g. ${rowErrorSummary(firstErrors)}.`, {
            hint: 'Check that this is the right file for this schema.', details: { firstErrors },
          });
        }
      } else {
        y[good] = r.label;
        missingValues += r.missing;
        lines[good] = row.line;
        good++;
      }
      if (good + errors.length >= chunkRows) flush(plan);
    }
  };

  for await (const chunk of source) {
    let text: string;
    if (typeof chunk === 'string') {
      if (first && chunk.length > 0 && chunk.includes('\u0000')) throw binaryError('The file contains NUL characters; it looks binary, not CSV text.');
      text = chunk;
    } else {
      if (first && chunk.length > 0 && detectBinary(chunk.subarray(0, 65536))) throw binaryError('The file is not UTF-8 text; it looks binary.');
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch (e) {
        throw binaryError('The file contains bytes that are not valid UTF-8.', e);
      }
    }
    if (text.length === 0) continue;
    first = false;
    if (!sawText && /\S/.test(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)) sawText = true;
    // A big source chunk (1 MiB from a file) goes through the tokenizer in slices, so its row objects
    // die young instead of all living until the whole chunk is parsed.
    for (let at = 0; at < text.length; at += TOKENIZE_SLICE) {
      take(tokenizer.push(text.length <= TOKENIZE_SLICE ? text : text.slice(at, at + TOKENIZE_SLICE)));
      yield* ready.splice(0);
    }
  }
  try {
    decoder.decode(); // with fatal: true, only checks that no character was cut off at the end
  } catch (e) {
    throw binaryError('The file ends in the middle of a UTF-8 character.', e);
  }
  take(tokenizer.end());
  const done = plan as HeaderPlan | null;
  if (done !== null) flush(done);
  yield* ready.splice(0);

  if (!sawText || done === null) throw new NsError('CSV_EMPTY', 'The file is empty.', { hint: 'Pass a CSV with a header row and at least one data row.' });
  if (rowsRead === 0) throw new NsError('CSV_NO_ROWS', 'The file has a header but no data rows.', { hint: 'Add at least one data row below the header.' });
  if (opts.strict === true && errorCount > 0) {
    throw new NsError('CSV_ROW_ERRORS', `${errorCount} of ${rowsRead} rows have errors: ${rowErrorSummary(firstErrors)}.`, {
      hint: 'Fix those rows, or run without --strict to process the good rows and report the bad ones.', details: { errorCount, firstErrors },
    });
  }
}

/**
 * Reads a whole CSV (chunks of text or bytes) into validated records (`readRecordChunks` gathered
 * into one matrix). Whole-file errors (NsError, kind 'input'): CSV_EMPTY, CSV_NO_ROWS, CSV_BINARY,
 * plus planHeader's; with `strict`, CSV_ROW_ERRORS; with `maxErrors`, CSV_TOO_MANY_ERRORS.
 */
export async function readRecordsCsv(source: AsyncIterable<string | Uint8Array>, schema: Schema, opts: ReadOptions): Promise<ReadResult> {
  const nf = schema.features.length;
  let cap = 1024;
  let X = new Float64Array(cap * nf);
  let y = new Float64Array(cap);
  let lines = new Uint32Array(cap);
  let good = 0;
  let missingValues = 0;
  const errors: RowError[] = [];
  let last: RecordChunk | null = null;
  for await (const chunk of readRecordChunks(source, schema, opts)) {
    const n = chunk.X.rows;
    if (good + n > cap) {
      while (good + n > cap) cap *= 2;
      const X2 = new Float64Array(cap * nf); X2.set(X.subarray(0, good * nf)); X = X2;
      const y2 = new Float64Array(cap); y2.set(y.subarray(0, good)); y = y2;
      const l2 = new Uint32Array(cap); l2.set(lines.subarray(0, good)); lines = l2;
    }
    X.set(chunk.X.data, good * nf);
    y.set(chunk.y, good);
    lines.set(chunk.lines, good);
    good += n;
    missingValues += chunk.missingValues;
    for (const e of chunk.errors) errors.push(e);
    last = chunk;
  }
  // readRecordChunks throws CSV_EMPTY / CSV_NO_ROWS before a file without rows gets here.
  const end = last!;
  return {
    X: matrix(good, nf, X.slice(0, good * nf)),
    y: end.hasTarget ? y.slice(0, good) : null,
    lines: lines.slice(0, good),
    errors,
    header: end.header,
    rowsRead: end.rowsRead,
    missingValues,
  };
}
