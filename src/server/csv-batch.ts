/**
 * Batch scoring of an uploaded CSV: reads the stream chunk by chunk (stopping at the size limit),
 * checks the header once (all features present; extra columns are kept and passed through), turns
 * each row into feature values or a row-level error, and writes the scored CSV back in chunks with
 * `prediction`, `phishing_probability` and `error` columns appended.
 */
import { setImmediate } from 'node:timers/promises';
import { NsError } from '../core/errors.js';
import { matrix, type Matrix } from '../core/matrix.js';
import { csvCell, isFormulaLike } from '../data/csv.js';
import { CsvRecordSplitter, defaultCsvCaps, isPlainRecord, parseCsvRecord, type CsvCaps } from './csv.js';
import type { ColumnResolver } from './rows.js';
import { featureValue } from './rows.js';

/** A parsed upload: the raw records, the matrix of valid rows and the error of each invalid row. */
export interface CsvBatch {
  header: string[];
  /** Raw text of each data record (without line break). */
  lines: string[];
  /** Valid rows only, in order. */
  X: Matrix;
  /** For each record: its row in X, or -1 when it has an error. */
  rowOf: Int32Array;
  /** Error message by record index. */
  errors: Map<number, string>;
  /** 1 when the record can be echoed as it is (no quotes, no formula-like cell). */
  plain: Uint8Array;
}

const isRisky = (c: number): boolean => c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;

/**
 * The hot path for the common record: unquoted, every feature cell exactly -1, 0 or 1. Writes the
 * values at `off` and returns 1 (echo as is) or 2 (has a formula-like pass-through cell); 0 means
 * "take the general path". Hand-inlined character checks because this runs once per uploaded row.
 */
function fastRecord(line: string, colIdx: readonly number[], data: Float64Array, off: number): 0 | 1 | 2 {
  let j = 0;
  let start = 0;
  let result: 1 | 2 = 1;
  const n = line.length;
  for (let i = 0; i <= n; i++) {
    const ch = i < n ? line.charCodeAt(i) : 44;
    if (ch === 34) return 0;
    if (ch !== 44) continue;
    if (j >= colIdx.length) return 0;
    const c = colIdx[j]!;
    if (c >= 0) {
      const len = i - start;
      const d = line.charCodeAt(start);
      if (len === 1 && (d === 49 || d === 48)) data[off + c] = d - 48;
      else if (len === 2 && d === 45 && line.charCodeAt(start + 1) === 49) data[off + c] = -1;
      else return 0;
    } else if (i > start && isRisky(line.charCodeAt(start)) && isFormulaLike(line.slice(start, i))) result = 2;
    j++;
    start = i + 1;
  }
  return j === colIdx.length ? result : 0;
}

/** Raised when the upload passes `limitBytes`. */
export function uploadTooLarge(limitBytes: number): NsError {
  return new NsError('UPLOAD_TOO_LARGE', `The upload is larger than ${limitBytes} bytes.`, { kind: 'limit', hint: 'Split the file into smaller parts.' });
}

/** Bytes parsed between two turns of the event loop, so /healthz and other requests stay fast during a big upload. */
const yieldEveryBytes = 1 << 16;

/** Where the upload's bytes come from; `truncated` is set by a multipart file stream cut at its size limit. */
type UploadStream = AsyncIterable<Uint8Array | string> & { truncated?: boolean; iterator?: (opts: { destroyOnReturn: boolean }) => AsyncIterable<Uint8Array | string> };

/**
 * Reads records from a byte stream, enforcing the size limit and the field and record caps. On an
 * error the stream is left alone rather than destroyed (destroying a request body resets the
 * connection before the 413/4xx answer is sent); the route answers with `Connection: close`.
 */
export async function readCsvRecords(stream: UploadStream, limitBytes: number, onRecord: (line: string) => void, caps: CsvCaps = defaultCsvCaps): Promise<void> {
  const decoder = new TextDecoder('utf-8');
  const splitter = new CsvRecordSplitter(caps);
  const chunks = stream.iterator?.({ destroyOnReturn: false }) ?? stream;
  let bytes = 0;
  let sinceYield = 0;
  let first = true;
  for await (const chunk of chunks) {
    const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    bytes += size;
    if (bytes > limitBytes) throw uploadTooLarge(limitBytes);
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    for (const line of splitter.push(text)) onRecord(line);
    sinceYield += size;
    if (sinceYield >= yieldEveryBytes) { sinceYield = 0; await setImmediate(); }
  }
  // A multipart file cut at busboy's size limit ends normally, with `truncated` set.
  if (stream.truncated === true) throw uploadTooLarge(limitBytes);
  const tail = decoder.decode();
  for (const line of [...splitter.push(tail), ...splitter.end()]) onRecord(line);
}

/** Parses an uploaded CSV against a model's columns; header problems throw, row problems are kept per row. */
export async function parseCsvBatch(stream: UploadStream, cols: ColumnResolver, limitBytes: number, caps: CsvCaps = defaultCsvCaps): Promise<CsvBatch> {
  const p = cols.featureNames.length;
  let header: string[] | undefined;
  let colIdx: number[] = [];
  const lines: string[] = [];
  const errors = new Map<number, string>();
  let data = new Float64Array(1024 * p);
  let valid = 0;
  let rowOf = new Int32Array(1024);
  let plain = new Uint8Array(1024);
  const onRecord = (line: string): void => {
    if (header === undefined) {
      if (line.trim() === '') return;
      header = parseCsvRecord(line).map((h) => h.trim());
      colIdx = checkHeader(header, cols);
      return;
    }
    if (line === '') return;
    const r = lines.length;
    lines.push(line);
    if (r >= rowOf.length) {
      const g = new Int32Array(rowOf.length * 2); g.set(rowOf); rowOf = g;
      const h = new Uint8Array(plain.length * 2); h.set(plain); plain = h;
    }
    if ((valid + 1) * p > data.length) { const g = new Float64Array(data.length * 2); g.set(data); data = g; }
    const fast = fastRecord(line, colIdx, data, valid * p);
    if (fast !== 0) {
      plain[r] = fast === 1 ? 1 : 0;
      rowOf[r] = valid++;
      return;
    }
    plain[r] = isPlainRecord(line) ? 1 : 0;
    const cells = parseCsvRecord(line);
    if (cells.length !== header.length) {
      errors.set(r, `expected ${header.length} values but found ${cells.length}`);
      rowOf[r] = -1;
      return;
    }
    const off = valid * p;
    for (let j = 0; j < cells.length; j++) {
      const c = colIdx[j]!;
      if (c < 0) continue;
      const v = featureValue(cells[j]);
      if (v === undefined) {
        errors.set(r, `${cols.featureNames[c]} is ${cells[j]!}; allowed: -1 0 1, or empty, na, NaN for a missing value`);
        rowOf[r] = -1;
        return;
      }
      data[off + c] = v;
    }
    rowOf[r] = valid++;
  };
  await readCsvRecords(stream, limitBytes, onRecord, caps);
  if (header === undefined || lines.length === 0) {
    throw new NsError('CSV_EMPTY', header === undefined ? 'The CSV file is empty.' : 'The CSV file has a header but no rows.', { hint: 'Upload a CSV with a header row and at least one data row.' });
  }
  return { header, lines, X: matrix(valid, p, data.subarray(0, valid * p)), rowOf: rowOf.subarray(0, lines.length), errors, plain: plain.subarray(0, lines.length) };
}

/** Header → model column per position (-1: passed through). Missing features or duplicates throw. */
function checkHeader(header: string[], cols: ColumnResolver): number[] {
  const seen = new Set<number>();
  const idx = header.map((h) => {
    const i = cols.indexOf(h);
    if (i === undefined || i < 0) return -1;
    if (seen.has(i)) throw new NsError('DUPLICATE_FEATURE', `The CSV header names feature ${h} twice.`, { hint: 'Keep one column per feature.', details: { feature: h } });
    seen.add(i);
    return i;
  });
  const missing = cols.featureNames.filter((_, i) => !seen.has(i));
  if (missing.length > 0) {
    throw new NsError('MISSING_FEATURES', `The CSV header lacks ${missing.length} feature(s): ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}.`, {
      hint: 'The first line must name all 30 features (see GET /api/v1/schema).', details: { missing },
    });
  }
  return idx;
}

/** The scored CSV in chunks of about `rowsPerChunk` lines. */
export function* scoredCsvChunks(batch: CsvBatch, label: Float64Array, probPhishing: Float64Array, rowsPerChunk = 4096): Generator<string> {
  yield [...batch.header.map(csvCell), 'prediction', 'phishing_probability', 'error'].join(',') + '\n';
  let parts: string[] = [];
  for (let r = 0; r < batch.lines.length; r++) {
    const line = batch.lines[r]!;
    const echoed = batch.plain[r] === 1 ? line : parseCsvRecord(line).map(csvCell).join(',');
    const i = batch.rowOf[r]!;
    parts.push(i >= 0 ? `${echoed},${label[i]},${probPhishing[i]!.toFixed(6)},` : `${echoed},,,${csvCell(batch.errors.get(r) ?? 'invalid row')}`);
    if (parts.length >= rowsPerChunk) { yield parts.join('\n') + '\n'; parts = []; }
  }
  if (parts.length > 0) yield parts.join('\n') + '\n';
}
