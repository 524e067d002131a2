/**
 * A run's folder in the ArtifactStore (`<run-id>/…`) and its manifest. Every artifact a stage writes is
 * recorded with its sha256, size and stage; a stage counts as completed only once the manifest saying
 * so has been written (atomically), so an interrupted run resumes from the last completed stage and a
 * half-written artifact is never taken as complete.
 */
import { NsError } from '../core/errors.js';
import type { ArtifactStore } from '../ports/artifact-store.js';
import type { PipelineOptions, StageName, StageOutputs } from './types.js';

export interface ManifestArtifact {
  name: string;
  key: string;
  sha256: string;
  size: number;
  stage: StageName;
  createdAt: string;
}

export interface ManifestStage {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outputs: unknown;
}

export interface Manifest {
  runId: string;
  createdAt: string;
  libraryVersion: string;
  options: PipelineOptions;
  stages: Partial<Record<StageName, ManifestStage>>;
  artifacts: ManifestArtifact[];
}

export class RunArtifacts {
  private constructor(
    private readonly store: ArtifactStore,
    readonly manifest: Manifest,
  ) {}

  static key(runId: string, name: string): string {
    return `${runId}/${name}`;
  }

  static async create(store: ArtifactStore, runId: string, options: PipelineOptions, libraryVersion: string): Promise<RunArtifacts> {
    const run = new RunArtifacts(store, { runId, createdAt: new Date().toISOString(), libraryVersion, options, stages: {}, artifacts: [] });
    await run.saveManifest();
    return run;
  }

  static async open(store: ArtifactStore, runId: string): Promise<RunArtifacts> {
    let bytes: Uint8Array;
    try {
      bytes = await store.get(RunArtifacts.key(runId, 'manifest.json'));
    } catch (e) {
      if (e instanceof NsError && e.code === 'ARTIFACT_NOT_FOUND') {
        throw new NsError('RUN_NOT_FOUND', `Run ${runId} has no manifest in ${store.describe()}.`, { kind: 'not_found', hint: 'List runs with `networksecurity runs`.' });
      }
      throw e;
    }
    return new RunArtifacts(store, JSON.parse(new TextDecoder().decode(bytes)) as Manifest);
  }

  get runId(): string {
    return this.manifest.runId;
  }

  /** Writes an artifact of a stage (atomic put) and records it; not yet "complete" until the stage completes. */
  async write(stage: StageName, name: string, body: Uint8Array | string): Promise<ManifestArtifact> {
    const key = RunArtifacts.key(this.runId, name);
    const put = await this.store.put(key, body);
    const entry: ManifestArtifact = { name, key, sha256: put.sha256, size: put.size, stage, createdAt: new Date().toISOString() };
    this.manifest.artifacts = this.manifest.artifacts.filter((a) => a.name !== name).concat(entry);
    return entry;
  }

  async read(name: string): Promise<Uint8Array> {
    return this.store.get(RunArtifacts.key(this.runId, name));
  }

  async readText(name: string): Promise<string> {
    return new TextDecoder().decode(await this.read(name));
  }

  completed(stage: StageName): boolean {
    return this.manifest.stages[stage] !== undefined;
  }

  outputs(): Partial<StageOutputs> {
    const out: Partial<Record<StageName, unknown>> = {};
    for (const [name, s] of Object.entries(this.manifest.stages)) out[name as StageName] = s.outputs;
    return out as Partial<StageOutputs>;
  }

  /**
   * Marks a stage completed with its outputs. The stage counts as completed (here and in `outputs()`)
   * only once the manifest saying so is stored: when the put fails, the manifest in memory is unchanged.
   */
  async completeStage(stage: StageName, startedAt: Date, outputs: unknown): Promise<void> {
    const finished = new Date();
    const done: ManifestStage = { startedAt: startedAt.toISOString(), finishedAt: finished.toISOString(), durationMs: finished.getTime() - startedAt.getTime(), outputs };
    await this.saveManifest({ ...this.manifest, stages: { ...this.manifest.stages, [stage]: done } });
    this.manifest.stages[stage] = done;
  }

  /** Forgets a stage and everything after it (for `--from`); like completeStage, only once that is stored. */
  async resetFrom(stages: readonly StageName[], from: StageName): Promise<void> {
    const forget = new Set(stages.slice(stages.indexOf(from)));
    const kept = Object.fromEntries(Object.entries(this.manifest.stages).filter(([s]) => !forget.has(s as StageName))) as Manifest['stages'];
    const artifacts = this.manifest.artifacts.filter((a) => !forget.has(a.stage));
    await this.saveManifest({ ...this.manifest, stages: kept, artifacts });
    this.manifest.stages = kept;
    this.manifest.artifacts = artifacts;
  }

  private async saveManifest(manifest: Manifest = this.manifest): Promise<void> {
    await this.store.put(RunArtifacts.key(this.runId, 'manifest.json'), JSON.stringify(manifest, null, 2));
  }
}
