import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registryContract } from '../../ports/state-contract.test-helpers.js';
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

registryContract('SQLite state file', (() => {
  const opened: LocalRegistry[] = [];
  let path = '';
  const open = (p: string): Promise<LocalRegistry> => {
    const r = openLocalRegistry(p);
    opened.push(r);
    return Promise.resolve(r);
  };
  return {
    open: () => open(path = join(mkdtempSync(join(tmpdir(), 'ns-registry-')), 'state.db')),
    second: () => open(path),
    closeAll: () => {
      for (const r of opened.splice(0)) r.close();
      return Promise.resolve();
    },
  };
})());

describe('local registry', () => {
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
