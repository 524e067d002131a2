/**
 * ETL: a labelled CSV (file or S3 object) into the RecordStore. Every row is validated against the
 * schema first, so a whole-file error changes nothing; good rows are written in batches keyed by a
 * stable identity, bad rows are returned with their line and reason for the reject file.
 *
 * Row identity: sha256 of the row's canonical values (schema order, label last) plus its occurrence
 * number among identical rows of the same file ("…#0", "…#1", …). Loading the same file again adds
 * nothing; a row that a file holds three times is stored three times; another file adds a row only
 * when it holds more copies of it than the store already has.
 */
import { createHash } from 'node:crypto';
import { toAsync } from '../core/iter.js';
import type { Dataset } from '../core/matrix.js';
import { readRecordsCsv, type RowError } from '../data/records.js';
import type { Schema } from '../data/schema.js';
import type { RecordInput, RecordStore } from '../ports/record-store.js';

export interface EtlResult {
  rowsRead: number;
  inserted: number;
  skipped: number;
  rejected: RowError[];
  mode: 'append' | 'replace';
}

export interface EtlOptions {
  mode: 'append' | 'replace';
  strict: boolean;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export function recordIdentities(ds: Dataset): string[] {
  const seen = new Map<string, number>();
  const ids = new Array<string>(ds.X.rows);
  for (let i = 0; i < ds.X.rows; i++) {
    const key = `${ds.X.data.subarray(i * ds.X.cols, (i + 1) * ds.X.cols).join(',')}|${ds.y[i]}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    ids[i] = `${createHash('sha256').update(key).digest('hex').slice(0, 32)}#${n}`;
  }
  return ids;
}

function* recordBatches(ds: Dataset, schema: Schema, batchSize: number): Generator<RecordInput[]> {
  const ids = recordIdentities(ds);
  const d = ds.X.cols;
  for (let start = 0; start < ds.X.rows; start += batchSize) {
    const batch: RecordInput[] = [];
    for (let i = start; i < Math.min(ds.X.rows, start + batchSize); i++) {
      const values: Record<string, number | null> = {};
      for (let j = 0; j < d; j++) {
        const v = ds.X.data[i * d + j]!;
        values[schema.features[j]!] = Number.isNaN(v) ? null : v;
      }
      values[schema.target] = ds.y[i]!;
      batch.push({ id: ids[i]!, values });
    }
    yield batch;
  }
}

export async function loadCsvIntoStore(source: AsyncIterable<Uint8Array | string>, schema: Schema, store: RecordStore, opts: EtlOptions): Promise<EtlResult> {
  const read = await readRecordsCsv(source, schema, { requireTarget: true, strict: opts.strict });
  const ds: Dataset = { columns: schema.features, X: read.X, y: read.y! };
  const batchSize = opts.batchSize ?? 5000;
  let inserted = 0;
  let skipped = 0;
  if (opts.mode === 'replace') {
    const batches = (function* () {
      let done = 0;
      for (const b of recordBatches(ds, schema, batchSize)) {
        yield b;
        done += b.length;
        opts.onProgress?.(done, ds.X.rows);
      }
    })();
    ({ inserted, skipped } = await store.replaceAll(toAsync(batches)));
  } else {
    for (const batch of recordBatches(ds, schema, batchSize)) {
      const r = await store.insertBatch(batch);
      inserted += r.inserted;
      skipped += r.skipped;
      opts.onProgress?.(inserted + skipped, ds.X.rows);
    }
  }
  return { rowsRead: read.rowsRead, inserted, skipped, rejected: read.errors, mode: opts.mode };
}

/** The reject file: one line per bad row with its source line number and the reason. */
export function rejectsCsv(rejected: readonly RowError[]): string {
  const q = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return ['line,column,value,reason', ...rejected.map((r) => [String(r.line), q(r.column ?? ''), q(r.value ?? ''), q(r.reason)].join(','))].join('\n') + '\n';
}
