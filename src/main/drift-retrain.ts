/**
 * Drift → retrain: after a load that added rows (`etl --retrain-on-drift`, once or on its schedule),
 * the loaded file is compared with the champion's training data by the validate stage's rule
 * (driftReport with the run options' share threshold); when the data set drifted, a training run is
 * queued with trigger "drift" (with REDIS_URL a worker runs it; without, it runs here). The gate
 * decides about its model as for any run.
 */
import { driftReport } from '../data/drift.js';
import { readRecordsCsv } from '../data/records.js';
import { trainingDataOf } from '../pipeline/champion-data.js';
import { newRunId } from '../pipeline/runner.js';
import type { PipelineOptions } from '../pipeline/types.js';
import type { AppContext } from './context.js';
import { TRAIN_QUEUE, type TrainJob } from './jobs.js';
import { openSource } from './sources.js';

export interface DriftCheck {
  /** null: not measured (nothing new loaded, or no champion to compare with). */
  datasetDrift: boolean | null;
  driftedShare: number | null;
  baselineVersion: number | null;
  /** The run queued because of the drift. */
  runId: string | null;
}

export async function retrainOnDrift(ctx: AppContext, source: string, inserted: number, options: PipelineOptions): Promise<DriftCheck> {
  const none: DriftCheck = { datasetDrift: null, driftedShare: null, baselineVersion: null, runId: null };
  if (inserted === 0) return none;
  const champion = await ctx.registry.getAlias('champion');
  const base = champion ? await trainingDataOf(ctx, champion) : null;
  if (!champion || !base) {
    ctx.logger.info(`drift of ${source} not measured: no champion to compare with`);
    return none;
  }
  const current = await readRecordsCsv(await openSource(source, ctx.config), ctx.schema, { requireTarget: true });
  const dr = driftReport(base.X, current.X, ctx.schema.features, { shareThreshold: options.driftShareThreshold });
  const check: DriftCheck = { datasetDrift: dr.datasetDrift, driftedShare: dr.driftedShare, baselineVersion: champion.version, runId: null };
  const share = `${Math.round(dr.driftedShare * 100)}% of features drifted against v${champion.version}'s training data`;
  if (!dr.datasetDrift) {
    ctx.logger.info(`no data set drift in ${source} (${share})`);
    return check;
  }
  const job: TrainJob = { runId: newRunId(), options, trigger: 'drift' };
  if (ctx.scaleOut) await ctx.queue.enqueue(TRAIN_QUEUE, job, { jobId: job.runId });
  else await ctx.queue.run(TRAIN_QUEUE, job, { jobId: job.runId });
  ctx.logger.info(`data set drift in ${source} (${share}): training run ${job.runId} ${ctx.scaleOut ? 'queued' : 'done'} (trigger drift)`);
  return { ...check, runId: job.runId };
}
