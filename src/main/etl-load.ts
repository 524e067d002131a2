/**
 * One ETL load (a CSV path or s3:// URI into the record store), with rejected rows written to a reject
 * file as the stream finds them: what `etl` runs once, on each tick of its schedule, and as a queued
 * `etl` job on a worker.
 */
import { constants as fsConstants } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { NsError } from '../core/errors.js';
import type { RowError } from '../data/records.js';
import { loadCsvIntoStore, REJECTS_HEADER, rejectLines, type EtlResult } from '../pipeline/etl.js';
import type { RecordInput, RecordStore } from '../ports/record-store.js';
import type { AppContext } from './context.js';
import { openSource } from './sources.js';
import { retrainOnDrift, type DriftCheck } from './drift-retrain.js';
import type { PipelineOptions } from '../pipeline/types.js';

export const nextTurn = (): Promise<void> => new Promise((done) => setImmediate(done));

/**
 * The store with a turn of the event loop before each batch written, so a signal that comes during a
 * scheduled load is handled within one batch instead of after the load (SQLite writes synchronously),
 * and a queued load's job lock is renewed while it runs (a lock not renewed hands the job to another worker).
 */
export function yieldingStore(store: RecordStore): RecordStore {
  async function* turnEach(batches: AsyncIterable<readonly RecordInput[]>): AsyncGenerator<readonly RecordInput[]> {
    for await (const batch of batches) {
      await nextTurn();
      yield batch;
    }
  }
  return {
    describe: () => store.describe(),
    count: () => store.count(),
    insertBatch: async (records) => {
      await nextTurn();
      return store.insertBatch(records);
    },
    scan: (options) => store.scan(options),
    replaceAll: (batches) => store.replaceAll(turnEach(batches)),
    maxUpdatedAt: () => store.maxUpdatedAt(),
    close: () => store.close(),
  };
}

const symlinkRefused = (path: string, cause?: unknown): NsError =>
  new NsError('REJECTS_IS_SYMLINK', `The reject file ${path} is a symbolic link; it is not followed.`, { cause, hint: 'Pass --rejects a path that is not a symbolic link.' });

/** Opens the reject file for writing without following a symbolic link (which would overwrite its target). */
async function openRejectFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | fsConstants.O_NOFOLLOW, 0o644);
  } catch (e) {
    throw (e as NodeJS.ErrnoException).code === 'ELOOP' ? symlinkRefused(path, e) : e;
  }
}

export interface EtlJob {
  source: string;
  mode: 'append' | 'replace';
  strict: boolean;
  /** Reject file (default <NS_HOME>/rejects/<name>.rejects.csv). */
  rejects?: string;
  /** `--retrain-on-drift`: the options of the training run queued when the loaded data drifts. */
  retrain?: PipelineOptions;
}

export type EtlLoadResult = EtlResult & { rejectFile: string | null; drift?: DriftCheck };

export async function loadSource(ctx: AppContext, job: EtlJob, records: RecordStore = ctx.records, onProgress?: (written: number, read: number) => void): Promise<EtlLoadResult> {
  const { source } = job;
  const started = Date.now();
  const target = resolve(job.rejects ?? resolve(ctx.paths.home, 'rejects', `${basename(source).replace(/\.csv$/i, '')}.rejects.csv`));
  // Refused before loading starts; opening with O_NOFOLLOW below also catches a link made meanwhile.
  if ((await lstat(target).catch(() => undefined))?.isSymbolicLink()) throw symlinkRefused(target);
  // Rejected rows go to the file as the stream finds them (made on the first one), not held to the end.
  const rejects: { file: string | null; handle: FileHandle | null } = { file: null, handle: null };
  const onRejected = async (rows: readonly RowError[]): Promise<void> => {
    if (rows.length === 0) return;
    if (rejects.handle === null) {
      await mkdir(resolve(target, '..'), { recursive: true });
      rejects.handle = await openRejectFile(target);
      rejects.file = target;
      await rejects.handle.write(REJECTS_HEADER);
    }
    await rejects.handle.write(rejectLines(rows));
  };
  let result: EtlResult;
  try {
    result = await loadCsvIntoStore(await openSource(source, ctx.config), ctx.schema, records, {
      mode: job.mode, strict: job.strict, onRejected, ...(onProgress ? { onProgress } : {}),
    });
  } finally {
    await rejects.handle?.close();
  }
  ctx.logger.info(`etl ${source} → ${ctx.records.describe()}: ${result.rowsRead} rows read, ${result.inserted} inserted, ${result.skipped} skipped (already stored), ${result.rejectedCount} rejected, ${result.missingValues} missing values (stored empty, imputed at training)${rejects.file !== null ? ` (see ${rejects.file})` : ''} in ${Date.now() - started} ms`);
  const drift = job.retrain ? await retrainOnDrift(ctx, source, result.inserted, job.retrain) : undefined;
  return { ...result, rejectFile: rejects.file, ...(drift ? { drift } : {}) };
}
