/**
 * `networksecurity etl`: load a labelled CSV (path or s3:// URI) into the record store, once or on a
 * cron schedule. Bad rows go to a reject file with their line and reason; exit code 3 when any.
 */
import { constants } from 'node:os';
import { Cron } from 'croner';
import { ExitCode, NsError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import { loadSource, nextTurn, yieldingStore, type EtlJob, type EtlLoadResult } from '../../main/etl-load.js';
import { pipelineOptions } from './train-options.js';
import { badSchedule, serveQueuedSchedule } from '../queued-schedule.js';
import { ETL_QUEUE } from '../../main/jobs.js';
import type { AppContext } from '../../main/context.js';
import type { RecordStore } from '../../ports/record-store.js';
import type { CliCommand, CommandIo } from '../command.js';
import { bool, oneOf, requireStr, str } from '../flags.js';

/** The load `flags` ask for; with --retrain-on-drift, the options of the run a drift queues (NS_TRAIN_PRESET). */
function etlJob(ctx: AppContext, source: string, flags: Record<string, string | boolean | undefined>): EtlJob {
  const rejects = str(flags, 'rejects');
  return {
    source, mode: oneOf(flags, 'mode', ['append', 'replace'] as const, 'append'), strict: bool(flags, 'strict'), ...(rejects ? { rejects } : {}),
    ...(bool(flags, 'retrain-on-drift') ? { retrain: pipelineOptions({ preset: ctx.config.NS_TRAIN_PRESET }, ctx.config.NS_SEED, ctx.logger) } : {}),
  };
}

async function runOnce(ctx: AppContext, source: string, flags: Record<string, string | boolean | undefined>, io: CommandIo, records: RecordStore = ctx.records): Promise<EtlLoadResult> {
  return loadSource(ctx, etlJob(ctx, source, flags), records, (done, read) => io.isTty && io.err(`\rloading: ${done} written / ${read} read`));
}

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
    throw badSchedule(schedule, e);
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
  usage: 'etl --source <path|s3://bucket/key> [--mode append|replace] [--strict] [--rejects <file>] [--schedule "<cron>"] [--retrain-on-drift] [--json]',
  flags: [
    { name: 'source', type: 'string', value: '<path|uri>', description: 'CSV to load (local path or s3://bucket/key)' },
    { name: 'mode', type: 'string', value: '<mode>', description: 'append (default: add new rows) or replace (swap all records atomically)' },
    { name: 'strict', type: 'boolean', description: 'any bad row fails the whole load (nothing is written)' },
    { name: 'rejects', type: 'string', value: '<file>', description: 'where to write rejected rows (default .networksecurity/rejects/<name>.rejects.csv)' },
    { name: 'schedule', type: 'string', value: '"<cron>"', description: 'keep running and load on this cron schedule (5, 6 or 7 fields or @daily …; e.g. "0 2 * * *" daily)' },
    { name: 'retrain-on-drift', type: 'boolean', description: 'after a load that added rows, queue a training run (preset NS_TRAIN_PRESET) when the data drifted from the champion\'s training data' },
    { name: 'json', type: 'boolean', description: 'print a JSON summary on stdout' },
  ],
  async run({ flags, ctx, io }) {
    const source = requireStr(flags, 'source', 'Pass --source data/phisingData.csv or --source s3://bucket/key.csv.');
    const context = await ctx();
    const schedule = str(flags, 'schedule');
    // With REDIS_URL: one BullMQ job scheduler per source, so each tick loads once across processes.
    if (schedule && context.scaleOut) {
      return serveQueuedSchedule(context, { queue: ETL_QUEUE, id: `etl-${sha256(source).slice(0, 16)}`, schedule, data: etlJob(context, source, flags), what: 'loads' });
    }
    if (schedule) {
      const records = yieldingStore(context.records);
      return runScheduled(context, schedule, async () => {
        await runOnce(context, source, flags, io, records);
      });
    }
    const result = await runOnce(context, source, flags, io);
    if (bool(flags, 'json')) {
      io.out(JSON.stringify({ source, target: context.records.describe(), rowsRead: result.rowsRead, inserted: result.inserted, skipped: result.skipped, rejected: result.rejectedCount, missingValues: result.missingValues, rejectFile: result.rejectFile, mode: result.mode, ...(result.drift ? { drift: result.drift } : {}) }));
    }
    return result.rejectedCount > 0 ? ExitCode.rejectedRows : ExitCode.ok;
  },
};
