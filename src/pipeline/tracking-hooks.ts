/**
 * What the pipeline runner calls to track a run, and the registry moves it makes. A tracking session
 * is one parent run per pipeline run (a resumed pipeline run, e.g. the next `train --stage`, continues it) (params, tags, headline metrics, artifacts) and one child run per
 * candidate model (hyperparameters, cross-validation metrics per fold as steps, test metrics). Tracking
 * must never stop training: every session method catches tracker errors and reports each kind once as
 * a warning. Without a tracker (tracking off) the session does nothing and has no run id.
 * Metric names: fold metrics are `cv_<name>` with step = fold index, test metrics `test_<name>`.
 */
import { NsError, toNsError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { Registry } from '../ports/registry.js';
import type { DatasetInput, MetricPoint, ParamValue, RunStatus, Tracker } from '../ports/tracker.js';

/** Same tag the MLflow registry mirror searches, linking a pipeline run id to its tracking run. */
export const PIPELINE_RUN_ID_TAG = 'networksecurity.pipeline_run_id';
/** Artifact folder for the model bundle: the MLflow registry mirror points model versions at it. */
export const MODEL_ARTIFACT_DIR = 'model';

export interface TrackingSessionOptions {
  runName: string;
  params?: Record<string, ParamValue>;
  tags?: Record<string, string>;
  /** The pipeline run id; tagged on the parent run so the registry can find it by that id. */
  pipelineRunId?: string;
  /** The parent run an earlier call of the same pipeline run started: continued instead of a new one. */
  resumeRunId?: string;
  logger?: Logger;
}

export type FinishStatus = Exclude<RunStatus, 'RUNNING'>;

/** Tracking of one run (parent or candidate); every method resolves even when tracking fails. */
export interface TrackedRunHandle {
  /** The tracker's run id; undefined when tracking is off or the run could not be started. */
  readonly runId: string | undefined;
  logParams(params: Record<string, ParamValue>): Promise<void>;
  /** Logs named values at one step (default 0). */
  logMetrics(metrics: Record<string, number>, step?: number): Promise<void>;
  setTags(tags: Record<string, string>): Promise<void>;
  logArtifact(path: string, body: Uint8Array | string): Promise<void>;
  /** Records a data set the run used, where the tracker supports dataset inputs (MLflow). */
  logDataset(dataset: DatasetInput): Promise<void>;
  finish(status: FinishStatus): Promise<void>;
}

export interface CandidateRun extends TrackedRunHandle {
  /** Cross-validation metrics of one fold, as `cv_<name>` at step `fold`. */
  logFold(fold: number, metrics: Record<string, number>): Promise<void>;
  /** Held-out test metrics, as `test_<name>`. */
  logTestMetrics(metrics: Record<string, number>): Promise<void>;
}

export interface TrackingSession extends TrackedRunHandle {
  /** Starts a child run for one candidate model with its hyperparameters. */
  candidate(name: string, hyperparams: Record<string, ParamValue>): Promise<CandidateRun>;
  /** Tracking errors swallowed so far (each kind was reported once). */
  readonly failures: number;
  /** True when the run is tracked and the tracker sends it to a tracking server (Tracker.sendsToServer). */
  readonly sendsToServer: boolean;
}

class Guard {
  failures = 0;
  private readonly reported = new Set<string>();
  constructor(private readonly logger: Logger) {}

  async run<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (e) {
      this.failures++;
      const err = toNsError(e);
      if (!this.reported.has(err.code)) {
        this.reported.add(err.code);
        this.logger.warn(`Tracking could not ${what}; the pipeline goes on (${err.toLine()}).`, { code: err.code });
      }
      return undefined;
    }
  }
}

const prefixed = (prefix: string, metrics: Record<string, number>, step: number, timestamp: number): MetricPoint[] =>
  Object.entries(metrics).map(([key, value]) => ({ key: `${prefix}${key}`, value, step, timestamp }));

function handle(tracker: Tracker | undefined, runId: string | undefined, guard: Guard): TrackedRunHandle {
  const active = tracker !== undefined && runId !== undefined;
  return {
    runId,
    async logParams(params) {
      if (active) await guard.run('log params', () => tracker.logParams(runId, params));
    },
    async logMetrics(metrics, step = 0) {
      if (active) await guard.run('log metrics', () => tracker.logMetrics(runId, prefixed('', metrics, step, Date.now())));
    },
    async setTags(tags) {
      if (active) await guard.run('set tags', () => tracker.setTags(runId, tags));
    },
    async logArtifact(path, body) {
      if (active) await guard.run(`log artifact ${path}`, () => tracker.logArtifact(runId, path, body));
    },
    async logDataset(dataset) {
      if (active && tracker.logDatasetInput) await guard.run(`log dataset ${dataset.name}`, () => tracker.logDatasetInput!(runId, dataset));
    },
    async finish(status) {
      if (active) await guard.run('finish the run', () => tracker.endRun(runId, status));
    },
  };
}

/**
 * Starts the parent run of a pipeline run; pass `undefined` as tracker when tracking is off.
 *
 * @example
 *   const session = await createTrackingSession(ctx.tracker, { runName: runId, pipelineRunId: runId, params: { seed: 42 } });
 *   const c = await session.candidate('random_forest', { n_estimators: 100 });
 *   await c.logFold(0, { f1: 0.95 }); await c.logTestMetrics({ f1: 0.96 }); await c.finish('FINISHED');
 *   await session.finish('FINISHED');
 */
export async function createTrackingSession(tracker: Tracker | undefined, options: TrackingSessionOptions): Promise<TrackingSession> {
  const guard = new Guard(options.logger ?? silentLogger);
  const tags = { ...options.tags, ...(options.pipelineRunId ? { [PIPELINE_RUN_ID_TAG]: options.pipelineRunId } : {}) };
  const resumeId = options.resumeRunId;
  const resumed = tracker?.resumeRun && resumeId ? await guard.run('resume the run', () => tracker.resumeRun!(resumeId)) : undefined;
  const parentId = !tracker ? undefined
    : resumed === true ? resumeId
    : await guard.run('start the run', () => tracker.startRun({ name: options.runName, tags }));
  const parent = handle(tracker, parentId, guard);
  if (resumed === true) await parent.setTags(tags);
  if (options.params && Object.keys(options.params).length > 0) await parent.logParams(options.params);
  return {
    ...parent,
    get failures() { return guard.failures; },
    sendsToServer: parentId !== undefined && tracker?.sendsToServer === true,
    async candidate(name, hyperparams) {
      const childId = tracker && parentId
        ? await guard.run(`start candidate ${name}`, () => tracker.startRun({ name, parentRunId: parentId, tags: { 'networksecurity.candidate': name } }))
        : undefined;
      const child = handle(tracker, childId, guard);
      if (Object.keys(hyperparams).length > 0) await child.logParams(hyperparams);
      return {
        ...child,
        logFold: (fold, metrics) => child.logMetrics(Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`cv_${k}`, v])), fold),
        logTestMetrics: (metrics) => child.logMetrics(Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`test_${k}`, v]))),
      };
    },
  };
}

/**
 * Makes `version` the champion if the champion is still what the caller saw (`expected`); the loser of
 * two concurrent promotions gets NsError ALIAS_CONFLICT.
 */
export async function promoteVersion(registry: Registry, version: number, expected: number | null, reason: string): Promise<void> {
  await registry.setAlias('champion', version, expected, reason);
}

const ROLLBACK_PREFIX = 'rollback: ';

/**
 * Moves `champion` back to the version that was champion before the current one (repeated calls walk
 * further back, they do not toggle) and returns that version. `verify` runs on that version first
 * and refuses the move by throwing (a bundle that does not load).
 */
export async function rollbackChampion(registry: Registry, reason = 'manual rollback', verify?: (version: number) => Promise<unknown>): Promise<number> {
  const current = await registry.getAlias('champion');
  if (!current) {
    throw new NsError('NO_CHAMPION', 'There is no champion model to roll back.', { kind: 'state', hint: 'Promote a version first.' });
  }
  const history = await registry.history('champion');
  const promotion = history.find((h) => h.to === current.version && !h.reason.startsWith(ROLLBACK_PREFIX));
  const previous = promotion?.from ?? null;
  if (previous === null) {
    throw new NsError('NO_PREVIOUS_CHAMPION', `Version ${current.version} was the first champion; there is nothing to roll back to.`, {
      kind: 'state', hint: 'Promote another version instead.',
    });
  }
  await verify?.(previous);
  await registry.setAlias('champion', previous, current.version, `${ROLLBACK_PREFIX}${reason}`);
  return previous;
}
