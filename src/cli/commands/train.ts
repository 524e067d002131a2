/**
 * `networksecurity train`: run the pipeline (ingest → validate → transform → train → evaluate → push)
 * with per-stage progress on stderr and a summary (or --json) on stdout. A run interrupted earlier
 * resumes from its last completed stage; `--from <stage>` re-runs a stage and those after it.
 */
import { ExitCode } from '../../core/errors.js';
import { NsError } from '../../core/errors.js';
import type { ProgressEvent } from '../../core/logger.js';
import { intervalText } from '../../pipeline/evaluation.js';
import { newRunId } from '../../pipeline/runner.js';
import { resultSummary, type ResultSummary } from '../../pipeline/summary.js';
import { STAGES, type PipelineOptions } from '../../pipeline/types.js';
import type { AppContext } from '../../main/context.js';
import { runTraining, TRAIN_QUEUE, type ScheduledTrainJob, type TrainJob } from '../../main/jobs.js';
import { serveQueuedSchedule } from '../queued-schedule.js';
import type { CliCommand, CommandIo } from '../command.js';
import { bool, oneOf, str } from '../flags.js';
import { progressPrinter } from '../progress.js';
import { fromStage, givenOptions, pipelineOptions, trainFlags } from './train-options.js';
import { runStage } from './train-stage.js';

/** Enqueues a new run for a worker and follows its progress until it ends. */
async function queued(context: AppContext, options: PipelineOptions, io: CommandIo): Promise<ResultSummary> {
  if (!context.scaleOut) throw new NsError('REDIS_REQUIRED', '--queue sends the run to a worker through Redis, and REDIS_URL is not set.', { kind: 'config', hint: 'Set REDIS_URL and start `networksecurity worker`, or run without --queue.' });
  const runId = newRunId();
  io.err(`run ${runId} queued on ${context.scaleOut.queue.describe()}; waiting for a worker…`);
  const job: TrainJob = { runId, options, trigger: 'cli' };
  const print = progressPrinter(io);
  return context.queue.run<TrainJob, ResultSummary>(TRAIN_QUEUE, job, { jobId: runId, onProgress: (e) => print(e as unknown as ProgressEvent) });
}

function printSummary(s: ResultSummary, json: boolean, io: CommandIo): void {
  if (json) {
    io.out(JSON.stringify(s, null, 2));
    return;
  }
  for (const c of s.candidates) {
    io.out(`${c.name.padEnd(22)} CV F1 ${c.cv.f1.toFixed(4)}  test F1 (phishing) ${c.test.f1Phishing.toFixed(4)}${intervalText(c.test)}  F1 (Result=1) ${c.test.f1Legit.toFixed(4)}  ROC AUC ${c.test.rocAuc.toFixed(4)}  fit ${(c.fitMs / 1000).toFixed(2)} s`);
  }
  for (const p of s.profiles) io.out(`profile ${p.name.padEnd(15)} ${String(p.features.length).padStart(2)} features  ${p.kind.padEnd(22)} CV F1 ${p.cv.f1.toFixed(4)}  test F1 (phishing) ${p.test.f1Phishing.toFixed(4)}`);
  io.out(`run ${s.runId}: best ${s.best ?? '-'}; ${s.gate?.reason ?? ''}; ${registeredText(s.registered)}`);
}

/** What the run did to the registry, in words. */
function registeredText(r: ResultSummary['registered']): string {
  if (r === null) return 'champion unchanged';
  const reused = r.reused ? ' (reused: same snapshot, settings and seed)' : '';
  return r.promoted ? `model v${r.version}${reused} is the champion` : `model v${r.version}${reused} registered${r.challenger ? ' as the challenger' : ''}; champion unchanged`;
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'Run the training pipeline on the record store and push an accepted model',
  usage: 'train [--json] [--queue | --schedule "<cron>"] [--from <stage>] [--run <id>] [--fresh] [--stage <stage> --outs <dir>] [--preset default|original|quick] [...]',
  flags: [
    { name: 'json', type: 'boolean', description: 'print a JSON summary on stdout' },
    { name: 'from', type: 'string', value: '<stage>', description: `re-run from this stage in the latest (or --run) run: ${STAGES.join(', ')}` },
    { name: 'run', type: 'string', value: '<id>', description: 'the run to resume or re-run (default: the latest)' },
    { name: 'fresh', type: 'boolean', description: 'start a new run even if the last one was interrupted' },
    { name: 'queue', type: 'boolean', description: 'run it on a `networksecurity worker` (needs REDIS_URL); progress is shown here' },
    { name: 'stage', type: 'string', value: '<stage>', description: `run only this stage (ingest starts a run, later stages continue it) and write its outputs to --outs; what DVC pipelines call: ${STAGES.join(', ')}` },
    { name: 'outs', type: 'string', value: '<dir>', description: 'with --stage: the folder of the stage output files (default: stages)' },
    { name: 'schedule', type: 'string', value: '"<cron>"', description: 'keep running and retrain on this cron schedule (needs REDIS_URL; one run per tick across all processes that run it)' },
    ...trainFlags,
  ],
  async run({ flags, ctx, io }) {
    const context = await ctx();
    const options = pipelineOptions(flags, context.config.NS_SEED, context.logger);
    const from = fromStage(flags);
    const runId = str(flags, 'run');
    const schedule = str(flags, 'schedule');
    if (schedule !== undefined) {
      if (!context.scaleOut) throw new NsError('REDIS_REQUIRED', '--schedule shares the retraining schedule through Redis, and REDIS_URL is not set.', { kind: 'config', hint: 'Set REDIS_URL and run again.' });
      const data: ScheduledTrainJob = { options, trigger: 'schedule' };
      return serveQueuedSchedule(context, { queue: TRAIN_QUEUE, id: 'retrain', schedule, data, what: 'trains' });
    }
    const abort = new AbortController();
    // First Ctrl-C: stop at the next safe point and mark the run interrupted; a second one exits at once.
    const onSignal = (): void => {
      if (abort.signal.aborted) process.exit(130);
      io.err('stopping after the current step (Ctrl-C again to quit at once)…');
      abort.abort();
    };
    process.on('SIGINT', onSignal);
    try {
      if (str(flags, 'stage') !== undefined) {
        const stage = oneOf(flags, 'stage', STAGES, 'ingest');
        await runStage(context, { stage, outs: str(flags, 'outs') ?? 'stages', options, given: givenOptions(flags, options), listener: progressPrinter(io), signal: abort.signal }, io);
        return ExitCode.ok;
      }
      const summary = bool(flags, 'queue')
        ? await queued(context, options, io)
        : resultSummary(await runTraining(context, {
          options, trigger: 'cli', ...(from ? { from } : {}), ...(runId ? { runId } : {}), fresh: bool(flags, 'fresh'),
          listener: progressPrinter(io), signal: abort.signal,
        }));
      printSummary(summary, bool(flags, 'json'), io);
      return ExitCode.ok;
    } finally {
      process.off('SIGINT', onSignal);
    }
  },
};
