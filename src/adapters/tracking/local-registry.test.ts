import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewModelVersion } from '../../ports/registry.js';
import { openLocalRegistry, type LocalRegistry } from './local-registry.js';

const run = promisify(execFile);
let dir: string;
let dbPath: string;
let registry: LocalRegistry;

const version = (runId: string, f1: number): NewModelVersion => ({
  runId, bundleKey: `${runId}/model.nsm`, bundleSha256: 'b'.repeat(64), modelKind: 'random_forest',
  metrics: { f1 }, snapshotSha256: 'd'.repeat(64), schemaHash: 's'.repeat(64),
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-registry-'));
  dbPath = join(dir, 'state.db');
  registry = openLocalRegistry(dbPath);
});
afterEach(() => {
  registry.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('local registry', () => {
  it('registers versions with their lineage, numbered from 1', async () => {
    const v1 = await registry.register(version('run-a', 0.9));
    const v2 = await registry.register(version('run-b', 0.95));
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(await registry.get(2)).toEqual(v2);
    expect(v2).toMatchObject({ runId: 'run-b', metrics: { f1: 0.95 }, snapshotSha256: 'd'.repeat(64) });
    expect((await registry.list()).map((v) => v.version)).toEqual([2, 1]);
    expect(await registry.get(3)).toBeUndefined();
  });

  it('moves aliases by compare-and-set and records the history', async () => {
    await registry.register(version('a', 0.9));
    await registry.register(version('b', 0.95));
    await registry.setAlias('champion', 1, null, 'first');
    await registry.setAlias('champion', 2, 1, 'better');
    await registry.setAlias('challenger', 1, null, 'shadow');
    expect((await registry.getAlias('champion'))?.version).toBe(2);
    expect((await registry.getAlias('challenger'))?.version).toBe(1);
    await expect(registry.setAlias('champion', 1, 1, 'stale')).rejects.toMatchObject({ code: 'ALIAS_CONFLICT', kind: 'conflict' });
    await expect(registry.setAlias('champion', 9, 2, 'missing')).rejects.toMatchObject({ code: 'MODEL_VERSION_NOT_FOUND' });
    await registry.setAlias('challenger', null, 1, 'cleared');
    expect(await registry.getAlias('challenger')).toBeUndefined();
    expect((await registry.history('champion')).map((h) => [h.from, h.to, h.reason])).toEqual([[1, 2, 'better'], [null, 1, 'first']]);
    expect((await registry.history('challenger')).map((h) => [h.from, h.to])).toEqual([[1, null], [null, 1]]);
  });

  it('lets only one of two connections win the same promotion', async () => {
    await registry.register(version('a', 0.9));
    await registry.register(version('b', 0.91));
    const other = openLocalRegistry(dbPath);
    try {
      const results = await Promise.allSettled([registry.setAlias('champion', 1, null, 'one'), other.setAlias('champion', 2, null, 'two')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(rejected?.reason).toMatchObject({ code: 'ALIAS_CONFLICT' });
      expect(await registry.history('champion')).toHaveLength(1);
    } finally {
      other.close();
    }
  });

  it('lets only one of two processes win the same promotion', async () => {
    await registry.register(version('a', 0.9));
    await registry.register(version('b', 0.91));
    const script = join(import.meta.dirname, 'testing', 'promote-once.ts');
    const startAt = String(Date.now() + 1500);
    const outcomes = await Promise.all(['1', '2'].map(async (v) => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', script, dbPath, v, 'none', startAt]);
      return JSON.parse(stdout) as { version: number; ok: boolean; code?: string };
    }));
    const winners = outcomes.filter((o) => o.ok);
    expect(winners).toHaveLength(1);
    expect(outcomes.find((o) => !o.ok)?.code).toBe('ALIAS_CONFLICT');
    expect((await registry.getAlias('champion'))?.version).toBe(winners[0]!.version);
    expect(await registry.history('champion')).toHaveLength(1);
  });
});
