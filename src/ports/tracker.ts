/**
 * Tracker: params, metrics, tags and artifacts per run (one parent run per pipeline run, one child
 * run per candidate model). Embedded default: local SQLite store; production: MLflow REST API.
 */
export type ParamValue = string | number | boolean;

export interface MetricPoint {
  key: string;
  value: number;
  step?: number;
  /** ms since epoch; defaults to now. */
  timestamp?: number;
}

export type RunStatus = 'RUNNING' | 'FINISHED' | 'FAILED';

export interface StartRunOptions {
  name: string;
  parentRunId?: string;
  tags?: Record<string, string>;
}

/**
 * A data set a run used, as MLflow records dataset inputs: name, a digest (MLflow keeps at most 36
 * characters), where it lives (source type and a JSON source such as {"uri": "s3://…"}), its schema and
 * profile as JSON, and the context it was used in (e.g. "training").
 */
export interface DatasetInput {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema: string;
  profile: string;
  context: string;
}

export interface Tracker {
  describe(): string;
  /**
   * True when runs also go to a tracking server (MLflow). Only then does the train stage write the
   * MLflow model folder (ONNX graph and MLmodel), which only MLflow's side reads.
   */
  readonly sendsToServer?: boolean;
  startRun(options: StartRunOptions): Promise<string>;
  logParams(runId: string, params: Record<string, ParamValue>): Promise<void>;
  logMetrics(runId: string, metrics: readonly MetricPoint[]): Promise<void>;
  setTags(runId: string, tags: Record<string, string>): Promise<void>;
  logArtifact(runId: string, path: string, body: Uint8Array | string): Promise<void>;
  endRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>): Promise<void>;
  /**
   * Marks an ended top-level run running again, so a later call of the same pipeline run (the next
   * `train --stage`) logs into it; false when the tracker has no such run (trackers without it start a new one).
   */
  resumeRun?(runId: string): Promise<boolean>;
  /** Records a data set the run used (trackers without dataset inputs leave this out). */
  logDatasetInput?(runId: string, dataset: DatasetInput): Promise<void>;
}
