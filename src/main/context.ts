/**
 * The composition root's product: every port wired to a concrete adapter, chosen from the
 * configuration (environment). Only src/main (and tests) import adapters.
 */
import type { Logger } from '../core/logger.js';
import type { ArtifactStore, JobQueue, RecordStore, Registry, RunStore, Tracker } from '../ports/index.js';
import type { Config } from './config.js';
import type { Schema } from '../data/schema.js';
import type { ScaleOut } from './scale-out.js';

export interface Paths {
  home: string;
  stateDb: string;
  recordsDb: string;
  artifacts: string;
}

export interface AppContext {
  config: Config;
  schema: Schema;
  paths: Paths;
  logger: Logger;
  records: RecordStore;
  artifacts: ArtifactStore;
  runs: RunStore;
  registry: Registry;
  /** Undefined when tracking is off. */
  tracker: Tracker | undefined;
  queue: JobQueue;
  /** Present when REDIS_URL is set: BullMQ queue and workers, the cross-machine run lock, the champion channel. */
  scaleOut: ScaleOut | undefined;
  /** Present when an MLflow server is configured: sends a run (by pipeline run id) that MLflow lacks. */
  replayTracking: ((pipelineRunId: string) => Promise<{ remoteRunId: string; created: boolean; metrics: number; params: number; artifacts: number; children: number }>) | undefined;
  close(): Promise<void>;
}
