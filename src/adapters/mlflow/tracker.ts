/**
 * The MLflow tracker, write-through: every call goes to the local tracker first (the source of truth,
 * and where errors such as PARAM_CHANGED come from), then to MLflow on a best-effort basis, in the
 * background: sends of one run are queued in order, metric points coalesce into log-batch calls, and
 * only the end of a top-level run waits, for the sends of its whole run tree. When MLflow fails, the
 * run is marked `not_sent` locally, one warning per top-level run reports the loss, the rest of that
 * run stays local, and further calls skip the server for `cooldownMs` (so a dead server costs training
 * at most one call deadline). `replayRun` later sends what the server lacks, using the bookkeeping of
 * what was sent and a `networksecurity.local_run_id` tag, so nothing is duplicated.
 */
import { NsError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { DatasetInput, MetricPoint, ParamValue, RunStatus, StartRunOptions, Tracker } from '../../ports/tracker.js';
import { normalizeArtifactPath, paramToString } from '../tracking/local-tracker.js';
import type { LocalTracker, RemoteRunState } from '../tracking/types.js';
import {
  MAX_METRICS_PER_BATCH, MAX_PARAMS_PER_BATCH, MAX_TAGS_PER_BATCH, chunk, toWireMetric, toWireParam, toWireTags,
} from './batches.js';
import { MlflowClient, type MlflowClientOptions } from './client.js';
import { getOrCreateExperiment } from './experiment.js';

/** Tag that links an MLflow run to the local run it mirrors (replay finds runs by it). */
export const LOCAL_RUN_ID_TAG = 'networksecurity.local_run_id';

export interface MlflowTrackerOptions extends MlflowClientOptions {
  experimentName: string;
  local: LocalTracker;
  logger?: Logger;
  /** How long to skip the server after a failure (default 30 s). */
  cooldownMs?: number;
  /** A ready client (tests); otherwise one is built from the connection options. */
  client?: MlflowClient;
}

export interface ReplayReport {
  runId: string;
  remoteRunId: string;
  created: boolean;
  params: number;
  metrics: number;
  tags: number;
  artifacts: number;
  children: ReplayReport[];
}

export interface MlflowTracker extends Tracker {
  readonly client: MlflowClient;
  readonly local: LocalTracker;
  /** The MLflow run a local run is mirrored to, once created there. */
  remoteRun(localRunId: string): { runId: string; artifactUri: string } | undefined;
  /** Sends everything of a local run (and its children) that MLflow lacks; throws when MLflow fails. */
  replayRun(localRunId: string): Promise<ReplayReport>;
  /** Id of the experiment, created or restored on first use. */
  experimentId(): Promise<string>;
  /** Waits until queued sends (of the runs `which` selects; all by default) are done. */
  flush(which?: (runId: string) => boolean): Promise<void>;
}

const stderrLogger: Logger = {
  debug() {},
  info() {},
  warn(msg) { process.stderr.write(`warning: ${msg}\n`); },
  error(msg) { process.stderr.write(`error: ${msg}\n`); },
};

class WriteThroughMlflowTracker implements MlflowTracker {
  readonly sendsToServer = true;
  readonly client: MlflowClient;
  readonly local: LocalTracker;
  private readonly logger: Logger;
  private readonly experimentName: string;
  private readonly cooldownMs: number;
  private experiment: Promise<string> | undefined;
  private offlineUntil = 0;
  private readonly queues = new Map<string, Promise<void>>();
  private readonly parents = new Map<string, string | null>();
  private readonly warned = new Set<string>();
  private readonly metricFlushQueued = new Set<string>();

  constructor(options: MlflowTrackerOptions) {
    this.client = options.client ?? new MlflowClient(options);
    this.local = options.local;
    this.logger = options.logger ?? stderrLogger;
    this.experimentName = options.experimentName;
    this.cooldownMs = options.cooldownMs ?? 30_000;
  }

  describe(): string {
    return `mlflow:${this.client.describe()} (experiment ${this.experimentName}; local copy ${this.local.describe()})`;
  }

  experimentId(): Promise<string> {
    if (!this.experiment) {
      this.experiment = getOrCreateExperiment(this.client, this.experimentName);
      this.experiment.catch(() => { this.experiment = undefined; });
    }
    return this.experiment;
  }

  remoteRun(localRunId: string): { runId: string; artifactUri: string } | undefined {
    const st = this.local.remote.get(localRunId);
    return st?.remoteRunId && st.artifactUri ? { runId: st.remoteRunId, artifactUri: st.artifactUri } : undefined;
  }

  /** Runs remote work for one run after the previous work for it, so its sends stay in order. */
  private enqueue(runId: string, work: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(runId) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => undefined);
    this.queues.set(runId, settled);
    void settled.then(() => { if (this.queues.get(runId) === settled) this.queues.delete(runId); });
    return next;
  }

  /** Best-effort remote work for a run that exists on the server; failures mark the run not sent. */
  private send(runId: string, work: (st: RemoteRunState & { remoteRunId: string; artifactUri: string }) => Promise<void>, onStart?: () => void): Promise<void> {
    return this.enqueue(runId, async () => {
      onStart?.();
      const st = this.local.remote.get(runId);
      if (!st || st.state === 'not_sent' || !st.remoteRunId || !st.artifactUri) return this.lost(runId, st?.lastError ?? 'the run is not on the server');
      if (Date.now() < this.offlineUntil) return this.lost(runId, 'MLflow was unreachable moments ago');
      try {
        await work({ ...st, remoteRunId: st.remoteRunId, artifactUri: st.artifactUri });
      } catch (e) {
        this.failed(runId, e);
      }
    });
  }

  private failed(runId: string, e: unknown): void {
    if (e instanceof NsError && e.kind === 'unavailable') this.offlineUntil = Date.now() + this.cooldownMs;
    this.lost(runId, e instanceof Error ? e.message : String(e));
  }

  private lost(runId: string, reason: string): void {
    const st = this.local.remote.get(runId);
    if (st?.state !== 'not_sent') this.local.remote.update(runId, { state: 'not_sent', lastError: reason });
    const root = this.rootOf(runId);
    if (this.warned.has(root)) return;
    this.warned.add(root);
    this.logger.warn(`MLflow did not get all of run ${root}; training goes on and the run is kept locally (${reason}). ` +
      `Send it later with \`networksecurity tracking replay ${root}\`.`, { runId: root });
  }

  async startRun(options: StartRunOptions): Promise<string> {
    const id = await this.local.startRun(options);
    this.parents.set(id, options.parentRunId ?? null);
    this.local.remote.update(id, { state: 'sent' });
    const parentWork = options.parentRunId === undefined ? undefined : this.queues.get(options.parentRunId);
    this.background(id, this.enqueue(id, async () => {
      // The parent's creation may still be queued: its remote id is needed for mlflow.parentRunId.
      await parentWork;
      const parent = options.parentRunId === undefined ? undefined : this.local.remote.get(options.parentRunId);
      if (options.parentRunId !== undefined && !parent?.remoteRunId) return this.lost(id, 'its parent run is not on the server');
      if (Date.now() < this.offlineUntil) return this.lost(id, 'MLflow was unreachable moments ago');
      try {
        await this.createRemote(id, parent?.remoteRunId ?? undefined, false);
        if (options.tags) await this.sendTags(id, options.tags);
      } catch (e) {
        this.failed(id, e);
      }
    }));
    return id;
  }

  /**
   * Creates the MLflow run of a local run. `lookFirst` (replay) first searches for a run already
   * tagged with the local id, in case an earlier create reached the server but its answer did not.
   */
  private async createRemote(localRunId: string, remoteParentId: string | undefined, lookFirst: boolean): Promise<{ runId: string; artifactUri: string; created: boolean }> {
    const run = await this.local.getRun(localRunId);
    if (!run) throw new NsError('RUN_NOT_FOUND', `Tracking run ${localRunId} does not exist.`, { kind: 'not_found' });
    const experimentId = await this.experimentId();
    const found = lookFirst
      ? await this.client.searchRuns({ experiment_ids: [experimentId], filter: `tags.\`${LOCAL_RUN_ID_TAG}\` = '${localRunId}'`, max_results: 1 })
      : undefined;
    const existing = found?.runs?.[0]?.info;
    const info = existing ?? (await this.client.createRun({
      experiment_id: experimentId, start_time: run.startTime, run_name: run.name,
      tags: [{ key: LOCAL_RUN_ID_TAG, value: localRunId }, ...(remoteParentId ? [{ key: 'mlflow.parentRunId', value: remoteParentId }] : [])],
    })).run.info;
    this.local.remote.update(localRunId, { remoteRunId: info.run_id, artifactUri: info.artifact_uri });
    return { runId: info.run_id, artifactUri: info.artifact_uri, created: !existing };
  }

  private async sendTags(localRunId: string, only?: Record<string, string>): Promise<number> {
    const st = this.local.remote.get(localRunId);
    if (!st?.remoteRunId) return 0;
    const tags = toWireTags(only ?? (await this.local.getRun(localRunId))?.tags ?? {});
    for (const part of chunk(tags, MAX_TAGS_PER_BATCH)) await this.client.logBatch({ run_id: st.remoteRunId, tags: part });
    return tags.length;
  }

  private async sendParams(localRunId: string, remoteRunId: string): Promise<number> {
    const run = await this.local.getRun(localRunId);
    const sent = this.local.remote.sentKeys(localRunId, 'param');
    const pending = Object.entries(run?.params ?? {}).filter(([k]) => !sent.has(k));
    for (const part of chunk(pending, MAX_PARAMS_PER_BATCH)) {
      await this.client.logBatch({ run_id: remoteRunId, params: part.map(([k, v]) => toWireParam(k, v)) });
      this.local.remote.markSent(localRunId, 'param', part.map(([k]) => k));
    }
    return pending.length;
  }

  private async sendMetrics(localRunId: string, remoteRunId: string): Promise<number> {
    let upto = this.local.remote.get(localRunId)?.metricsSentUpto ?? 0;
    let count = 0;
    for (;;) {
      const points = this.local.metricsAfter(localRunId, upto, MAX_METRICS_PER_BATCH);
      if (points.length === 0) return count;
      await this.client.logBatch({ run_id: remoteRunId, metrics: points.map(toWireMetric) });
      upto = points[points.length - 1]!.id;
      count += points.length;
      this.local.remote.update(localRunId, { metricsSentUpto: upto });
    }
  }

  private async sendArtifacts(localRunId: string, artifactUri: string): Promise<number> {
    const run = await this.local.getRun(localRunId);
    const sent = this.local.remote.sentKeys(localRunId, 'artifact');
    const pending = (run?.artifacts ?? []).filter((a) => !sent.has(a.path));
    for (const a of pending) {
      await this.client.uploadArtifact(artifactUri, a.path, await this.local.getArtifact(localRunId, a.path));
      this.local.remote.markSent(localRunId, 'artifact', [a.path]);
    }
    return pending.length;
  }

  private async sendStatus(localRunId: string, remoteRunId: string): Promise<void> {
    const run = await this.local.getRun(localRunId);
    if (!run || run.status === 'RUNNING' || this.local.remote.get(localRunId)?.statusSent === run.status) return;
    await this.client.updateRun(remoteRunId, run.status, run.endTime ?? Date.now());
    this.local.remote.update(localRunId, { statusSent: run.status });
  }

  async logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    await this.local.logParams(runId, params);
    this.background(runId, this.send(runId, async (st) => {
      const sent = this.local.remote.sentKeys(runId, 'param');
      const pending = Object.entries(params).filter(([k]) => !sent.has(k));
      for (const part of chunk(pending, MAX_PARAMS_PER_BATCH)) {
        await this.client.logBatch({ run_id: st.remoteRunId, params: part.map(([k, v]) => toWireParam(k, paramToString(v))) });
        this.local.remote.markSent(runId, 'param', part.map(([k]) => k));
      }
    }));
  }

  logMetrics(runId: string, metrics: readonly MetricPoint[]): Promise<void> {
    this.local.logMetricsWithIds(runId, metrics);
    // One queued flush sends every point logged before it runs, so bursts of small calls coalesce.
    if (this.metricFlushQueued.has(runId)) return Promise.resolve();
    this.metricFlushQueued.add(runId);
    this.background(runId, this.send(runId, (st) => this.sendMetrics(runId, st.remoteRunId).then(() => undefined),
      () => this.metricFlushQueued.delete(runId)));
    return Promise.resolve();
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    await this.local.setTags(runId, tags);
    this.background(runId, this.send(runId, async () => { await this.sendTags(runId, tags); }));
  }

  logDatasetInput(runId: string, ds: DatasetInput): Promise<void> {
    this.background(runId, this.send(runId, async (st) => {
      await this.client.logInputs(st.remoteRunId, [{
        dataset: { name: ds.name, digest: ds.digest, source_type: ds.sourceType, source: ds.source, schema: ds.schema, profile: ds.profile },
        tags: [{ key: 'mlflow.data.context', value: ds.context }],
      }]);
    }));
    return Promise.resolve();
  }

  async logArtifact(runId: string, path: string, body: Uint8Array | string): Promise<void> {
    await this.local.logArtifact(runId, path, body);
    const clean = normalizeArtifactPath(path);
    this.local.remote.markUnsent(runId, 'artifact', [clean]);
    this.background(runId, this.send(runId, async (st) => {
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      await this.client.uploadArtifact(st.artifactUri, clean, bytes);
      this.local.remote.markSent(runId, 'artifact', [clean]);
    }));
  }

  async endRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>): Promise<void> {
    await this.local.endRun(runId, status);
    const sent = this.send(runId, async (st) => { await this.sendStatus(runId, st.remoteRunId); });
    // Child runs end in the background; the end of a top-level run waits for its whole tree.
    if (this.parents.get(runId)) return this.background(runId, sent);
    await sent;
    await this.flush((id) => this.rootOf(id) === runId);
  }

  async resumeRun(runId: string): Promise<boolean> {
    if (!(await this.local.resumeRun(runId))) return false;
    this.parents.set(runId, null);
    // Its end is sent again when it ends again.
    this.local.remote.update(runId, { statusSent: null });
    this.background(runId, this.send(runId, async (st) => { await this.client.updateRun(st.remoteRunId, 'RUNNING'); }));
    return true;
  }

  async flush(which: (runId: string) => boolean = () => true): Promise<void> {
    for (;;) {
      const pending = [...this.queues.entries()].filter(([id]) => which(id)).map(([, p]) => p);
      if (pending.length === 0) return;
      await Promise.all(pending);
    }
  }

  private rootOf(runId: string): string {
    let root = runId;
    for (let p = this.parents.get(root); p; p = this.parents.get(root)) root = p;
    return root;
  }

  /** Lets remote work run on without the caller waiting; it never rejects into the caller. */
  private background(runId: string, work: Promise<void>): void {
    work.catch((e: unknown) => {
      const reason = e instanceof Error ? e.message : String(e);
      try {
        this.lost(runId, reason);
      } catch {
        this.logger.warn(`Tracking of run ${runId} failed and could not be recorded locally (${reason}).`, { runId });
      }
    });
  }

  async replayRun(localRunId: string): Promise<ReplayReport> {
    const run = await this.local.getRun(localRunId);
    if (!run) {
      throw new NsError('RUN_NOT_FOUND', `Tracking run ${localRunId} does not exist.`, {
        kind: 'not_found', hint: 'List runs with `networksecurity runs list` and use one of their ids.',
      });
    }
    const parentState = run.parentId ? this.local.remote.get(run.parentId) : undefined;
    // A child of an incomplete parent: replay from the parent, which covers its children.
    if (run.parentId && (!parentState?.remoteRunId || parentState.state !== 'sent')) return this.replayRun(run.parentId);
    const remoteParent = run.parentId ? this.local.remote.get(run.parentId)?.remoteRunId ?? undefined : undefined;
    let st = this.local.remote.get(localRunId);
    let created = false;
    if (!st?.remoteRunId || !st.artifactUri) {
      created = (await this.createRemote(localRunId, remoteParent, true)).created;
      st = this.local.remote.get(localRunId)!;
    }
    const remoteRunId = st.remoteRunId!;
    const report: ReplayReport = {
      runId: localRunId, remoteRunId, created,
      params: await this.sendParams(localRunId, remoteRunId),
      tags: await this.sendTags(localRunId),
      metrics: await this.sendMetrics(localRunId, remoteRunId),
      artifacts: await this.sendArtifacts(localRunId, st.artifactUri!),
      children: [],
    };
    await this.sendStatus(localRunId, remoteRunId);
    this.local.remote.update(localRunId, { state: 'sent', lastError: null });
    this.offlineUntil = 0;
    for (const child of run.children) report.children.push(await this.replayRun(child.id));
    return report;
  }
}

/**
 * An MLflow tracker writing through a local tracker.
 *
 * @example
 *   const tracker = createMlflowTracker({ uri: 'http://127.0.0.1:5000', experimentName: 'networksecurity', local });
 *   const run = await tracker.startRun({ name: 'pipeline' });
 *   // later, if the server was down: await tracker.replayRun(run);
 */
export function createMlflowTracker(options: MlflowTrackerOptions): MlflowTracker {
  return new WriteThroughMlflowTracker(options);
}
