import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../core/logger.js';
import { openLocalRegistry, type LocalRegistry } from '../tracking/local-registry.js';
import { openLocalTracker } from '../tracking/local-tracker.js';
import type { LocalTracker } from '../tracking/types.js';
import { createMlflowRegistryMirror, type MirroredRegistry } from './registry-mirror.js';
import { startFakeMlflow, type FakeMlflow } from './testing/fake-mlflow.js';
import { createMlflowTracker, type MlflowTracker } from './tracker.js';

let dir: string;
let fake: FakeMlflow;
let local: LocalTracker;
let registry: LocalRegistry;
let tracker: MlflowTracker;
let mirror: MirroredRegistry;
let warnings: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ns-mirror-'));
  fake = await startFakeMlflow();
  local = openLocalTracker(join(dir, 'state.db'));
  registry = openLocalRegistry(join(dir, 'state.db'));
  warnings = [];
  const logger: Logger = { debug() {}, info() {}, error() {}, warn(msg) { warnings.push(msg); } };
  tracker = createMlflowTracker({ uri: fake.uri, experimentName: 'exp', local, logger, retries: 0 });
  mirror = createMlflowRegistryMirror(registry, tracker.client, { tracker, logger });
});
afterEach(async () => {
  local.close();
  registry.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const newVersion = (runId: string) => ({
  runId, bundleKey: 'k', bundleSha256: 'b', modelKind: 'random_forest', metrics: { f1: 0.9 }, snapshotSha256: 's', schemaHash: 'h',
});

describe('MLflow registry mirror', () => {
  it('registers the version against the run model folder and moves the alias with ours', async () => {
    const run = await tracker.startRun({ name: 'pipeline' });
    const v = await mirror.register(newVersion(run));
    await mirror.setAlias('champion', v.version, null, 'first');
    const model = fake.models.get('networksecurity')!;
    expect(model.versions).toEqual([{ source: `${tracker.remoteRun(run)!.artifactUri}/model`, runId: tracker.remoteRun(run)!.runId }]);
    expect(model.aliases).toEqual({ champion: '1' });
    await mirror.setAlias('champion', null, v.version, 'retired');
    expect(model.aliases).toEqual({});
  });

  it('keeps the local change when MLflow fails, warns, and resync repeats what is missing', async () => {
    const run = await tracker.startRun({ name: 'pipeline' });
    await tracker.flush();
    fake.status = 503;
    const v = await mirror.register(newVersion(run));
    await mirror.setAlias('champion', v.version, null, 'first');
    expect((await mirror.getAlias('champion'))?.version).toBe(v.version);
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(await registry.remoteVersion(v.version)).toBeUndefined();

    fake.status = undefined;
    expect(await mirror.resync()).toEqual({ versions: 1, aliases: 2 });
    expect(fake.models.get('networksecurity')!.aliases).toEqual({ champion: '1' });
    expect(await mirror.resync()).toEqual({ versions: 0, aliases: 2 });
    expect(fake.models.get('networksecurity')!.versions).toHaveLength(1);
  });

  it('does not mirror a promotion that lost the compare-and-set', async () => {
    const run = await tracker.startRun({ name: 'pipeline' });
    const v1 = await mirror.register(newVersion(run));
    const v2 = await mirror.register(newVersion(run));
    await mirror.setAlias('champion', v1.version, null, 'first');
    await expect(mirror.setAlias('champion', v2.version, null, 'stale')).rejects.toMatchObject({ code: 'ALIAS_CONFLICT' });
    expect(fake.models.get('networksecurity')!.aliases).toEqual({ champion: '1' });
  });
});
