/**
 * The composition root: reads the configuration and picks a concrete adapter for every port —
 * embedded defaults (SQLite, local folder, local tracker and registry, in-process queue) unless
 * MONGO_DB_URL, NS_STATE_URL, S3_BUCKET, MLFLOW_TRACKING_URI or REDIS_URL say otherwise. Production adapters are
 * loaded lazily so the CLI starts fast on the defaults.
 */
import { resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { NsError } from '../core/errors.js';
import { redactUrlCredentials } from '../core/redact.js';
import type { Logger } from '../core/logger.js';
import { parseSchema, type Schema } from '../data/schema.js';
import { FsArtifactStore } from '../adapters/fs/artifact-store.js';
import { InlineJobQueue } from '../adapters/inline/job-queue.js';
import { SqliteRecordStore } from '../adapters/sqlite/record-store.js';
import { SqliteRunStore } from '../adapters/sqlite/run-store.js';
import { openLocalRegistry, openLocalTracker } from '../adapters/tracking/index.js';
import type { Alias, ArtifactStore, RecordStore, Registry, RunStore, StateRegistry, Tracker } from '../ports/index.js';
import type { AppContext, Paths } from './context.js';
import { loadConfig, type Config } from './config.js';
import { bundledSchemaPath } from './package-root.js';
import { publishingRegistry } from './published-registry.js';
import { lazyRecordStore } from './lazy-record-store.js';
import { registerJobs } from './jobs.js';
import type { ScaleOut } from './scale-out.js';

export function paths(config: Config): Paths {
  const home = resolve(config.NS_HOME);
  return {
    home,
    stateDb: resolve(home, 'state.db'),
    recordsDb: resolve(config.NS_DATA_DIR ?? home, 'records.db'),
    artifacts: resolve(config.NS_ARTIFACTS_DIR ?? resolve(home, 'artifacts')),
  };
}

export function loadSchemaFile(path: string): Schema {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new NsError('SCHEMA_NOT_FOUND', `Cannot read the schema file ${path}.`, { kind: 'config', cause: e, hint: 'Set NS_SCHEMA to the path of schema.yaml, or run from the project folder.' });
  }
  return parseSchema(text);
}

async function recordStore(config: Config, p: Paths): Promise<RecordStore> {
  // Opened on first use, so a broken records.db never stops the commands that do not read records.
  if (!config.MONGO_DB_URL) return lazyRecordStore(() => Promise.resolve(new SqliteRecordStore(p.recordsDb)), `sqlite:${p.recordsDb}`);
  const url = config.MONGO_DB_URL;
  const { openMongoRecordStore, parseRecordFormat } = await import('../adapters/mongodb/index.js');
  const recordFormat = parseRecordFormat(config.MONGO_RECORD_FORMAT);
  return lazyRecordStore(
    () => openMongoRecordStore(url, { database: config.MONGO_DB_NAME, collection: config.MONGO_COLLECTION, recordFormat }),
    `${redactUrlCredentials(url)} (${config.MONGO_DB_NAME}.${config.MONGO_COLLECTION})`,
  );
}

/** The local artifacts folder (the default store, and `sync`'s local side). */
export function localArtifactStore(p: Paths): ArtifactStore {
  return new FsArtifactStore(p.artifacts);
}

async function artifactStore(config: Config, p: Paths): Promise<ArtifactStore> {
  if (!config.S3_BUCKET) return localArtifactStore(p);
  const { S3ArtifactStore } = await import('../adapters/s3/artifact-store.js');
  return new S3ArtifactStore({ bucket: config.S3_BUCKET, prefix: config.S3_PREFIX, region: config.AWS_REGION, ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}) });
}

/**
 * The run index and the deciding registry: in the home's state.db, or — with NS_STATE_URL — in
 * MongoDB, shared by the processes of every machine of the installation.
 */
interface State { runs: RunStore; registry: StateRegistry; close(): Promise<void> }

async function stateStores(config: Config, p: Paths): Promise<State> {
  if (!config.NS_STATE_URL) {
    const runs = new SqliteRunStore(p.stateDb);
    return { runs, registry: openLocalRegistry(p.stateDb), close: () => Promise.resolve(runs.close()) };
  }
  const { openMongoState } = await import('../adapters/mongodb/index.js');
  return openMongoState(config.NS_STATE_URL, { lockTtlMs: config.NS_JOB_LOCK_MS, defaultDatabase: config.MONGO_DB_NAME });
}

/**
 * Tracking and registry: the local tracker on the state file and the deciding registry; with
 * MLFLOW_TRACKING_URI, the MLflow tracker (local first, MLflow as a best-effort mirror) and the
 * registry mirrored to MLflow's.
 */
type Tracking = { tracker: Tracker | undefined; registry: Registry; replayTracking: AppContext['replayTracking'] };

async function trackingAndRegistry(config: Config, p: Paths, logger: Logger, localRegistry: StateRegistry): Promise<Tracking> {
  if (config.NS_TRACKING === 'off') return { tracker: undefined, registry: localRegistry, replayTracking: undefined };
  const local = openLocalTracker(p.stateDb);
  if (!config.MLFLOW_TRACKING_URI) return { tracker: local, registry: localRegistry, replayTracking: undefined };
  const { createMlflowTracker, createMlflowRegistryMirror } = await import('../adapters/mlflow/index.js');
  const tracker = createMlflowTracker({
    uri: config.MLFLOW_TRACKING_URI, experimentName: config.MLFLOW_EXPERIMENT_NAME, local, logger,
    ...(config.MLFLOW_TRACKING_USERNAME ? { username: config.MLFLOW_TRACKING_USERNAME } : {}),
    ...(config.MLFLOW_TRACKING_PASSWORD ? { password: config.MLFLOW_TRACKING_PASSWORD } : {}),
    ...(config.MLFLOW_TRACKING_TOKEN ? { token: config.MLFLOW_TRACKING_TOKEN } : {}),
  });
  const replayTracking = async (pipelineRunId: string): ReturnType<NonNullable<AppContext['replayTracking']>> => {
    // The parent tracking run of a pipeline run is named after it.
    const runs = await local.listRuns({ limit: 10000 });
    const target = runs.find((r) => r.name === pipelineRunId || r.id === pipelineRunId);
    if (!target) throw new NsError('RUN_NOT_FOUND', `No tracked run for ${pipelineRunId}.`, { kind: 'not_found', hint: 'List runs with `networksecurity runs`.' });
    const r = await tracker.replayRun(target.id);
    return { remoteRunId: r.remoteRunId, created: r.created, metrics: r.metrics, params: r.params, artifacts: r.artifacts, children: r.children.length };
  };
  return { tracker, registry: createMlflowRegistryMirror(localRegistry, tracker.client, { tracker, logger, modelName: config.MLFLOW_REGISTERED_MODEL }), replayTracking };
}

/** The Redis side (loaded only when REDIS_URL is set, so the embedded default never loads BullMQ). */
async function openRedis(config: Config & { REDIS_URL: string }, logger: Logger): Promise<{ scale: ScaleOut; announce: (alias: Alias, version: number | null) => Promise<void> }> {
  const { openScaleOut, championAnnouncer } = await import('./scale-out.js');
  const scale = openScaleOut({ url: config.REDIS_URL, prefix: config.NS_QUEUE_PREFIX }, logger, { lockTtlMs: config.NS_JOB_LOCK_MS });
  return { scale, announce: championAnnouncer(scale, logger) };
}

export interface ContextOptions {
  /**
   * For commands that only read (runs, models list, data versions): a state.db that does not exist is
   * not created; they read an empty one in memory instead, so nothing is written where they looked.
   */
  readOnly?: boolean;
}

export async function createContext(logger: Logger, env: Record<string, string | undefined> = process.env, options: ContextOptions = {}): Promise<AppContext> {
  const config = loadConfig(env);
  const found = paths(config);
  const p = options.readOnly && !existsSync(found.stateDb) ? { ...found, stateDb: ':memory:' } : found;
  const schema = loadSchemaFile(config.NS_SCHEMA ?? bundledSchemaPath);
  const records = await recordStore(config, p);
  const artifacts = await artifactStore(config, p);
  const state = await stateStores(config, p);
  const { runs } = state;
  const tracking = await trackingAndRegistry(config, p, logger, state.registry);
  const { tracker: track, replayTracking } = tracking;
  const scaleOut = config.REDIS_URL ? await openRedis({ ...config, REDIS_URL: config.REDIS_URL }, logger) : undefined;
  const registry = publishingRegistry(tracking.registry, artifacts, state.registry, scaleOut?.announce);
  const queue = scaleOut?.scale.queue ?? new InlineJobQueue();
  const ctx: AppContext = {
    config, logger, schema, paths: p, records, artifacts, runs, registry, tracker: track, queue, scaleOut: scaleOut?.scale, replayTracking,
    async close() {
      await queue.close();
      await scaleOut?.scale.close();
      await records.close();
      await state.close();
    },
  };
  registerJobs(ctx);
  return ctx;
}
