/**
 * What the HTTP server needs from the rest of the program, as interfaces. The composition root
 * (src/main) implements them with the real pipeline, registry and loaded champion; tests pass fakes.
 * The server never imports adapters: everything it touches arrives here.
 */
import type { NsError } from '../core/errors.js';
import type { Logger, ProgressListener } from '../core/logger.js';
import type { Matrix } from '../core/matrix.js';
import type { Schema } from '../data/schema.js';
import type { Analysis, AnalyzeRequest } from '../pipeline/analyze.js';
import type { BatchPredictSummary } from '../pipeline/batch-predict.js';
import type { PresetName } from '../pipeline/plan.js';
import type { JobState, JobView, NoteStore, Registry, RunStore } from '../ports/index.js';
import type { RequestLogOptions } from './request-log.js';

/** An immutable loaded champion; swapping the champion means replacing the object. */
export interface ScoringModel {
  version: number;
  kind: string;
  /** Canonical schema order; rows handed to `predict` follow it. */
  featureNames: string[];
  /** label: -1 phishing, 1 legitimate; probPhishing in [0, 1]. */
  predict(X: Matrix): { label: Float64Array; probPhishing: Float64Array };
  /** Per-feature additive contributions to the phishing score (n x features) and the base value per row. */
  contributions?(X: Matrix): { values: Matrix; base: Float64Array } | undefined;
  /** The scale of contributions and base: log-odds of phishing, or its probability (absent: not known). */
  contributionSpace?(): 'log-odds' | 'probability' | undefined;
}

/**
 * The data schema (src/data/schema.ts): feature names and order, the target, aliases and allowed
 * values. CSV uploads are read with it by the same reader as the ETL and `predict`.
 */
export type ServerSchema = Schema;

export interface ServerLimits {
  /** Largest JSON body in bytes (413 above it). */
  jsonBodyBytes: number;
  /** Largest CSV upload in bytes (413 above it). */
  csvUploadBytes: number;
  /** Requests per minute per client address to each scoring route (429 above it); NS_RATE_LIMIT_PER_MINUTE. */
  predictPerMinute: number;
}

export interface SnapshotInfo {
  sha256: string;
  rows: number;
  createdAt: string;
  runId: string;
}

/** The job queues (REDIS_URL): per queue, the counts per state and the latest jobs. */
export interface JobsOverview {
  /** e.g. "BullMQ on redis://127.0.0.1:6379/ (prefix ns)"; null when jobs run in this process (no REDIS_URL). */
  backend: string | null;
  queues: { name: string; counts: Record<JobState, number>; jobs: JobView[] }[];
}

export interface ServerDeps {
  schema: ServerSchema;
  /** The current champion; read once per request so in-flight requests finish on the model they started with. */
  getModel(): ScoringModel | undefined;
  /** Why no model is served when the champion exists but does not load (shown by /readyz). */
  modelProblem?(): NsError | undefined;
  /**
   * Reads, validates and scores a CSV upload on `model` off the serving event loop (a worker thread),
   * with the same reader and scorer as `predict`; absent: the route scores it on the event loop in small turns.
   */
  scoreCsvUpload?(model: ScoringModel, source: AsyncIterable<Uint8Array | string>): Promise<{ body: Uint8Array; summary: BatchPredictSummary }>;
  runs: RunStore;
  registry: Registry;
  /** Notes on runs and model versions. */
  notes: NoteStore;
  /** Starts a pipeline run in the background (on the given training preset, else the server's) and returns its id at once. */
  startRun(opts: { full?: boolean; preset?: PresetName }): Promise<{ runId: string }>;
  /** Live progress of a run; returns the unsubscribe function. */
  subscribe(runId: string, listener: ProgressListener): () => void;
  /** A run artifact by name ('validation_report.json', 'drift_report.json', 'metrics.json', 'curves.json'); undefined when absent. */
  readRunArtifact(runId: string, name: string): Promise<Uint8Array | undefined>;
  /**
   * The bundle bytes of a registered version, checked against the sha256 the registry recorded;
   * undefined when the version does not exist.
   */
  readModelBundle(version: number): Promise<Uint8Array | undefined>;
  /** Moves the champion alias to `version` (compare-and-set against `expected`) and swaps the served model. */
  promote(version: number, expected: number | null): Promise<void>;
  /** Moves the champion alias back to the version it held before. */
  rollback(): Promise<void>;
  listSnapshots(): Promise<SnapshotInfo[]>;
  /** The job queues with their latest jobs (GET /api/v1/jobs); absent or `backend: null` without REDIS_URL. */
  jobs?(): Promise<JobsOverview>;
  /**
   * Token required on state-changing endpoints (Authorization: Bearer … or X-API-Token). When
   * undefined, state-changing requests are accepted from loopback addresses only.
   */
  apiToken: string | undefined;
  limits: ServerLimits;
  /**
   * Host names the server answers to besides IP literals and localhost (DNS-rebinding check, see
   * origin.ts); `*` accepts any. Default: none.
   */
  allowedHosts?: readonly string[];
  logger: Logger;
  /** The request log (one line per request); absent = no request log (request ids are still made). */
  requestLog?: RequestLogOptions;
  /** Checks one URL (POST /api/v1/analyze); absent where URL checks are not wired. */
  analyze?: (req: AnalyzeRequest, signal?: AbortSignal) => Promise<Analysis>;
  /** Folder of the built UI (index.html); defaults to <package>/dist/ui. */
  uiDir?: string;
  /** Version string reported by /version and /v2; defaults to the package version. */
  appVersion?: string;
}

/** Default limits: 1 MiB JSON, 64 MiB CSV, 600 predict calls per minute per address. */
export const defaultLimits: ServerLimits = { jsonBodyBytes: 1 << 20, csvUploadBytes: 64 << 20, predictPerMinute: 600 };
