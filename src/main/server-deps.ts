/**
 * The server's dependencies, implemented with the real pipeline, registry and artifact store: the
 * served champion (reloaded when the alias moves, here or in another process: at once on the Redis
 * champion channel when REDIS_URL is set, else on the next poll), background training runs — in a
 * thread of their own, or queued for workers with REDIS_URL — with a replayable event log per run,
 * reports and snapshots.
 */
import { NsError, toNsError } from '../core/errors.js';
import type { ProgressEvent, ProgressListener } from '../core/logger.js';
import { newRunId } from '../pipeline/runner.js';
import { promoteVersion, rollbackChampion } from '../pipeline/tracking-hooks.js';
import type { PresetName } from '../pipeline/plan.js';
import type { PipelineOptions } from '../pipeline/types.js';
import { SqliteNoteStore } from '../adapters/sqlite/note-store.js';
import { checkedBundle, type Predictor } from '../pipeline/predictor.js';
import type { ServerDeps, SnapshotInfo } from '../server/index.js';
import { defaultLimits } from '../server/index.js';
import { findVersion, loadModel, requireLoadable } from './champion.js';
import type { AppContext } from './context.js';
import { analyzeUrl } from '../pipeline/analyze.js';
import { featureProviders, pageFetcher, profileModelCache } from './url-check.js';
import { TRAIN_QUEUE, type TrainJob } from './jobs.js';
import { runTrainingInThread, type TrainingThread } from './training-thread.js';
import { csvScoringThread } from './csv-scoring-thread.js';

const EVENT_HISTORY = 1000;
/** How long a run training in this process gets to stop at its next abort check when the server stops (under `docker stop`'s 10 s). */
export const STOP_GRACE_MS = 5_000;

export interface ServingState {
  deps: ServerDeps;
  /** Re-reads the champion alias and swaps the served model when it moved. */
  refreshModel(): Promise<void>;
  /** Resolves when no background run is active. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function createServerDeps(ctx: AppContext, trainOptions: (preset?: PresetName) => PipelineOptions, opts: { pollMs?: number; queuedWaitMs?: number } = {}): Promise<ServingState> {
  let model: Predictor | undefined;
  // Why no model is served (a champion that does not load): /readyz says it, and serving goes on so
  // the operator can roll back from the UI.
  let modelProblem: NsError | undefined;
  try {
    model = await loadModel(ctx);
  } catch (e) {
    modelProblem = toNsError(e);
  }
  // Notes live in state.db next to the run index (one file for this home's local state).
  const notes = new SqliteNoteStore(ctx.paths.stateDb);
  let pendingJobsRead: Promise<Awaited<ReturnType<NonNullable<ServerDeps['jobs']>>>['queues']> | undefined;
  const history = new Map<string, ProgressEvent[]>();
  const listeners = new Map<string, Set<ProgressListener>>();
  let active: Promise<unknown> = Promise.resolve();
  /** Runs training in this process's threads, by run id (stopped when the server stops). */
  const training = new Map<string, TrainingThread>();

  const refreshModel = async (): Promise<void> => {
    const alias = await findVersion(ctx);
    if ((alias?.version ?? null) === (model?.version ?? null)) return;
    try {
      model = await loadModel(ctx);
      modelProblem = undefined;
      ctx.logger.info(`serving model v${model?.version ?? '-'}`);
    } catch (e) {
      if (!model) modelProblem = toNsError(e);
      ctx.logger.error(`cannot load the new champion; still serving v${model?.version ?? '-'}`, { error: (e as Error).message });
    }
  };
  const timer = setInterval(() => void refreshModel().catch(() => undefined), opts.pollMs ?? 5000);
  timer.unref();

  /**
   * A started run is announced once its first event arrives (its record exists then, so its page and
   * event stream work at once). A queued run that no worker takes within `queuedWaitMs` is announced
   * anyway; its record appears when a worker starts it.
   */
  const waiting = new Map<string, { done: () => void; fail: (e: Error) => void }>();
  const firstEvent = (runId: string): Promise<void> => new Promise((done, fail) => {
    const timer = ctx.scaleOut ? setTimeout(() => { waiting.delete(runId); done(); }, opts.queuedWaitMs ?? 10_000) : undefined;
    waiting.set(runId, {
      done: () => { clearTimeout(timer); waiting.delete(runId); done(); },
      fail: (e) => { clearTimeout(timer); waiting.delete(runId); fail(e); },
    });
  });
  const onEvent = (e: ProgressEvent): void => {
    publish(e);
    if (e.runId) waiting.get(e.runId)?.done();
    if (e.type === 'run_finished') void refreshModel().catch(() => undefined);
  };
  const stopWatching = ctx.scaleOut ? ctx.queue.watch(TRAIN_QUEUE, (_jobId, update) => onEvent(update as unknown as ProgressEvent)) : undefined;
  const stopChampionChannel = ctx.scaleOut?.onChampionMoved(() => void refreshModel().catch(() => undefined));

  const publish = (e: ProgressEvent): void => {
    if (!e.runId) return;
    const h = history.get(e.runId) ?? [];
    h.push(e);
    if (h.length > EVENT_HISTORY) h.shift();
    history.set(e.runId, h);
    for (const l of listeners.get(e.runId) ?? []) l(e);
  };

  // CSV uploads are read and scored in a thread of their own: the served version's bundle is loaded there.
  const csvScoring = csvScoringThread(ctx.schema, async (version) => {
    const mv = await findVersion(ctx, version);
    if (!mv) throw new NsError('MODEL_NOT_FOUND', `There is no model version ${version}.`, { kind: 'not_found', hint: 'List versions first.' });
    return { bytes: await ctx.artifacts.get(mv.bundleKey), bundleSha256: mv.bundleSha256 };
  });

  /**
   * Stops a run training in this process when the server stops: the run ends at its next abort check
   * (marked interrupted by the pipeline, lock released). A thread still busy after STOP_GRACE_MS is
   * terminated, and the run is marked interrupted here; its lock row names this process, so it is free
   * once the process has exited.
   */
  const stopRun = async (runId: string, thread: TrainingThread): Promise<void> => {
    ctx.logger.info(`stopping run ${runId}`);
    thread.done.catch(() => undefined);
    if ((await thread.stop(STOP_GRACE_MS)) === 'stopped') return;
    const record = await ctx.runs.get(runId);
    if (record?.status === 'running') {
      await ctx.runs.update(runId, {
        status: 'interrupted', finishedAt: new Date().toISOString(),
        error: { code: 'INTERRUPTED', message: `Run ${runId} was interrupted: the server stopped.` },
      });
    }
    ctx.logger.warn(`run ${runId} did not stop within ${STOP_GRACE_MS / 1000} s; its thread was terminated`);
  };

  const profileModels = profileModelCache(ctx);
  const fetcher = pageFetcher(ctx.config);
  const deps: ServerDeps = {
    schema: ctx.schema,
    async analyze(req, signal) {
      return analyzeUrl(req, { models: await profileModels(), fetcher, providers: featureProviders(), ...(signal ? { signal } : {}) });
    },
    getModel: () => model,
    scoreCsvUpload: (served, source) => csvScoring.score(served.version, source),
    modelProblem: () => modelProblem,
    runs: ctx.runs,
    registry: ctx.registry,
    notes,
    async startRun({ full, preset }) {
      const options = { ...trainOptions(preset), ...(full ? { full: true } : {}) };
      const job: TrainJob = { runId: newRunId(), options, trigger: 'api' };
      const started = firstEvent(job.runId);
      if (ctx.scaleOut) {
        await ctx.queue.enqueue(TRAIN_QUEUE, job, { jobId: job.runId });
      } else {
        // Off the serving event loop: the run trains in a thread of its own.
        const thread = runTrainingInThread(job, onEvent, ctx.logger);
        training.set(job.runId, thread);
        const run = thread.done.finally(() => training.delete(job.runId)).then(() => refreshModel(), (e: unknown) => {
          const first = waiting.get(job.runId);
          if (first) first.fail(e instanceof Error ? e : new Error(String(e)));
          else ctx.logger.warn('background run failed', { error: (e as Error).message });
        });
        active = active.then(() => run);
      }
      await started;
      return { runId: job.runId };
    },
    subscribe(runId, listener) {
      for (const e of history.get(runId) ?? []) listener(e);
      const set = listeners.get(runId) ?? new Set();
      set.add(listener);
      listeners.set(runId, set);
      return () => set.delete(listener);
    },
    async readRunArtifact(runId, name) {
      if (!/^[\w.-]+$/.test(runId) || !/^[\w.-]+$/.test(name)) return undefined;
      try {
        return await ctx.artifacts.get(`${runId}/${name}`);
      } catch (e) {
        if (e instanceof NsError && e.code === 'ARTIFACT_NOT_FOUND') return undefined;
        throw e;
      }
    },
    async readModelBundle(version) {
      const mv = await ctx.registry.get(version);
      return mv && checkedBundle(await ctx.artifacts.get(mv.bundleKey), mv);
    },
    async promote(version, expected) {
      if (!(await ctx.registry.get(version))) throw new NsError('MODEL_NOT_FOUND', `There is no model version ${version}.`, { kind: 'not_found', hint: 'List versions first.' });
      await requireLoadable(ctx, version);
      await promoteVersion(ctx.registry, version, expected, 'promoted from the web UI / API');
      await refreshModel();
    },
    async rollback() {
      await rollbackChampion(ctx.registry, 'rolled back from the web UI / API', (v) => requireLoadable(ctx, v));
      await refreshModel();
    },
    async jobs() {
      const scale = ctx.scaleOut;
      if (!scale) return { backend: null, queues: [] };
      // BullMQ's connection waits for Redis to come back; the page gets an answer within 3 s instead. A
      // read still waiting is shared, not repeated: while Redis is down, the page's polling adds no reads.
      pendingJobsRead ??= Promise.all(scale.queueNames().map(async (name) => ({ name, counts: await scale.jobCounts(name), jobs: await scale.listJobs(name, undefined, 20) })));
      const read = pendingJobsRead;
      const settled = (): void => {
        if (pendingJobsRead === read) pendingJobsRead = undefined;
      };
      void read.then(settled, settled);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new NsError('REDIS_UNAVAILABLE', `Redis did not answer within 3 s (${scale.queue.describe()}).`, { kind: 'unavailable', hint: 'Check that Redis is running; the page retries on its own.' })), 3000);
      });
      try {
        return { backend: scale.queue.describe(), queues: await Promise.race([read, late]) };
      } finally {
        clearTimeout(timer);
      }
    },
    async listSnapshots(): Promise<SnapshotInfo[]> {
      const seen = new Map<string, SnapshotInfo>();
      for (const r of await ctx.runs.list(500)) {
        const data = r.summary['data'] as { snapshotSha256?: string; rows?: number } | undefined;
        if (data?.snapshotSha256 && !seen.has(data.snapshotSha256)) seen.set(data.snapshotSha256, { sha256: data.snapshotSha256, rows: data.rows ?? 0, createdAt: r.startedAt, runId: r.id });
      }
      return [...seen.values()];
    },
    apiToken: ctx.config.NS_API_TOKEN,
    limits: { ...defaultLimits, predictPerMinute: ctx.config.NS_RATE_LIMIT_PER_MINUTE },
    logger: ctx.logger,
  };
  return {
    deps, refreshModel, idle: () => active.then(() => undefined),
    async stop() {
      await Promise.all([...training].map(([runId, thread]) => stopRun(runId, thread)));
      await csvScoring.close();
      notes.close();
      clearInterval(timer);
      stopWatching?.();
      await (await stopChampionChannel)?.();
    },
  };
}
