/**
 * The pipeline runner: the one place where stages meet I/O. It creates or resumes a run, executes the
 * stages in order (skipping those the manifest marks completed), keeps the RunStore index and the
 * summary up to date, and emits progress events (CLI progress, server-sent events, tracking hooks).
 *
 * One run at a time per registry: a run holds the run store's lock from start to end, and another
 * `runPipeline` (another process, the server) is refused with RUN_IN_PROGRESS meanwhile. Taking the
 * lock marks runs left "running" by processes that no longer exist (killed) as interrupted. A run that
 * learns it lost the lock (its lease's `lost` signal, or the caller's `lockLost` for an outer lock such
 * as Redis's) stops at its next check — between stages, and in push right before it registers a version
 * or moves an alias — with RUN_LOCK_LOST, and is marked interrupted so the next holder resumes it.
 *
 * Resume rules: `from` re-runs a stage and everything after it in an existing run; otherwise an
 * interrupted run is resumed from its last completed stage; otherwise a new run starts.
 *
 * A failed run never leaves the champion moved: when the manifest recording a promoting push cannot be
 * saved, the promotion is undone (best effort) before the run is marked failed.
 */
import { hostname } from 'node:os';
import { NsError, toNsError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import type { Logger, ProgressEvent, ProgressListener } from '../core/logger.js';
import type { Schema } from '../data/schema.js';
import type { ArtifactStore, RecordStore, Registry, RunLease, RunRecord, RunStore, Tracker } from '../ports/index.js';
import { warmSearchWorkers } from '../ml/model-selection/index.js';
import { snapshotDataset } from './snapshot-dataset.js';
import { createTrackingSession, type TrackingSession } from './tracking-hooks.js';
import { RunArtifacts } from './run-artifacts.js';
import { ingest, type IngestSource } from './stages/ingest.js';
import { validate } from './stages/validate.js';
import { transform } from './stages/transform.js';
import { CHOSEN_BY, train } from './stages/train.js';
import { evaluate } from './stages/evaluate.js';
import { push, undoPromotion } from './stages/push.js';
import { PROFILES_ARTIFACT } from './stages/profiles.js';
import { buildSummary, profileMetrics } from './summary.js';
import { STAGES, type IngestOutput, type PipelineOptions, type PushOutput, type StageContext, type StageName, type StageOutputs } from './types.js';

export interface PipelineDeps {
  schema: Schema;
  records: RecordStore;
  artifacts: ArtifactStore;
  registry: Registry;
  runs: RunStore;
  logger: Logger;
  libraryVersion: string;
  /** Undefined when tracking is off. */
  tracker: Tracker | undefined;
}

export interface RunRequest {
  options: PipelineOptions;
  /** Re-run this stage and the ones after it (in `runId`, or the latest run). */
  from?: StageName;
  /**
   * With `from`: the options to change in the run (the rest stay as the run recorded them); without it,
   * all of `options` replace the recorded ones.
   */
  overrides?: Partial<PipelineOptions>;
  /** Stop after this stage; the run stays resumable (status interrupted, no error) — one stage per call. */
  until?: StageName;
  runId?: string;
  /** Start a new run even if the latest one was interrupted. */
  fresh?: boolean;
  /** The id of the new run when one is started (a queued run's id is chosen when it is enqueued). */
  newRunId?: string;
  /** Who started the run ("cli", "api", "schedule", "drift"); kept in the run's summary. */
  trigger?: string;
  listener?: ProgressListener;
  signal?: AbortSignal;
  /** Fires when an outer lock the caller holds for this run (the Redis run lock) is lost. */
  lockLost?: AbortSignal;
}

export interface RunResult {
  runId: string;
  resumedFrom: StageName | null;
  outputs: Partial<StageOutputs>;
  record: RunRecord;
}

const stageFns: { [N in StageName]: (ctx: StageContext, extra: IngestSource) => Promise<StageOutputs[N]> } = {
  ingest: (ctx, extra) => ingest(ctx, extra),
  validate: (ctx) => validate(ctx),
  transform: (ctx) => transform(ctx),
  train: (ctx) => train(ctx),
  evaluate: (ctx) => evaluate(ctx),
  push: (ctx) => push(ctx),
};

interface ProcessTag { pid: number; host: string }

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `run-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

async function lastSuccessfulIngest(deps: PipelineDeps, excludeRunId: string): Promise<IngestOutput | null> {
  for (const r of await deps.runs.list(50)) {
    if (r.id === excludeRunId || r.status !== 'succeeded') continue;
    try {
      const out = (await RunArtifacts.open(deps.artifacts, r.id)).outputs().ingest;
      if (out) return out;
    } catch {
      // A run whose manifest is gone cannot serve as a base; look further back.
    }
  }
  return null;
}

/**
 * The split to carry forward: the newest successful run with the same seed and test share whose ingest
 * output is still readable (its vectors keep their sides in this run), or null.
 */
async function splitToCarry(deps: PipelineDeps, excludeRunId: string, seed: number, testSize: number): Promise<IngestSource['carry']> {
  for (const r of await deps.runs.list(50)) {
    if (r.id === excludeRunId || r.status !== 'succeeded') continue;
    try {
      const out = (await RunArtifacts.open(deps.artifacts, r.id)).outputs().ingest;
      if (out && out.split.seed === seed && out.split.testSize === testSize) return { runId: r.id, trainKey: out.trainKey, testKey: out.testKey };
    } catch {
      // A run whose manifest is gone has no split to carry; look further back.
    }
  }
  return null;
}

/** The tracked params of the given stages (a call of `train --stage` logs those of the stages it runs). */
function stageParams(options: PipelineOptions, stages: readonly StageName[]): Record<string, string | number> {
  const all = {
    ingest: { seed: options.seed, test_size: options.testSize, split: 'stable-balanced' },
    transform: { imputer: options.imputer, scaler: options.scaler },
    train: { preset: options.plan.preset, cv_folds: options.cvFolds, search_space: JSON.stringify(options.plan.candidates.map((c) => ({ kind: c.kind, grid: c.grid }))).slice(0, 6000) },
  } as Partial<Record<StageName, Record<string, string | number>>>;
  return Object.assign({}, ...stages.map((s) => all[s] ?? {})) as Record<string, string | number>;
}

const digestsOf = (params: Record<string, string | number>): Record<string, string> =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, sha256(String(v)).slice(0, 16)]));

async function findSnapshot(deps: PipelineDeps, prefix: string): Promise<{ key: string; sha256: string }> {
  for (const r of await deps.runs.list(1000)) {
    try {
      const out = (await RunArtifacts.open(deps.artifacts, r.id)).outputs().ingest;
      if (out && out.snapshotSha256.startsWith(prefix)) return { key: out.snapshotKey, sha256: out.snapshotSha256 };
    } catch {
      // skip runs without a manifest
    }
  }
  throw new NsError('SNAPSHOT_NOT_FOUND', `No recorded snapshot starts with ${prefix}.`, { kind: 'not_found', hint: 'List snapshots with `networksecurity data versions`.' });
}

async function openOrCreate(deps: PipelineDeps, req: RunRequest): Promise<{ run: RunArtifacts; record: RunRecord; resumedFrom: StageName | null }> {
  const latest = (await deps.runs.list(1))[0];
  const target = req.runId ? await deps.runs.get(req.runId) : latest;
  if (req.runId && !target) throw new NsError('RUN_NOT_FOUND', `There is no run ${req.runId}.`, { kind: 'not_found', hint: 'List runs with `networksecurity runs`.' });
  if (req.from && target) {
    const run = await RunArtifacts.open(deps.artifacts, target.id);
    await run.resetFrom(STAGES, req.from);
    return { run, record: target, resumedFrom: req.from };
  }
  if (req.from && !target) throw new NsError('RUN_NOT_FOUND', 'There is no earlier run to re-run stages of.', { kind: 'not_found', hint: 'Run `networksecurity train` first.' });
  if (!req.fresh && (target?.status === 'interrupted' || target?.status === 'stopped')) {
    const run = await RunArtifacts.open(deps.artifacts, target.id);
    const next = STAGES.find((s) => !run.completed(s)) ?? null;
    return { run, record: target, resumedFrom: next };
  }
  const id = req.newRunId ?? newRunId();
  const run = await RunArtifacts.create(deps.artifacts, id, req.options, deps.libraryVersion);
  const record: RunRecord = { id, status: 'running', startedAt: new Date().toISOString(), finishedAt: null, lastStage: null, summary: {}, error: null };
  await deps.runs.create(record);
  return { run, record, resumedFrom: null };
}

/**
 * Records a finished stage in the run's manifest. A push whose record cannot be saved (the artifact
 * store went down) fails the run, so its promotion is undone before the error is reported: a failed
 * run never leaves the champion moved.
 */
async function completeStage(ctx: StageContext, stage: StageName, startedAt: Date, output: StageOutputs[StageName]): Promise<void> {
  try {
    await ctx.run.completeStage(stage, startedAt, output);
  } catch (e) {
    const pushed = stage === 'push' ? (output as PushOutput) : undefined;
    if (pushed?.promoted && pushed.version !== null) await undoPromotion(ctx, pushed.version);
    throw e;
  }
}

export async function runPipeline(deps: PipelineDeps, req: RunRequest): Promise<RunResult> {
  const lease = await deps.runs.acquireLock();
  try {
    return await runLocked(deps, req, lease);
  } finally {
    await lease.release();
  }
}

async function runLocked(deps: PipelineDeps, req: RunRequest, lease: RunLease): Promise<RunResult> {
  const { run, record, resumedFrom } = await openOrCreate(deps, req);
  const trigger = req.trigger ?? (typeof record.summary['trigger'] === 'string' ? record.summary['trigger'] : undefined);
  const runId = run.runId;
  const lockLost = req.lockLost ? AbortSignal.any([lease.lost, req.lockLost]) : lease.lost;
  // What the stages and the checks between them watch: the caller's stop, or a lost lock.
  const signal = req.signal ? AbortSignal.any([req.signal, lockLost]) : lockLost;
  await lease.setRun(runId);
  const options = resumedFrom ? { ...run.manifest.options, ...(req.from ? (req.overrides ?? req.options) : {}) } : req.options;
  const emit = (e: Omit<ProgressEvent, 'at' | 'runId'>): void => req.listener?.({ ...e, runId, at: new Date().toISOString() });
  const processTag: ProcessTag = { pid: process.pid, host: hostname() };
  const stageTimes: Record<string, { startedAt: string; finishedAt?: string; status: string }> = {};
  // One tracking run for all calls of this pipeline run (each `train --stage` continues it); each call
  // logs the params of the stages it runs. A changed param (params are immutable there) starts a new
  // tracking run, which later calls continue.
  const params = stageParams(options, STAGES.slice(STAGES.indexOf(resumedFrom ?? 'ingest'), STAGES.indexOf(req.until ?? 'push') + 1));
  const recorded = record.summary['tracking'] as { runId?: unknown; params?: Record<string, string> } | undefined;
  const same = Object.entries(digestsOf(params)).every(([k, d]) => recorded?.params?.[k] === undefined || recorded.params[k] === d);
  const resumeRunId = resumedFrom && typeof recorded?.runId === 'string' && same ? recorded.runId : undefined;
  // A resumed pipeline run that needs a new tracking run logs every param there.
  const logged = resumedFrom && !resumeRunId ? stageParams(options, STAGES) : params;
  let tracked = typeof recorded?.runId === 'string' ? recorded as { runId: string; params?: Record<string, string> } : undefined;
  const updateIndex = async (patch: Partial<RunRecord>): Promise<void> => {
    const summary = { ...buildSummary(run.outputs(), run.manifest, stageTimes), process: processTag, ...(trigger ? { trigger } : {}), ...(tracked ? { tracking: tracked } : {}) };
    await deps.runs.update(runId, { summary, ...patch });
  };
  await updateIndex({ status: 'running', finishedAt: null, error: null });
  if (resumedFrom) emit({ type: 'message', message: `resuming run ${runId} from ${resumedFrom}` });

  const tracking = await createTrackingSession(deps.tracker, {
    runName: runId, pipelineRunId: runId, logger: deps.logger, params: logged, ...(resumeRunId ? { resumeRunId } : {}),
    tags: { 'networksecurity.resumed_from': resumedFrom ?? '' },
  });
  if (tracking.runId) tracked = { runId: tracking.runId, params: { ...(tracking.runId === resumeRunId ? recorded?.params : {}), ...digestsOf(logged) } };
  const stopAfter = async (stage: StageName): Promise<RunResult> => {
    await updateIndex({ status: 'stopped', finishedAt: new Date().toISOString() });
    await tracking.finish('FINISHED');
    emit({ type: 'message', message: `stopped after ${stage} as asked; the next stage continues run ${runId}` });
    return { runId, resumedFrom, outputs: run.outputs(), record: (await deps.runs.get(runId))! };
  };
  let previous: IngestOutput | null = null;
  let snapshot: { key: string; sha256: string } | null = null;
  let carry: IngestSource['carry'] = null;
  let current: StageName | null = null;
  // The train stage's search threads boot while the earlier stages run.
  if (!run.completed('train') && STAGES.indexOf(req.until ?? 'push') >= STAGES.indexOf('train')) warmSearchWorkers(options.jobs);
  try {
    if (!run.completed('ingest')) {
      snapshot = options.snapshot ? await findSnapshot(deps, options.snapshot) : null;
      previous = snapshot ? null : await lastSuccessfulIngest(deps, runId);
      carry = await splitToCarry(deps, runId, options.seed, options.testSize);
    }
    for (const stage of STAGES) {
      if (run.completed(stage)) {
        emit({ type: 'stage_skipped', stage, message: 'completed earlier' });
        continue;
      }
      signal.throwIfAborted();
      current = stage;
      const startedAt = new Date();
      stageTimes[stage] = { startedAt: startedAt.toISOString(), status: 'running' };
      emit({ type: 'stage_started', stage });
      await updateIndex({});
      const ctx: StageContext = {
        runId, options, schema: deps.schema, records: deps.records, artifacts: deps.artifacts, registry: deps.registry, run,
        outputs: run.outputs(), logger: deps.logger, tracking,
        progress: (fraction, message, data) => emit({ type: 'stage_progress', stage, fraction, ...(message ? { message } : {}), ...(data ? { data } : {}) }),
        signal,
      };
      const output = await stageFns[stage](ctx, { previous, snapshot, carry });
      await completeStage(ctx, stage, startedAt, output);
      stageTimes[stage] = { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), status: 'completed' };
      await updateIndex({ lastStage: stage });
      emit({ type: 'stage_finished', stage, data: { durationMs: Date.now() - startedAt.getTime() } });
      current = null;
      if (stage === req.until && stage !== STAGES.at(-1)) return await stopAfter(stage);
    }
    const outputs = run.outputs();
    await updateIndex({ status: 'succeeded', finishedAt: new Date().toISOString() });
    await trackRunEnd(tracking, run, outputs, deps.schema, deps.artifacts.describe());
    await tracking.finish('FINISHED');
    emit({ type: 'run_finished', data: { champion: outputs.push?.promoted ? outputs.push.version : null, registered: outputs.push?.version ?? null, accepted: outputs.evaluate?.accepted ?? false } });
    return { runId, resumedFrom, outputs, record: (await deps.runs.get(runId))! };
  } catch (e) {
    // A lost lock is reported as such, and the run left for the next holder to resume (interrupted).
    const interrupted = lockLost.aborted || req.signal?.aborted === true;
    const err = lockLost.aborted
      ? toNsError(lockLost.reason)
      : interrupted
      ? new NsError('INTERRUPTED', `Run ${runId} was interrupted${current ? ` during ${current}` : ''}.`, { kind: 'state', hint: 'Run `networksecurity train` again to resume it from its last completed stage.' })
      : toNsError(e);
    if (current) stageTimes[current] = { ...stageTimes[current]!, finishedAt: new Date().toISOString(), status: interrupted ? 'interrupted' : 'failed' };
    await updateIndex({ status: interrupted ? 'interrupted' : 'failed', finishedAt: new Date().toISOString(), error: { code: err.code, message: err.message } });
    await tracking.finish('FAILED');
    if (current) emit({ type: 'stage_failed', stage: current, message: err.message, data: { code: err.code } });
    emit({ type: 'run_failed', message: err.message, data: { code: err.code } });
    throw err;
  }
}

/**
 * Headline params, metrics and artifacts of a finished run on the parent tracking run: the snapshot and
 * schema, the best candidate's test metrics and gate, each feature profile's F1, the reports, curves and
 * profiles.json (the model bundle is logged by the train stage, before push registers it).
 */
async function trackRunEnd(tracking: TrackingSession, run: RunArtifacts, outputs: Partial<StageOutputs>, schema: Schema, artifactsUri: string): Promise<void> {
  const { ingest: ing, train: tr, evaluate: ev, push: p } = outputs;
  if (ing) {
    await tracking.logParams({ snapshot_sha256: ing.snapshotSha256, schema_hash: schema.hash, rows: ing.rows });
    await tracking.logDataset(snapshotDataset(ing, schema, artifactsUri));
  }
  if (tr?.profiles) await tracking.logMetrics(profileMetrics(tr.profiles));
  // test_* are the chosen model's metrics on the whole test split: the same "best" as the run summary,
  // `networksecurity runs` and the UI. The gate's F1 (on the rows both models were scored on) is separate.
  const chosen = tr?.candidates.find((c) => c.name === tr.best);
  if (tr && chosen) {
    const m = chosen.test;
    await tracking.logMetrics({ test_f1_phishing: m.f1Phishing, test_f1_legit: m.f1Legit, test_precision: m.precision, test_recall: m.recall, test_accuracy: m.accuracy, test_roc_auc: m.rocAuc, cv_f1_phishing_mean: chosen.cv.f1,
      ...(m.f1PhishingInterval ? { test_f1_phishing_low: m.f1PhishingInterval.low, test_f1_phishing_high: m.f1PhishingInterval.high } : {}) });
    await tracking.setTags({ 'networksecurity.chosen_model': tr.best, 'networksecurity.chosen_by': CHOSEN_BY });
  }
  if (ev) {
    await tracking.logMetrics({ gate_candidate_f1_phishing: ev.candidate.f1Phishing, gate_accepted: ev.accepted ? 1 : 0 });
    await tracking.setTags({ 'networksecurity.gate': ev.reason, 'networksecurity.model_version': String(p?.version ?? '') });
  }
  for (const name of ['validation_report.json', 'drift_report.json', 'curves.json', PROFILES_ARTIFACT]) {
    if (run.manifest.artifacts.some((a) => a.name === name)) await tracking.logArtifact(`reports/${name}`, await run.read(name));
  }
}
