/**
 * The publishing registry over the real local registry (SQLite in a temp folder) and an in-memory
 * artifact store whose puts can fail: every change publishes the index, and a change whose publishing
 * fails stays made locally, to be published by the next one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalRegistry, type LocalRegistry } from '../adapters/tracking/local-registry.js';
import type { NewModelVersion, Registry } from '../ports/index.js';
import { MemoryArtifactStore } from '../ports/memory-artifact-store.test-helpers.js';
import { publishingRegistry, readRegistryIndex, REGISTRY_INDEX_KEY } from './published-registry.js';


const version = (runId: string): NewModelVersion => ({
  runId, bundleKey: `${runId}/model.nsm`, bundleSha256: 'b'.repeat(64), modelKind: 'random_forest',
  metrics: { f1: 0.9 }, snapshotSha256: 'd'.repeat(64), schemaHash: 's'.repeat(64),
});

let dir: string;
let local: LocalRegistry;
let store: MemoryArtifactStore;
let registry: Registry;

async function published(): Promise<{ aliases: Record<string, number>; versions: number[] } | undefined> {
  const index = await readRegistryIndex(store);
  return index && { aliases: index.aliases, versions: index.versions.map((v) => v.version) };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-published-registry-'));
  local = openLocalRegistry(join(dir, 'state.db'));
  store = new MemoryArtifactStore();
  registry = publishingRegistry(local, store, local);
});
afterEach(() => {
  local.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('publishing registry', () => {
  it('publishes every version and the aliases after each change', async () => {
    expect(await published()).toBeUndefined();
    await registry.register(version('run-1'));
    expect(await published()).toEqual({ aliases: {}, versions: [1] });
    await registry.setAlias('champion', 1, null, 'first');
    expect(await published()).toEqual({ aliases: { champion: 1 }, versions: [1] });
    expect(await registry.getAlias('champion')).toMatchObject({ version: 1, runId: 'run-1' });
  });

  it('keeps a version whose publishing failed registered and unpromoted; the next change publishes it and numbering goes on', async () => {
    await registry.register(version('run-1'));
    await registry.setAlias('champion', 1, null, 'first');
    store.failing = true;
    await expect(registry.register(version('run-2'))).rejects.toMatchObject({ code: 'S3_UNAVAILABLE' });
    expect((await registry.list()).map((v) => [v.version, v.runId])).toEqual([[2, 'run-2'], [1, 'run-1']]);
    expect((await registry.getAlias('champion'))?.version).toBe(1);

    store.failing = false;
    expect((await registry.register(version('run-3'))).version).toBe(3);
    expect(await published()).toEqual({ aliases: { champion: 1 }, versions: [3, 2, 1] });
  });

  it('keeps an alias move whose publishing failed until it is moved back, and publishes the move back', async () => {
    await registry.register(version('run-1'));
    await registry.setAlias('champion', 1, null, 'first');
    await registry.register(version('run-2'));
    store.failing = true;
    await expect(registry.setAlias('champion', 2, 1, 'run run-2: better')).rejects.toMatchObject({ code: 'S3_UNAVAILABLE' });
    expect((await registry.getAlias('champion'))?.version).toBe(2);
    expect(await published()).toEqual({ aliases: { champion: 1 }, versions: [2, 1] });

    store.failing = false;
    await registry.setAlias('champion', 1, 2, 'run run-2: push failed, champion restored');
    expect(await published()).toEqual({ aliases: { champion: 1 }, versions: [2, 1] });
    expect((await registry.history('champion')).map((h) => [h.from, h.to])).toEqual([[2, 1], [1, 2], [null, 1]]);
  });

  it('after the state file is lost, takes the versions and the champion back from the index and never reuses a number', async () => {
    await registry.register(version('run-1'));
    await registry.setAlias('champion', 1, null, 'first');
    await registry.register(version('run-2'));
    await registry.setAlias('champion', 2, 1, 'better');
    const lost = openLocalRegistry(join(dir, 'state-lost.db'));
    try {
      const fresh = publishingRegistry(lost, store, lost);
      expect((await fresh.getAlias('champion'))?.runId).toBe('run-2');
      expect((await fresh.register(version('run-3'))).version).toBe(3);
      expect(await published()).toEqual({ aliases: { champion: 2 }, versions: [3, 2, 1] });
      expect((await fresh.history('champion'))[0]).toMatchObject({ from: null, to: 2, reason: `restored from ${REGISTRY_INDEX_KEY}` });
    } finally {
      lost.close();
    }
  });

  it('takes in published numbers a non-empty local registry lacks before registering', async () => {
    await registry.register(version('run-1'));
    await registry.register(version('run-2'));
    const behind = openLocalRegistry(join(dir, 'state-behind.db'));
    try {
      await behind.register(version('run-1'));
      expect((await publishingRegistry(behind, store, behind).register(version('run-3'))).version).toBe(3);
    } finally {
      behind.close();
    }
  });

  it('refuses a write, and still answers reads, when the index cannot be read', async () => {
    await registry.register(version('run-1'));
    await store.put(REGISTRY_INDEX_KEY, '{not json');
    const lost = openLocalRegistry(join(dir, 'state-lost.db'));
    try {
      const fresh = publishingRegistry(lost, store, lost);
      expect(await fresh.list()).toEqual([]);
      await expect(fresh.register(version('run-2'))).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID' });
      expect(await lost.list()).toEqual([]);
    } finally {
      lost.close();
    }
  });

  it('reports an index that is not JSON', async () => {
    await store.put(REGISTRY_INDEX_KEY, '{not json');
    await expect(readRegistryIndex(store)).rejects.toMatchObject({ code: 'REGISTRY_INDEX_INVALID' });
  });
});
