/**
 * ETL: a labelled CSV (file or S3 object) into the RecordStore, streamed: the source is read, validated
 * and written a chunk at a time (`readRecordChunks`), so memory stays bounded whatever the file's size.
 * Good rows go to the store in batches keyed by a stable identity (one batch is written while the next
 * is read and built); bad rows are handed to `onRejected` as they are found (and returned).
 *
 * Row identity: sha256 of the row's canonical values (schema order, label last) plus its occurrence
 * number among identical rows of the same file ("…#0", "…#1", …). Loading the same file again adds
 * nothing; a row that a file holds three times is stored three times; another file adds a row only
 * when it holds more copies of it than the store already has. The only state kept across the file is
 * the occurrence count per distinct row (keyed by the row's hash): small for real data, which repeats.
 *
 * What a failure leaves behind:
 * - `replace`: nothing changes (the store's replaceAll stages and switches over only at the end).
 * - `strict`: nothing is written when any row is bad. With `replace` the staging does it; with `append`
 *   a first pass validates the whole source while copying it to a temporary file, and only a clean
 *   file is then loaded from that copy (so a strict append reads the data twice, the source once).
 * - `append` (not strict): an error found only later in the file (a byte that is not UTF-8, a source
 *   stream that breaks) stops the load after the batches before it were written; they are keyed rows,
 *   so running the load again after the fix adds exactly the rest.
 */
import { hash as digest } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset } from '../core/matrix.js';
import { csvCell } from '../data/csv.js';
import { readRecordChunks, type RecordChunk, type RowError } from '../data/records.js';
import type { Schema } from '../data/schema.js';
import type { RecordInput, RecordStore } from '../ports/record-store.js';

export interface EtlResult {
  rowsRead: number;
  inserted: number;
  skipped: number;
  /** The bad rows; empty when `onRejected` took them (see `rejectedCount`). */
  rejected: RowError[];
  rejectedCount: number;
  /** Missing feature values (empty, na, NaN) in the loaded rows; stored as null, imputed at training. */
  missingValues: number;
  mode: 'append' | 'replace';
}

export interface EtlOptions {
  mode: 'append' | 'replace';
  strict: boolean;
  /** Rows per insertBatch; default 5000. */
  batchSize?: number;
  /** After each batch written: rows written so far, rows read so far (the file's total is unknown). */
  onProgress?: (done: number, read: number) => void;
  /** Bad rows as they are found, in file order; when set, they are not kept in the result. */
  onRejected?: (rows: readonly RowError[]) => void | Promise<void>;
}

/**
 * Row identities of rows read one chunk at a time: `next` continues the occurrence numbering of the
 * rows given before, so feeding a file in any chunking gives the same ids as the whole file at once.
 */
export class RecordIdentities {
  private readonly seen = new Map<string, number>();

  /** The identities of the chunk's rows (`X` rows × features, `y` labels), in order. */
  next(X: Float64Array, cols: number, y: Float64Array): string[] {
    const rows = y.length;
    const ids = new Array<string>(rows);
    for (let i = 0; i < rows; i++) {
      const key = `${X.subarray(i * cols, (i + 1) * cols).join(',')}|${y[i]}`;
      const hash = digest('sha256', key, 'hex').slice(0, 32);
      const n = this.seen.get(hash) ?? 0;
      this.seen.set(hash, n + 1);
      ids[i] = `${hash}#${n}`;
    }
    return ids;
  }
}

/** The identities of a whole data set's rows (see the module comment). */
export function recordIdentities(ds: Dataset): string[] {
  return new RecordIdentities().next(ds.X.data.subarray(0, ds.X.rows * ds.X.cols), ds.X.cols, ds.y);
}

/**
 * Makes the value maps of records in the schema's shape. Each map is parsed from a JSON template, so
 * all share one hidden class with in-object fields (a map built key by key in a loop turns into a
 * hash table past a dozen keys: about 4x the memory and several times slower to build and to read).
 */
function valuesMaker(schema: Schema): (X: Float64Array, at: number, label: number) => Record<string, number | null> {
  const keys = [...schema.features, schema.target];
  const template = JSON.stringify(Object.fromEntries(keys.map((k) => [k, null])));
  const d = schema.features.length;
  return (X, at, label) => {
    const values = JSON.parse(template) as Record<string, number | null>;
    for (let j = 0; j < d; j++) {
      const v = X[at + j]!;
      values[keys[j]!] = Number.isNaN(v) ? null : v;
    }
    values[schema.target] = label;
    return values;
  };
}

/** The records of a chunk's good rows, cut into batches of at most `batchSize`. */
function* chunkRecords(chunk: RecordChunk, ids: readonly string[], makeValues: ReturnType<typeof valuesMaker>, batchSize: number): Generator<RecordInput[]> {
  const { X, y } = chunk;
  const d = X.cols;
  for (let start = 0; start < X.rows; start += batchSize) {
    const batch: RecordInput[] = [];
    for (let i = start; i < Math.min(X.rows, start + batchSize); i++) batch.push({ id: ids[i]!, values: makeValues(X.data, i * d, y[i]!) });
    yield batch;
  }
}

/**
 * Starts reading the next item as soon as the current one is handed out, so the source is read and the
 * next batch built while the consumer writes the current one. A read error is thrown in order.
 */
async function* readAhead<T>(items: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const it = items[Symbol.asyncIterator]();
  let next = it.next();
  let finished = false;
  try {
    for (;;) {
      const r = await next;
      if (r.done === true) {
        finished = true;
        return;
      }
      next = it.next();
      void next.catch(() => undefined); // surfaces at the next await; unhandled if the consumer stops first
      yield r.value;
    }
  } finally {
    if (!finished) await it.return?.().catch(() => undefined);
  }
}

interface LoadState {
  rowsRead: number;
  rejected: RowError[];
  rejectedCount: number;
  missingValues: number;
  written: number;
}

/** The batches of good rows of a source, reporting bad rows as they come; none once a strict load saw one. */
async function* batchesOf(source: AsyncIterable<Uint8Array | string>, schema: Schema, opts: EtlOptions, state: LoadState): AsyncGenerator<RecordInput[], void, undefined> {
  const batchSize = opts.batchSize ?? 5000;
  const identities = new RecordIdentities();
  const makeValues = valuesMaker(schema);
  for await (const chunk of readRecordChunks(source, schema, { requireTarget: true, strict: opts.strict, chunkRows: batchSize })) {
    state.rowsRead = chunk.rowsRead;
    state.missingValues += chunk.missingValues;
    if (chunk.errors.length > 0) {
      state.rejectedCount += chunk.errors.length;
      if (opts.onRejected) await opts.onRejected(chunk.errors);
      else for (const e of chunk.errors) state.rejected.push(e);
    }
    if (opts.strict && state.rejectedCount > 0) continue; // readRecordChunks throws CSV_ROW_ERRORS at the end
    const ids = identities.next(chunk.X.data, chunk.X.cols, chunk.y);
    yield* chunkRecords(chunk, ids, makeValues, batchSize);
  }
}

/** Copies each chunk of `source` to `file` as it passes through. */
async function* teeToFile(source: AsyncIterable<Uint8Array | string>, file: string): AsyncGenerator<Uint8Array | string, void, undefined> {
  const fh = await open(file, 'w');
  try {
    for await (const chunk of source) {
      await fh.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      yield chunk;
    }
  } finally {
    await fh.close();
  }
}

async function write(source: AsyncIterable<Uint8Array | string>, schema: Schema, store: RecordStore, opts: EtlOptions, state: LoadState): Promise<{ inserted: number; skipped: number }> {
  const batches = readAhead(batchesOf(source, schema, opts, state));
  if (opts.mode === 'replace') {
    const counted = (async function* () {
      for await (const b of batches) {
        yield b;
        state.written += b.length;
        opts.onProgress?.(state.written, state.rowsRead);
      }
    })();
    return store.replaceAll(counted);
  }
  let inserted = 0;
  let skipped = 0;
  for await (const batch of batches) {
    const r = await store.insertBatch(batch);
    inserted += r.inserted;
    skipped += r.skipped;
    opts.onProgress?.(inserted + skipped, state.rowsRead);
  }
  return { inserted, skipped };
}

/**
 * Loads a labelled CSV into the store (see the module comment for batching, identities and what a
 * failure leaves). Whole-file errors are `readRecordChunks`' NsErrors; with `strict`, CSV_ROW_ERRORS.
 */
export async function loadCsvIntoStore(source: AsyncIterable<Uint8Array | string>, schema: Schema, store: RecordStore, opts: EtlOptions): Promise<EtlResult> {
  const state: LoadState = { rowsRead: 0, rejected: [], rejectedCount: 0, missingValues: 0, written: 0 };
  let result: { inserted: number; skipped: number };
  if (opts.strict && opts.mode === 'append') {
    const dir = await mkdtemp(join(tmpdir(), 'ns-etl-'));
    try {
      const copy = join(dir, 'source.csv');
      // Pass 1: validation only (throws CSV_ROW_ERRORS or a whole-file error; nothing written).
      const check = readRecordChunks(teeToFile(source, copy), schema, { requireTarget: true, strict: true, chunkRows: opts.batchSize ?? 5000 });
      while ((await check.next()).done !== true) {
        // the chunks are dropped: this pass only validates and copies
      }
      result = await write(createReadStream(copy, { highWaterMark: 1 << 20 }), schema, store, opts, state);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } else {
    result = await write(source, schema, store, opts, state);
  }
  return { rowsRead: state.rowsRead, inserted: result.inserted, skipped: result.skipped, rejected: state.rejected, rejectedCount: state.rejectedCount, missingValues: state.missingValues, mode: opts.mode };
}

/** The reject file's header line (with its line end). */
export const REJECTS_HEADER = 'line,column,value,reason\n';

/** Lines of the reject file for some bad rows (each with its line end), without the header. */
export function rejectLines(rejected: readonly RowError[]): string {
  return rejected.map((r) => `${[String(r.line), csvCell(r.column ?? ''), csvCell(r.value ?? ''), csvCell(r.reason)].join(',')}\n`).join('');
}

/** The reject file: one line per bad row with its source line number and the reason. */
export function rejectsCsv(rejected: readonly RowError[]): string {
  return REJECTS_HEADER + rejectLines(rejected);
}
