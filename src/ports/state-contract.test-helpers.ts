/**
 * One contract suite for the state stores — every RunStore and every deciding Registry (StateRegistry)
 * runs it: the SQLite ones in the state file and the MongoDB ones (NS_STATE_URL). `open` gives a
 * fresh, empty store; `second` a second connection to the same store (another process's view).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NewModelVersion, StateRegistry } from './registry.js';
import type { RunRecord, RunStore } from './run-store.js';

export interface StoreFactory<S> {
  open(): Promise<S>;
  /** A second connection to the store `open` gave last. */
  second(): Promise<S>;
  /** Closes every store opened by this factory (after each test). */
  closeAll(): Promise<void>;
}

export const newVersion = (runId: string, f1: number): NewModelVersion => ({
  runId, bundleKey: `${runId}/model.nsm`, bundleSha256: 'b'.repeat(64), modelKind: 'random_forest',
  metrics: { f1, 'roc.auc': 0.9 }, snapshotSha256: 'd'.repeat(64), schemaHash: 's'.repeat(64),
});

/** The Registry contract (numbering, compare-and-set alias moves, history, adopt, remote versions). */
export function registryContract(name: string, stores: StoreFactory<StateRegistry>): void {
  describe(`${name}: registry contract`, () => {
    afterEach(() => stores.closeAll());

    it('registers versions with their lineage, numbered from 1', async () => {
      const registry = await stores.open();
      const v1 = await registry.register(newVersion('run-a', 0.9));
      const v2 = await registry.register(newVersion('run-b', 0.95));
      expect([v1.version, v2.version]).toEqual([1, 2]);
      expect(await registry.get(2)).toEqual(v2);
      expect(v2).toMatchObject({ runId: 'run-b', metrics: { f1: 0.95, 'roc.auc': 0.9 }, snapshotSha256: 'd'.repeat(64) });
      expect((await registry.list()).map((v) => v.version)).toEqual([2, 1]);
      expect(await registry.get(3)).toBeUndefined();
    });

    it('moves aliases by compare-and-set and records the history', async () => {
      const registry = await stores.open();
      await registry.register(newVersion('a', 0.9));
      await registry.register(newVersion('b', 0.95));
      await registry.setAlias('champion', 1, null, 'first');
      await registry.setAlias('champion', 2, 1, 'better');
      await registry.setAlias('challenger', 1, null, 'shadow');
      expect((await registry.getAlias('champion'))?.version).toBe(2);
      expect((await registry.getAlias('challenger'))?.version).toBe(1);
      await expect(registry.setAlias('champion', 1, 1, 'stale')).rejects.toMatchObject({ code: 'ALIAS_CONFLICT', kind: 'conflict' });
      await expect(registry.setAlias('champion', 9, 2, 'missing')).rejects.toMatchObject({ code: 'MODEL_VERSION_NOT_FOUND' });
      await expect(registry.setAlias('stable' as 'champion', 1, null, 'bad')).rejects.toMatchObject({ code: 'ALIAS_INVALID' });
      await registry.setAlias('challenger', null, 1, 'cleared');
      expect(await registry.getAlias('challenger')).toBeUndefined();
      await registry.setAlias('challenger', 2, null, 'again');
      expect((await registry.history('champion')).map((h) => [h.from, h.to, h.reason])).toEqual([[1, 2, 'better'], [null, 1, 'first']]);
      expect((await registry.history('challenger')).map((h) => [h.from, h.to])).toEqual([[null, 2], [1, null], [null, 1]]);
    });

    it('lets only one of two connections win the same promotion', async () => {
      const registry = await stores.open();
      await registry.register(newVersion('a', 0.9));
      await registry.register(newVersion('b', 0.91));
      const other = await stores.second();
      const results = await Promise.allSettled([registry.setAlias('champion', 1, null, 'one'), other.setAlias('champion', 2, null, 'two')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')?.reason).toMatchObject({ code: 'ALIAS_CONFLICT' });
      expect(await registry.history('champion')).toHaveLength(1);
    });

    it('never gives one number twice to concurrent registers on two connections', async () => {
      const registry = await stores.open();
      const other = await stores.second();
      const made = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? other : registry).register(newVersion(`run-${i}`, 0.9))));
      expect(made.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect((await registry.list()).map((v) => v.runId).sort()).toEqual(made.map((v) => v.runId).sort());
    });

    it('adopts a published copy without reusing its numbers, and keeps remote versions', async () => {
      const registry = await stores.open();
      const published = [1, 2, 3].map((n) => ({ ...newVersion(`old-${n}`, 0.8), version: n, createdAt: '2026-01-01T00:00:00.000Z' }));
      expect(await registry.adopt({ versions: published, aliases: { champion: 3 } }, 'restored')).toBe(3);
      expect(await registry.adopt({ versions: published, aliases: { champion: 1 } }, 'again')).toBe(0);
      expect((await registry.getAlias('champion'))?.version).toBe(3);
      expect((await registry.register(newVersion('new', 0.9))).version).toBe(4);
      expect(await registry.remoteVersion(4)).toBeUndefined();
      await registry.setRemoteVersion(4, { name: 'networksecurity', version: '7' });
      expect(await (await stores.second()).remoteVersion(4)).toEqual({ name: 'networksecurity', version: '7' });
    });
  });
}

const running = (id: string, startedAt: string): RunRecord => ({ id, status: 'running', startedAt, finishedAt: null, lastStage: null, summary: {}, error: null });

/** The RunStore contract (index, patches, the one-run lock). */
export function runStoreContract(name: string, stores: StoreFactory<RunStore>): void {
  describe(`${name}: run store contract`, () => {
    afterEach(() => stores.closeAll());

    it('records runs, applies patches and lists newest first', async () => {
      const runs = await stores.open();
      await runs.create(running('run-1', '2026-01-01T00:00:00.000Z'));
      await runs.create(running('run-2', '2026-01-02T00:00:00.000Z'));
      await runs.update('run-1', { status: 'failed', finishedAt: '2026-01-01T00:01:00.000Z', error: { code: 'X', message: 'broke' }, summary: { 'stage.train': { f1: 0.9 } } });
      await runs.update('run-2', { lastStage: 'ingest' });
      await runs.update('missing', { status: 'failed' });
      expect(await runs.get('run-1')).toEqual({
        id: 'run-1', status: 'failed', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z', lastStage: null,
        summary: { 'stage.train': { f1: 0.9 } }, error: { code: 'X', message: 'broke' },
      });
      expect((await runs.list()).map((r) => [r.id, r.status, r.lastStage])).toEqual([['run-2', 'running', 'ingest'], ['run-1', 'failed', null]]);
      expect(await runs.list(1)).toHaveLength(1);
      expect(await runs.get('missing')).toBeUndefined();
    });

    it('lets one holder take the lock across two connections, names its run, and marks runs left running as interrupted', async () => {
      const runs = await stores.open();
      await runs.create(running('run-old', '2026-01-01T00:00:00.000Z'));
      const other = await stores.second();
      const lease = await runs.acquireLock();
      expect((await runs.get('run-old'))?.status).toBe('interrupted');
      await lease.setRun('run-new');
      await expect(other.acquireLock()).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS', kind: 'conflict', details: { runId: 'run-new', pid: process.pid } });
      await lease.release();
      await (await other.acquireLock()).release();
    });

    it('gives the lock to exactly one of concurrent takers', async () => {
      await stores.open();
      const all = await Promise.all([stores.second(), stores.second(), stores.second()]);
      const results = await Promise.allSettled(all.map((s) => s.acquireLock()));
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code: string }).code)).toEqual(['RUN_IN_PROGRESS', 'RUN_IN_PROGRESS']);
      await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<RunStore['acquireLock']>>>).value.release();
    });
  });
}
