/**
 * What the local tracker offers beyond the Tracker port: the read API our UI uses (runs, their params,
 * metrics, tags, artifacts and children) and the bookkeeping a remote mirror (MLflow) keeps per run,
 * so a run that could not be sent is known and can be replayed without duplicates.
 */
import type { MetricPoint, RunStatus, Tracker } from '../../ports/tracker.js';

export interface TrackedRunSummary {
  id: string;
  parentId: string | null;
  name: string;
  status: RunStatus;
  /** ms since epoch. */
  startTime: number;
  endTime: number | null;
  /** State of the remote copy: null when no remote tracker is used. */
  remoteState: RemoteState | null;
}

export interface ArtifactInfo {
  path: string;
  size: number;
  sha256: string;
}

export interface TrackedRun extends TrackedRunSummary {
  params: Record<string, string>;
  /** Latest value per metric key (highest step, then newest timestamp). */
  metrics: Record<string, number>;
  tags: Record<string, string>;
  artifacts: ArtifactInfo[];
  children: TrackedRunSummary[];
}

export interface ListRunsOptions {
  /** Children of this run; `null` (the default) lists top-level runs. */
  parentId?: string | null;
  limit?: number;
  offset?: number;
}

/** A stored metric point with its row id, which orders points for replay. */
export interface StoredMetric extends Required<MetricPoint> {
  id: number;
}

/** `sent`: everything reached the remote; `not_sent`: something is missing there (replay it). */
export type RemoteState = 'sent' | 'not_sent';

export interface RemoteRunState {
  runId: string;
  remoteRunId: string | null;
  artifactUri: string | null;
  state: RemoteState;
  /** Highest local metric id known to be on the remote. */
  metricsSentUpto: number;
  /** Final status already sent, or null. */
  statusSent: string | null;
  lastError: string | null;
}

export type SentKind = 'param' | 'tag' | 'artifact';

/** Per-run bookkeeping of a remote mirror, stored next to the runs. */
export interface RemoteSyncStore {
  get(runId: string): RemoteRunState | undefined;
  update(runId: string, patch: Partial<Omit<RemoteRunState, 'runId'>>): void;
  markSent(runId: string, kind: SentKind, keys: readonly string[]): void;
  /** Forgets that keys were sent (an artifact re-logged with new content must be sent again). */
  markUnsent(runId: string, kind: SentKind, keys: readonly string[]): void;
  sentKeys(runId: string, kind: SentKind): Set<string>;
  /** Local runs whose remote copy is incomplete, oldest first. */
  notSent(): string[];
}

/** The embedded tracker: the Tracker port plus reads for the UI and remote bookkeeping. */
export interface LocalTracker extends Tracker {
  resumeRun(runId: string): Promise<boolean>;
  listRuns(options?: ListRunsOptions): Promise<TrackedRunSummary[]>;
  getRun(runId: string): Promise<TrackedRun | undefined>;
  /** Points of one metric, ordered by step then timestamp. */
  getMetricHistory(runId: string, key: string): Promise<MetricPoint[]>;
  getArtifact(runId: string, path: string): Promise<Uint8Array>;
  /** Metric points of a run with a row id above `afterId`, in id order (at most `limit`). */
  metricsAfter(runId: string, afterId: number, limit: number): StoredMetric[];
  /** Like logMetrics, but returns the row ids given to the points (first..last, inclusive). */
  logMetricsWithIds(runId: string, metrics: readonly MetricPoint[]): { firstId: number; lastId: number } | null;
  readonly remote: RemoteSyncStore;
  close(): void;
}
