/**
 * The push stage against an in-memory registry that, like the registry publishing its index to S3,
 * records a change and then fails: a failed push leaves the champion where it was, and so does a push
 * whose run fails afterwards (undoPromotion).
 */
import { describe, expect, it } from 'vitest';
import { NsError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import type { Logger } from '../../core/logger.js';
import type { Alias, AliasChange, ArtifactStore, ModelVersion, NewModelVersion, Registry } from '../../ports/index.js';
import { deleteListed, putGathered } from '../../ports/artifact-store.js';
import type { StageContext, TestMetrics } from '../types.js';
import { push, trainingKey, undoPromotion } from './push.js';

const unavailable = (): NsError => new NsError('S3_UNAVAILABLE', 'S3 at http://127.0.0.1:9 is unavailable while writing s3://b/registry/index.json: ECONNREFUSED.', { kind: 'unavailable' });

/** A registry in memory; `failAfter` makes register or setAlias record the change and then throw (publishing failed). */
class MemoryRegistry implements Registry {
  versions: ModelVersion[] = [];
  aliases = new Map<Alias, number>();
  moves: AliasChange[] = [];
  failAfter = new Set<'register' | 'setAlias'>();
  describe(): string { return 'memory'; }
  register(v: NewModelVersion): Promise<ModelVersion> {
    const mv = { ...v, version: this.versions.length + 1, createdAt: new Date(0).toISOString() };
    this.versions.push(mv);
    return this.failAfter.has('register') ? Promise.reject(unavailable()) : Promise.resolve(mv);
  }
  list(): Promise<ModelVersion[]> { return Promise.resolve(this.versions); }
  get(version: number): Promise<ModelVersion | undefined> { return Promise.resolve(this.versions.find((v) => v.version === version)); }
  getAlias(alias: Alias): Promise<ModelVersion | undefined> {
    const n = this.aliases.get(alias);
    return Promise.resolve(n === undefined ? undefined : this.versions.find((v) => v.version === n));
  }
  setAlias(alias: Alias, version: number | null, expected: number | null, reason: string): Promise<void> {
    const current = this.aliases.get(alias) ?? null;
    if (current !== expected) return Promise.reject(new NsError('ALIAS_CONFLICT', `Alias ${alias} holds ${current}.`, { kind: 'conflict' }));
    if (version === null) this.aliases.delete(alias);
    else this.aliases.set(alias, version);
    this.moves.push({ alias, from: current, to: version, at: new Date(0).toISOString(), reason });
    return this.failAfter.has('setAlias') ? Promise.reject(unavailable()) : Promise.resolve();
  }
  history(alias: Alias): Promise<AliasChange[]> { return Promise.resolve(this.moves.filter((m) => m.alias === alias).reverse()); }
}

const bundle = new TextEncoder().encode('bundle bytes');
const metrics: TestMetrics = { f1Phishing: 0.9, f1Legit: 0.92, precision: 0.9, recall: 0.9, accuracy: 0.91, rocAuc: 0.95, confusion: [[1, 0], [0, 1]] };
/** An artifact store in memory holding the run's bundle. */
function memoryArtifacts(): ArtifactStore & { objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>([['run-2/model.nsm', bundle]]);
  const store: ArtifactStore & { objects: Map<string, Uint8Array> } = {
    objects, describe: () => 'memory',
    putFrom: (key, produce) => putGathered(store, key, produce), deleteAll: (prefix) => deleteListed(store, prefix),
    put: (key, body) => {
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      objects.set(key, bytes);
      return Promise.resolve({ key, sha256: sha256(bytes), size: bytes.length });
    },
    get: (key) => (objects.has(key) ? Promise.resolve(objects.get(key)!) : Promise.reject(new NsError('ARTIFACT_NOT_FOUND', key))),
    exists: (key) => Promise.resolve(objects.has(key)), list: () => Promise.resolve([...objects.keys()]), delete: (key) => { objects.delete(key); return Promise.resolve(); },
  };
  return store;
}

const options = { seed: 42, testSize: 0.2, plan: { preset: 'quick', candidates: [] }, imputer: 'most_frequent', scaler: 'none', cvFolds: 5, maxBadRowShare: 0.01 } as unknown as StageContext['options'];

function context(registry: Registry, logger: Logger, over: { accepted?: boolean; artifacts?: ArtifactStore; options?: Partial<StageContext['options']> } = {}): StageContext {
  const ctx: Pick<StageContext, 'runId' | 'schema' | 'artifacts' | 'registry' | 'outputs' | 'logger' | 'progress' | 'options' | 'run'> = {
    runId: 'run-2', schema: { hash: 'schema-hash' } as StageContext['schema'], artifacts: over.artifacts ?? memoryArtifacts(), registry, logger, progress: () => undefined,
    options: { ...options, ...over.options }, run: { manifest: { libraryVersion: '1.0.0' } } as StageContext['run'],
    outputs: {
      ingest: { snapshotSha256: 'snap', split: { testSha256: 'test-split' } } as NonNullable<StageContext['outputs']['ingest']>,
      train: {
        candidates: [{ name: 'RF', kind: 'random_forest', params: {}, cv: { f1: 0.9, f1Std: 0, folds: [] }, test: metrics, fitMs: 1 }],
        best: 'RF', bundleKey: 'run-2/model.nsm', bundleSha256: sha256(bundle), metricsKey: 'run-2/metrics.json', curvesKey: 'run-2/curves.json',
      },
      evaluate: { accepted: over.accepted ?? true, reason: 'better', candidate: metrics, champion: null },
    },
  };
  return ctx as StageContext;
}

function logger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (msg) => { errors.push(msg); } };
}

async function withChampion(): Promise<MemoryRegistry> {
  const registry = new MemoryRegistry();
  const v1 = await registry.register({ runId: 'run-1', bundleKey: 'run-1/model.nsm', bundleSha256: 'x', modelKind: 'random_forest', metrics: {}, snapshotSha256: 's', schemaHash: 'schema-hash' });
  await registry.setAlias('champion', v1.version, null, 'first model');
  return registry;
}

describe('push', () => {
  it('registers a copy of the bundle under a key of its own and makes it the champion', async () => {
    const registry = await withChampion();
    const artifacts = memoryArtifacts();
    const out = await push(context(registry, logger(), { artifacts }));
    expect(out).toMatchObject({ version: 2, promoted: true, challenger: false, reused: false });
    expect(out.bundleKey).toBe(`models/${trainingKey(context(registry, logger()), 'snap', 'test-split')}/${sha256(bundle)}.nsm`);
    expect(registry.versions[1]).toMatchObject({ bundleKey: out.bundleKey, bundleSha256: sha256(bundle), runId: 'run-2' });
    expect(registry.aliases.get('champion')).toBe(2);
    // The run's own bundle can be rewritten (train --from train); the registered copy stays.
    artifacts.objects.set('run-2/model.nsm', new TextEncoder().encode('retrained'));
    expect(sha256(artifacts.objects.get(out.bundleKey!)!)).toBe(registry.versions[1]!.bundleSha256);
  });

  it('registers a rejected candidate too, as the challenger, and leaves the champion', async () => {
    const registry = await withChampion();
    const out = await push(context(registry, logger(), { accepted: false }));
    expect(out).toMatchObject({ version: 2, promoted: false, challenger: true, reused: false });
    expect(registry.aliases.get('champion')).toBe(1);
    expect(registry.aliases.get('challenger')).toBe(2);
    // A newer rejected candidate (other settings) takes the alias over.
    const next = await push(context(registry, logger(), { accepted: false, options: { seed: 7 } }));
    expect(next).toMatchObject({ version: 3, challenger: true });
    expect(registry.aliases.get('challenger')).toBe(3);
    expect(registry.moves.filter((m) => m.alias === 'challenger').map((m) => [m.from, m.to])).toEqual([[null, 2], [2, 3]]);
  });

  it('reuses the version registered for the same snapshot, settings and seed instead of adding a copy', async () => {
    const registry = await withChampion();
    const artifacts = memoryArtifacts();
    const first = await push(context(registry, logger(), { artifacts, accepted: false }));
    const again = await push(context(registry, logger(), { artifacts, accepted: true }));
    expect(again).toMatchObject({ version: first.version, reused: true, promoted: true, bundleKey: first.bundleKey });
    expect(registry.versions).toHaveLength(2);
    expect(registry.aliases.get('champion')).toBe(first.version);
    const other = await push(context(registry, logger(), { artifacts, options: { testSize: 0.25 } }));
    expect(other).toMatchObject({ version: 3, reused: false });
    // A version whose bundle is damaged is not reused: the run registers its own.
    artifacts.objects.set(first.bundleKey!, new TextEncoder().encode('damaged'));
    const own = await push(context(registry, logger(), { artifacts }));
    expect(own).toMatchObject({ version: 4, reused: false });
    expect(sha256(artifacts.objects.get(own.bundleKey!)!)).toBe(registry.versions[3]!.bundleSha256);
  });

  it('puts the champion back when publishing the alias move fails', async () => {
    const registry = await withChampion();
    registry.failAfter.add('setAlias');
    const log = logger();
    await expect(push(context(registry, log))).rejects.toMatchObject({ code: 'S3_UNAVAILABLE' });
    expect(registry.aliases.get('champion')).toBe(1);
    expect(registry.moves.map((m) => [m.from, m.to])).toEqual([[null, 1], [1, 2], [2, 1]]);
    expect(registry.moves[2]!.reason).toMatch(/push failed/);
    expect(log.errors).toEqual([]);
  });

  it('leaves no champion when the first push fails after the alias move', async () => {
    const registry = new MemoryRegistry();
    registry.failAfter.add('setAlias');
    await expect(push(context(registry, logger()))).rejects.toMatchObject({ code: 'S3_UNAVAILABLE' });
    expect(registry.aliases.has('champion')).toBe(false);
  });

  it('leaves the champion when publishing the registered version fails', async () => {
    const registry = await withChampion();
    registry.failAfter.add('register');
    await expect(push(context(registry, logger()))).rejects.toMatchObject({ code: 'S3_UNAVAILABLE' });
    expect(registry.aliases.get('champion')).toBe(1);
    expect(registry.moves).toHaveLength(1);
  });

  it('reports the error of the push and logs a champion it could not move back', async () => {
    const registry = await withChampion();
    registry.failAfter.add('setAlias');
    const setAlias = (...args: Parameters<Registry['setAlias']>): Promise<void> => MemoryRegistry.prototype.setAlias.apply(registry, args);
    registry.setAlias = (alias, version, expected, reason) => (/push failed/.test(reason) ? Promise.reject(new Error('registry locked')) : setAlias(alias, version, expected, reason));
    const log = logger();
    await expect(push(context(registry, log))).rejects.toMatchObject({ code: 'S3_UNAVAILABLE' });
    expect(registry.aliases.get('champion')).toBe(2);
    expect(log.errors).toEqual(['push failed but the champion could not be moved back from v2']);
  });

  it('does not undo a concurrent promotion that won the compare-and-set', async () => {
    const registry = await withChampion();
    const setAlias = (...args: Parameters<Registry['setAlias']>): Promise<void> => MemoryRegistry.prototype.setAlias.apply(registry, args);
    let raced = false;
    registry.setAlias = async (alias, version, expected, reason) => {
      if (!raced) {
        raced = true;
        const other = await registry.register({ runId: 'run-x', bundleKey: 'run-x/model.nsm', bundleSha256: 'y', modelKind: 'knn', metrics: {}, snapshotSha256: 's', schemaHash: 'schema-hash' });
        await setAlias('champion', other.version, 1, 'promoted elsewhere');
      }
      return setAlias(alias, version, expected, reason);
    };
    await expect(push(context(registry, logger()))).rejects.toMatchObject({ code: 'ALIAS_CONFLICT' });
    expect(registry.aliases.get('champion')).toBe(3);
  });
});

describe('undoPromotion', () => {
  it('puts back the champion that this run\'s push replaced', async () => {
    const registry = await withChampion();
    const log = logger();
    await push(context(registry, log));
    await undoPromotion(context(registry, log), 2);
    expect(registry.aliases.get('champion')).toBe(1);
    expect(registry.moves.map((m) => [m.from, m.to])).toEqual([[null, 1], [1, 2], [2, 1]]);
    expect(registry.moves[2]!.reason).toBe('run run-2: push failed, champion restored');
    expect(log.errors).toEqual([]);
  });

  it('leaves no champion when the run\'s push promoted the first one', async () => {
    const registry = new MemoryRegistry();
    await push(context(registry, logger()));
    await undoPromotion(context(registry, logger()), 1);
    expect(registry.aliases.has('champion')).toBe(false);
  });

  it('leaves a champion moved since alone, even back to the same version', async () => {
    const registry = await withChampion();
    await push(context(registry, logger()));
    await registry.setAlias('champion', 1, 2, 'manual rollback');
    await registry.setAlias('champion', 2, 1, 'run run-9: promoted again');
    await undoPromotion(context(registry, logger()), 2);
    expect(registry.aliases.get('champion')).toBe(2);
    expect(registry.moves).toHaveLength(4);
  });

  it('never throws: a registry it cannot read is logged', async () => {
    const registry = await withChampion();
    await push(context(registry, logger()));
    registry.history = () => Promise.reject(new Error('registry locked'));
    const log = logger();
    await expect(undoPromotion(context(registry, log), 2)).resolves.toBeUndefined();
    expect(registry.aliases.get('champion')).toBe(2);
    expect(log.errors).toEqual(['push failed but the champion could not be moved back from v2']);
  });
});
