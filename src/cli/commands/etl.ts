/**
 * `networksecurity etl`: load a labelled CSV (path or s3:// URI) into the record store, once or on a
 * cron schedule. Bad rows go to a reject file with their line and reason; exit code 3 when any.
 */
import { constants } from 'node:os';
import { Cron } from 'croner';
import { ExitCode, NsError } from '../../core/errors.js';
import type { EtlResult } from '../../pipeline/etl.js';
import { sha256 } from '../../core/hash.js';
import { loadSource, nextTurn, yieldingStore, type EtlJob } from '../../main/etl-load.js';
import { ETL_QUEUE } from '../../main/jobs.js';
import type { AppContext } from '../../main/context.js';
import type { RecordStore } from '../../ports/record-store.js';
import type { CliCommand, CommandIo } from '../command.js';
import { bool, oneOf, requireStr, str } from '../flags.js';

async function runOnce(ctx: AppContext, source: string, flags: Record<string, string | boolean | undefined>, io: CommandIo, records: RecordStore = ctx.records): Promise<EtlResult & { rejectFile: string | null }> {
  const rejects = str(flags, 'rejects');
  return loadSource(ctx, {
    source, mode: oneOf(flags, 'mode', ['append', 'replace'] as const, 'append'), strict: bool(flags, 'strict'), ...(rejects ? { rejects } : {}),
  }, records, (done, read) => io.isTty && io.err(`\rloading: ${done} written / ${read} read`));
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

/**
 * With REDIS_URL: the schedule is a BullMQ job scheduler (one per source, whatever number of processes
 * run this command) and this process also serves the `etl` queue, so each tick loads exactly once, on
 * one of the processes. SIGINT / SIGTERM stop this process's worker after the load in progress; the
 * schedule stays in Redis for the other processes.
 */
async function runQueuedSchedule(context: AppContext, schedule: string, source: string, flags: Record<string, string | boolean | undefined>): Promise<number> {
  const scale = context.scaleOut!;
  try {
    new Cron(schedule, { paused: true }).stop();
  } catch (e) {
    throw new NsError('BAD_SCHEDULE', `The schedule "${schedule}" is not a valid cron expression (${(e as Error).message}).`, { hint: scheduleHint });
  }
  const rejects = str(flags, 'rejects');
  const job: EtlJob = { source, mode: oneOf(flags, 'mode', ['append', 'replace'] as const, 'append'), strict: bool(flags, 'strict'), ...(rejects ? { rejects } : {}) };
  const id = `etl-${sha256(source).slice(0, 16)}`;
  await scale.upsertSchedule(ETL_QUEUE, id, schedule, job);
  const runtime = await scale.startWorkers({ queues: [ETL_QUEUE], concurrency: 1 });
  context.logger.info(`etl scheduled "${schedule}" as job scheduler ${id} on ${scale.queue.describe()}; each tick loads once, on one of the processes serving it; Ctrl-C stops this one`);
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await runtime.stop();
  context.logger.info(`etl: ${signal}: stopped (the schedule stays in Redis for the other processes)`);
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
    if (schedule && context.scaleOut) return runQueuedSchedule(context, schedule, source, flags);
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
