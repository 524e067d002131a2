/**
 * The deciding registry (the local state file, or MongoDB with NS_STATE_URL) with an MLflow
 * model-registry mirror. The deciding registry owns versions, compare-and-set alias moves and history;
 * after each change the mirror registers the version in MLflow (registered model `networksecurity`, created when missing) and moves the same alias there. When the
 * run's `model` artifact folder is an MLflow model (an MLmodel file), it first becomes the run's logged
 * model (MLflow 3) and the version's source is `models:/<model_id>`; otherwise the source is the folder. A mirror failure never undoes or fails the local change: it is
 * reported as a warning, and `resync()` repeats whatever MLflow lacks.
 */
import { NsError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Alias, AliasChange, ModelVersion, NewModelVersion, Registry, StateRegistry } from '../../ports/registry.js';
import { mlflowErrorCode, type MlflowClient } from './client.js';
import { LOCAL_RUN_ID_TAG, type MlflowTracker } from './tracker.js';

/** Tag a tracking session puts on the parent run so registry versions (keyed by pipeline run) find it. */
export const PIPELINE_RUN_ID_TAG = 'networksecurity.pipeline_run_id';
/** Artifact folder of a run holding the model bundle; the MLflow model version points at it. */
export const MODEL_ARTIFACT_DIR = 'model';

export interface RegistryMirrorOptions {
  modelName?: string;
  /** Resolves local run ids to MLflow runs and gives the experiment to search. */
  tracker?: MlflowTracker;
  logger?: Logger;
}

export interface MirroredRegistry extends Registry {
  /** Registers missing versions and sets both aliases in MLflow as they are locally; throws on failure. */
  resync(): Promise<{ versions: number; aliases: number }>;
}

const ALIASES: readonly Alias[] = ['champion', 'challenger'];

class MlflowMirroredRegistry implements MirroredRegistry {
  private readonly modelName: string;
  private modelReady = false;

  constructor(private readonly local: StateRegistry, private readonly client: MlflowClient, private readonly options: RegistryMirrorOptions) {
    this.modelName = options.modelName ?? 'networksecurity';
  }

  describe(): string {
    return `${this.local.describe()} + mlflow:${this.client.describe()} (registered model ${this.modelName})`;
  }

  list(): Promise<ModelVersion[]> { return this.local.list(); }
  get(version: number): Promise<ModelVersion | undefined> { return this.local.get(version); }
  getAlias(alias: Alias): Promise<ModelVersion | undefined> { return this.local.getAlias(alias); }
  history(alias: Alias): Promise<AliasChange[]> { return this.local.history(alias); }

  async register(version: NewModelVersion): Promise<ModelVersion> {
    const registered = await this.local.register(version);
    await this.bestEffort(`register version ${registered.version}`, () => this.mirrorVersion(registered));
    return registered;
  }

  async setAlias(alias: Alias, version: number | null, expected: number | null, reason: string): Promise<void> {
    await this.local.setAlias(alias, version, expected, reason);
    await this.bestEffort(`move alias ${alias} to ${version ?? 'none'}`, () => this.mirrorAlias(alias, version));
  }

  async resync(): Promise<{ versions: number; aliases: number }> {
    let versions = 0;
    for (const v of (await this.local.list()).reverse()) {
      if (await this.local.remoteVersion(v.version)) continue;
      await this.mirrorVersion(v);
      versions++;
    }
    for (const alias of ALIASES) await this.mirrorAlias(alias, (await this.local.getAlias(alias))?.version ?? null);
    return { versions, aliases: ALIASES.length };
  }

  private async bestEffort(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      this.options.logger?.warn(`MLflow registry mirror could not ${what}; the local registry has it (${(e as Error).message}). ` +
        'Run `networksecurity models sync` when MLflow is back.', { what });
    }
  }

  private async ensureModel(): Promise<void> {
    if (this.modelReady) return;
    try {
      await this.client.createRegisteredModel(this.modelName);
    } catch (e) {
      if (mlflowErrorCode(e) !== 'RESOURCE_ALREADY_EXISTS') throw e;
    }
    this.modelReady = true;
  }

  /** The MLflow run of a version's run id: a tracked run id, or a pipeline run id tagged on its parent run. */
  private async remoteRunOf(runId: string): Promise<{ runId: string; artifactUri: string }> {
    const tracker = this.options.tracker;
    // The run's creation may still be queued in the tracker's background sends.
    await tracker?.flush();
    const known = tracker?.remoteRun(runId);
    if (known) return known;
    if (tracker) {
      const experimentId = await tracker.experimentId();
      for (const tag of [LOCAL_RUN_ID_TAG, PIPELINE_RUN_ID_TAG]) {
        const found = await this.client.searchRuns({ experiment_ids: [experimentId], filter: `tags.\`${tag}\` = '${runId}'`, max_results: 1 });
        const info = found.runs?.[0]?.info;
        if (info) return { runId: info.run_id, artifactUri: info.artifact_uri };
      }
    }
    throw new NsError('MLFLOW_RUN_MISSING', `Run ${runId} is not in MLflow, so its model cannot be registered there.`, {
      kind: 'state', hint: 'Replay the run with `networksecurity tracking replay <run>`, then sync the registry.',
    });
  }

  private async mirrorVersion(v: ModelVersion): Promise<void> {
    if (await this.local.remoteVersion(v.version)) return;
    await this.ensureModel();
    const run = await this.remoteRunOf(v.runId);
    const tags = {
      'networksecurity.version': String(v.version), 'networksecurity.bundle_sha256': v.bundleSha256,
      'networksecurity.snapshot_sha256': v.snapshotSha256, 'networksecurity.schema_hash': v.schemaHash,
      'networksecurity.model_kind': v.modelKind,
    };
    const modelId = await this.loggedModel(run, v);
    // A version of a logged model must name it as its source (MLflow 3 refuses the run folder then).
    const created = await this.client.createModelVersion({
      name: this.modelName, run_id: run.runId,
      ...(modelId === undefined ? { source: `${run.artifactUri.replace(/\/+$/, '')}/${MODEL_ARTIFACT_DIR}` } : { source: `models:/${modelId}`, model_id: modelId }),
      description: `networksecurity model version ${v.version} (${v.modelKind})`,
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    });
    await this.local.setRemoteVersion(v.version, { name: this.modelName, version: created.model_version.version });
  }

  /**
   * The run's model folder as an MLflow 3 logged model of that run (the run's "Model" column and the
   * model page): created, the folder's files copied into it, finalized and logged as the run's output.
   * Best effort: without it the version is still registered from the run's folder.
   */
  private async loggedModel(run: { runId: string; artifactUri: string }, v: ModelVersion): Promise<string | undefined> {
    const tracker = this.options.tracker;
    if (!tracker) return undefined;
    try {
      const listed = await this.client.listArtifacts(run.runId, MODEL_ARTIFACT_DIR);
      const files = (listed.files ?? []).filter((f) => !f.is_dir);
      if (!files.some((f) => f.path === `${MODEL_ARTIFACT_DIR}/MLmodel`)) return undefined;
      const { model } = await this.client.createLoggedModel({
        experiment_id: await tracker.experimentId(), name: MODEL_ARTIFACT_DIR, source_run_id: run.runId, model_type: v.modelKind,
        tags: [{ key: 'networksecurity.version', value: String(v.version) }, { key: 'networksecurity.bundle_sha256', value: v.bundleSha256 }],
      });
      for (const f of files) {
        const bytes = await this.client.downloadArtifact(run.artifactUri, f.path);
        await this.client.uploadArtifact(model.info.artifact_uri, f.path.slice(MODEL_ARTIFACT_DIR.length + 1), bytes);
      }
      await this.client.finalizeLoggedModel(model.info.model_id);
      await this.client.logOutputs(run.runId, [model.info.model_id]);
      return model.info.model_id;
    } catch (e) {
      this.options.logger?.warn(`MLflow could not take model v${v.version} as a logged model of its run; the version is registered from the run's folder (${(e as Error).message}).`, { version: v.version });
      return undefined;
    }
  }

  private async mirrorAlias(alias: Alias, version: number | null): Promise<void> {
    await this.ensureModel();
    if (version === null) {
      try {
        await this.client.deleteModelAlias(this.modelName, alias);
      } catch (e) {
        if (!(e instanceof NsError && e.kind === 'not_found')) throw e;
      }
      return;
    }
    const v = await this.local.get(version);
    if (!v) return;
    await this.mirrorVersion(v);
    await this.client.setModelAlias(this.modelName, alias, (await this.local.remoteVersion(version))!.version);
  }
}

/**
 * The local registry mirrored to MLflow's model registry.
 *
 * @example
 *   const registry = createMlflowRegistryMirror(openLocalRegistry(db), tracker.client, { tracker, logger });
 */
export function createMlflowRegistryMirror(localRegistry: StateRegistry, mlflowClient: MlflowClient, options: RegistryMirrorOptions = {}): MirroredRegistry {
  return new MlflowMirroredRegistry(localRegistry, mlflowClient, options);
}
