/**
 * `networksecurity etl`: load a labelled CSV (path or s3:// URI) into the record store, once or on a
 * cron schedule. Bad rows go to a reject file with their line and reason; exit code 3 when any.
 */
import { constants as fsConstants } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:os';
import { basename, resolve } from 'node:path';
import { Cron } from 'croner';
import { ExitCode, NsError } from '../../core/errors.js';
import type { RowError } from '../../data/records.js';
import { loadCsvIntoStore, REJECTS_HEADER, rejectLines, type EtlResult } from '../../pipeline/etl.js';
import { openSource } from '../../main/sources.js';
import type { AppContext } from '../../main/context.js';
import type { RecordInput, RecordStore } from '../../ports/record-store.js';
import type { CliCommand, CommandIo } from '../command.js';
import { bool, oneOf, requireStr, str } from '../flags.js';

const nextTurn = (): Promise<void> => new Promise((done) => setImmediate(done));

/**
 * The store with a turn of the event loop before each batch written, so a signal that comes during a
 * scheduled load is handled within one batch instead of after the load (SQLite writes synchronously).
 */
function yieldingStore(store: RecordStore): RecordStore {
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

async function runOnce(ctx: AppContext, source: string, flags: Record<string, string | boolean | undefined>, io: CommandIo, records: RecordStore = ctx.records): Promise<EtlResult & { rejectFile: string | null }> {
  const mode = oneOf(flags, 'mode', ['append', 'replace'] as const, 'append');
  const started = Date.now();
  const target = resolve(str(flags, 'rejects') ?? resolve(ctx.paths.home, 'rejects', `${basename(source).replace(/\.csv$/i, '')}.rejects.csv`));
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
      mode, strict: bool(flags, 'strict'), onRejected,
      onProgress: (done, read) => io.isTty && io.err(`\rloading: ${done} written / ${read} read`),
    });
  } finally {
    await rejects.handle?.close();
  }
  ctx.logger.info(`etl ${source} → ${ctx.records.describe()}: ${result.rowsRead} rows read, ${result.inserted} inserted, ${result.skipped} skipped (already stored), ${result.rejectedCount} rejected, ${result.missingValues} missing values (stored empty, imputed at training)${rejects.file !== null ? ` (see ${rejects.file})` : ''} in ${Date.now() - started} ms`);
  return { ...result, rejectFile: rejects.file };
}

/** The hint of BAD_SCHEDULE: what croner (default mode) accepts. */
export const scheduleHint = 'Use 5 fields (minute hour day-of-month month day-of-week, e.g. "0 2 * * *" for 02:00 daily), 6 (seconds first), 7 (a year last) or a nickname such as @hourly or @daily.';

/**
 * Runs `load` on the cron `schedule` until SIGINT or SIGTERM, then resolves with ExitCode.ok. A load
 * that fails is logged and the schedule goes on. On the first signal no new tick starts and the load in
 * progress (if any) is waited for, so the caller closes the store only after it; a second signal exits
 * the process at once with 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
 */
export async function runScheduled(context: AppContext, schedule: string, load: () => Promise<void>): Promise<number> {
  const state: { running: Promise<void> | null } = { running: null };
  let stopping = false;
  let job: Cron;
  try {
    job = new Cron(schedule, { protect: true }, async () => {
      // A tick that was due while a load kept the event loop busy runs before a signal that came in
      // meanwhile; one turn lets that signal be handled, and a stopped schedule starts nothing.
      await nextTurn();
      if (stopping) return;
      context.logger.info(`etl load started (tick at ${new Date().toISOString()})`);
      state.running = load().catch((e: unknown) => context.logger.error(e instanceof NsError ? e.toLine() : String(e)));
      await state.running;
      state.running = null;
    });
  } catch (e) {
    throw new NsError('BAD_SCHEDULE', `The schedule "${schedule}" is not a valid cron expression (${(e as Error).message}).`, { hint: scheduleHint });
  }
  context.logger.info(`etl scheduled "${schedule}"; next run ${job.nextRun()?.toISOString() ?? 'never'}; Ctrl-C stops after the load in progress, a second Ctrl-C at once`);
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signal = await new Promise<NodeJS.Signals>((stopped) => {
    onSignal = (sig) => {
      if (!stopping) {
        stopping = true;
        job.stop();
        if (state.running) context.logger.info(`etl: ${sig}: the schedule is stopped; waiting for the load in progress to finish (a second signal exits at once)`);
        stopped(sig);
        return;
      }
      context.logger.error(`etl: second ${sig}: exiting without waiting for the load in progress (an append load may be partly written; the next load adds the rest)`);
      process.exit(128 + (constants.signals[sig] ?? 0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  const inProgress = state.running;
  if (inProgress) await inProgress;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  context.logger.info(inProgress ? `etl schedule stopped by ${signal} after the load in progress finished` : `etl schedule stopped by ${signal}; no load was running`);
  return ExitCode.ok;
}

export const etlCommand: CliCommand = {
  name: 'etl',
  summary: 'Load a labelled CSV (path or s3://bucket/key) into the record store',
  usage: 'etl --source <path|s3://bucket/key> [--mode append|replace] [--strict] [--rejects <file>] [--schedule "<cron>"] [--json]',
  flags: [
    { name: 'source', type: 'string', value: '<path|uri>', description: 'CSV to load (local path or s3://bucket/key)' },
    { name: 'mode', type: 'string', value: '<mode>', description: 'append (default: add new rows) or replace (swap all records atomically)' },
    { name: 'strict', type: 'boolean', description: 'any bad row fails the whole load (nothing is written)' },
    { name: 'rejects', type: 'string', value: '<file>', description: 'where to write rejected rows (default .networksecurity/rejects/<name>.rejects.csv)' },
    { name: 'schedule', type: 'string', value: '"<cron>"', description: 'keep running and load on this cron schedule (5, 6 or 7 fields or @daily …; e.g. "0 2 * * *" daily)' },
    { name: 'json', type: 'boolean', description: 'print a JSON summary on stdout' },
  ],
  async run({ flags, ctx, io }) {
    const source = requireStr(flags, 'source', 'Pass --source data/phisingData.csv or --source s3://bucket/key.csv.');
    const context = await ctx();
    const schedule = str(flags, 'schedule');
    if (schedule) {
      const records = yieldingStore(context.records);
      return runScheduled(context, schedule, async () => {
        await runOnce(context, source, flags, io, records);
      });
    }
    const result = await runOnce(context, source, flags, io);
    if (bool(flags, 'json')) {
      io.out(JSON.stringify({ source, target: context.records.describe(), rowsRead: result.rowsRead, inserted: result.inserted, skipped: result.skipped, rejected: result.rejectedCount, missingValues: result.missingValues, rejectFile: result.rejectFile, mode: result.mode }));
    }
    return result.rejectedCount > 0 ? ExitCode.rejectedRows : ExitCode.ok;
  },
};
