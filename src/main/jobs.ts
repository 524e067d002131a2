/**
 * The jobs this program runs through its JobQueue (training runs, ETL loads) — in this process (embedded default) or on
 * `networksecurity worker` processes (REDIS_URL) — and the one way every training run starts, so the
 * cross-machine run lock is taken whether the run comes from `train`, the UI/API or a queue.
 */
import { NsError } from '../core/errors.js';
import type { ProgressEvent } from '../core/logger.js';
import { runPipeline, type RunRequest, type RunResult } from '../pipeline/runner.js';
import { resultSummary, type ResultSummary } from '../pipeline/summary.js';
import type { PipelineOptions } from '../pipeline/types.js';
import type { JobProgress } from '../ports/job-queue.js';
import type { AppContext } from './context.js';
import { pipelineDeps } from './pipeline-deps.js';
import { loadSource, yieldingStore, type EtlJob, type EtlLoadResult } from './etl-load.js';
import { PREDICT_QUEUE, shardHandler, type ShardJob, type ShardResult } from './batch-queue.js';

export const TRAIN_QUEUE = 'train';
export const ETL_QUEUE = 'etl';

/** A queued training run: its id is chosen when it is enqueued, so the caller can follow it at once. */
export interface TrainJob {
  runId: string;
  options: PipelineOptions;
  /** Who asked: "api", "cli", "schedule", "drift". */
  trigger: string;
}

/**
 * Runs the pipeline; with REDIS_URL it holds the registry's Redis lock for the whole run. Holding it
 * proves that no live process anywhere runs a pipeline, so runs still marked "running" (their worker
 * was killed, possibly on another machine) are marked interrupted first — and a retried job resumes its
 * own run from the last completed stage instead of starting over.
 */
export async function runTraining(ctx: AppContext, req: RunRequest): Promise<RunResult> {
  if (!ctx.scaleOut) return runPipeline(pipelineDeps(ctx), req);
  const lease = await ctx.scaleOut.acquireRunLock();
  try {
    for (const r of await ctx.runs.list(50)) {
      if (r.status === 'running') await ctx.runs.update(r.id, { status: 'interrupted' });
    }
    let named = false;
    return await runPipeline(pipelineDeps(ctx), {
      ...req,
      lockLost: lease.lost,
      listener: (e) => {
        if (!named && e.runId) {
          named = true;
          void lease.setRun(e.runId).catch(() => undefined);
        }
        req.listener?.(e);
      },
    });
  } finally {
    await lease.release();
  }
}

/**
 * The training job: a new run with the given id, or — when that run exists (a retried or stalled job) — its resumption.
 * A job from the retraining schedule has no run id of its own (one template serves every tick): its run
 * is named after the tick's job id, so a retried tick resumes its own run.
 */
/** The retraining schedule's template: no run id (each tick names its run after its job id). */
export type ScheduledTrainJob = Omit<TrainJob, 'runId'> & { runId?: undefined };

export async function runTrainJob(ctx: AppContext, input: TrainJob | ScheduledTrainJob, progress: (update: JobProgress) => void, job: { id: string; signal?: AbortSignal }): Promise<ResultSummary> {
  const runId = input?.runId ?? (input?.trigger === 'schedule' ? `run-${job.id.replace(/[^\w.-]+/g, '-')}` : undefined);
  if (typeof runId !== 'string' || !/^[\w.-]+$/.test(runId) || !Array.isArray(input.options?.plan?.candidates)) {
    throw new NsError('JOB_INPUT_INVALID', 'A training job needs a run id (letters, digits, _ . -) and pipeline options with a plan.', { hint: 'Enqueue runs with `networksecurity train --queue` or POST /api/v1/runs.' });
  }
  const existing = await ctx.runs.get(runId);
  ctx.logger.info(`training run ${runId} (${input.trigger})${existing ? ', resuming' : ''}`);
  const result = await runTraining(ctx, {
    options: input.options,
    trigger: input.trigger,
    ...(existing ? { runId } : { fresh: true, newRunId: runId }),
    listener: (e: ProgressEvent) => progress({ ...e }),
    ...(job.signal ? { signal: job.signal } : {}),
  });
  return resultSummary(result);
}

export function registerJobs(ctx: AppContext): void {
  ctx.queue.register<TrainJob | ScheduledTrainJob, ResultSummary>(TRAIN_QUEUE, (input, progress, job) => runTrainJob(ctx, input, progress, job));
  ctx.queue.register<EtlJob, Omit<EtlLoadResult, 'rejected'>>(ETL_QUEUE, async (input) => {
    const { rejected: _rows, ...counts } = await loadSource(ctx, input, yieldingStore(ctx.records));
    return counts;
  });
  ctx.queue.register<ShardJob, ShardResult>(PREDICT_QUEUE, shardHandler(ctx));
}
