/**
 * The MLflow tracker and registry mirror against the real MLflow test server: a pipeline-like run with
 * parent and candidate child runs is read back through the REST search API and from Python
 * (mlflow.search_runs, MlflowClient.get_model_version_by_alias).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MlflowClient} from '../../src/adapters/mlflow/index.js';
import { createMlflowRegistryMirror, createMlflowTracker, metricValueFromWire, type MlflowTracker } from '../../src/adapters/mlflow/index.js';
import { openLocalRegistry, openLocalTracker, type LocalRegistry, type LocalTracker } from '../../src/adapters/tracking/index.js';
import { createTrackingSession, promoteVersion, rollbackChampion } from '../../src/pipeline/tracking-hooks.js';
import { mlflowTestPython, mlflowTestUri, repoRoot } from './env.js';

const exec = promisify(execFile);
const experimentName = `ns-test-${randomUUID().slice(0, 8)}`;
const FOLDS = 5;
let dir: string;
let uri: string;
let local: LocalTracker;
let tracker: MlflowTracker;
let client: MlflowClient;
let parentId: string;
let candidates: string[];

async function python<T>(...args: string[]): Promise<T> {
  const { stdout } = await exec(mlflowTestPython(), [join(repoRoot, 'scripts', 'mlflow-check', 'check.py'), ...args], {
    env: { ...process.env, MLFLOW_TRACKING_URI: uri }, timeout: 90_000,
  });
  return JSON.parse(stdout) as T;
}

beforeAll(async () => {
  uri = mlflowTestUri();
  dir = mkdtempSync(join(tmpdir(), 'ns-mlflow-it-'));
  local = openLocalTracker(join(dir, 'state.db'));
  tracker = createMlflowTracker({ uri, experimentName, local });
  client = tracker.client;

  const session = await createTrackingSession(tracker, {
    runName: 'pipeline-run', pipelineRunId: 'p-it-1',
    params: { snapshot_sha256: 'ab'.repeat(32), split: 'stratified', seed: 42 }, tags: { trigger: 'test' },
  });
  candidates = [];
  for (const [name, depth] of [['random_forest', 8], ['logistic_regression', 0]] as const) {
    const c = await session.candidate(name, { max_depth: depth });
    for (let fold = 0; fold < FOLDS; fold++) await c.logFold(fold, { f1: 0.9 + fold / 100, precision: 0.8 });
    await c.logTestMetrics({ f1: depth > 0 ? 0.95 : 0.91, log_loss: Number.NaN });
    await c.logArtifact('metrics.json', JSON.stringify({ name }));
    await c.finish('FINISHED');
    candidates.push(c.runId!);
  }
  await session.logMetrics({ champion_f1: 0.95, gate_accepted: 1 });
  await session.logArtifact('model/bundle.nsm', new Uint8Array([7, 8, 9]));
  await session.logArtifact('reports/drift.json', '{"drift":false}');
  await session.finish('FINISHED');
  parentId = session.runId!;
  expect(session.failures).toBe(0);
});

afterAll(() => {
  local?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('MLflow tracking against a real server', () => {
  it('shows the parent and child runs with params, fold steps, metrics and artifacts in the REST API', async () => {
    const experimentId = await tracker.experimentId();
    const found = await client.searchRuns({ experiment_ids: [experimentId], max_results: 100 });
    expect(found.runs).toHaveLength(3);
    const parent = tracker.remoteRun(parentId)!;
    const byId = new Map(found.runs!.map((r) => [r.info.run_id, r]));
    const remoteParent = byId.get(parent.runId)!;
    expect(remoteParent.info.status).toBe('FINISHED');
    expect(Object.fromEntries(remoteParent.data.params!.map((p) => [p.key, p.value]))).toEqual({ snapshot_sha256: 'ab'.repeat(32), split: 'stratified', seed: '42' });
    expect(Object.fromEntries(remoteParent.data.metrics!.map((m) => [m.key, m.value]))).toEqual({ champion_f1: 0.95, gate_accepted: 1 });
    expect(Object.fromEntries(remoteParent.data.tags!.map((t) => [t.key, t.value]))).toMatchObject({ trigger: 'test', 'networksecurity.pipeline_run_id': 'p-it-1' });

    for (const childLocal of candidates) {
      const child = byId.get(tracker.remoteRun(childLocal)!.runId)!;
      expect(child.data.tags!.find((t) => t.key === 'mlflow.parentRunId')?.value).toBe(parent.runId);
      expect(child.info.start_time).toBe((await local.getRun(childLocal))!.startTime);
      const history = await client.getMetricHistory(child.info.run_id, 'cv_f1');
      expect(history.metrics!.map((m) => m.step).sort()).toEqual([0, 1, 2, 3, 4]);
      const logLoss = child.data.metrics!.find((m) => m.key === 'test_log_loss')!;
      expect(Number.isNaN(metricValueFromWire(logLoss.value))).toBe(true);
      expect((await client.listArtifacts(child.info.run_id)).files!.map((f) => f.path)).toEqual(['metrics.json']);
    }
    const files = await client.listArtifacts(parent.runId, 'model');
    expect(files.files!.map((f) => [f.path, f.file_size])).toEqual([['model/bundle.nsm', 3]]);
    expect([...await client.downloadArtifact(parent.artifactUri, 'model/bundle.nsm')]).toEqual([7, 8, 9]);
    expect(local.remote.notSent()).toEqual([]);
  });

  it('is found from Python with mlflow.search_runs', async () => {
    const runs = await python<{ run_id: string; name: string; parent: string | null; local_run_id: string; status: string; metrics: Record<string, number>; params: Record<string, string> }[]>(
      'runs', '--experiment', experimentName);
    expect(runs).toHaveLength(3);
    const parent = runs.find((r) => r.local_run_id === parentId)!;
    expect(parent).toMatchObject({ name: 'pipeline-run', status: 'FINISHED', metrics: { champion_f1: 0.95 }, params: { seed: '42' } });
    const children = runs.filter((r) => r.parent === parent.run_id);
    expect(children.map((c) => c.name).sort()).toEqual(['logistic_regression', 'random_forest']);
    expect(children.find((c) => c.name === 'random_forest')!.metrics).toMatchObject({ test_f1: 0.95, cv_f1: 0.9 + (FOLDS - 1) / 100 });
  });

  it('restores a deleted experiment instead of failing', async () => {
    const experimentId = await tracker.experimentId();
    await client.deleteExperiment(experimentId);
    const again = createMlflowTracker({ uri, experimentName, local });
    expect(await again.experimentId()).toBe(experimentId);
    expect((await client.getExperimentByName(experimentName)).experiment.lifecycle_stage).toBe('active');
  });
});

describe('registry mirrored to MLflow', () => {
  let registry: LocalRegistry;
  beforeAll(() => { registry = openLocalRegistry(join(dir, 'state.db')); });
  afterAll(() => registry.close());

  const newVersion = (f1: number) => ({
    runId: 'p-it-1', bundleKey: 'p-it-1/model/bundle.nsm', bundleSha256: 'c'.repeat(64), modelKind: 'random_forest',
    metrics: { f1 }, snapshotSha256: 'ab'.repeat(32), schemaHash: 'd'.repeat(64),
  });

  it('registers versions, moves champion with ours, rolls back, and resolves from Python', async () => {
    const mirror = createMlflowRegistryMirror(registry, client, { tracker });
    const v1 = await mirror.register(newVersion(0.93));
    const v2 = await mirror.register(newVersion(0.95));
    const remote1 = (await registry.remoteVersion(v1.version))!;
    const remote2 = (await registry.remoteVersion(v2.version))!;
    expect(remote1.name).toBe('networksecurity');
    await promoteVersion(mirror, v1.version, null, 'first');
    await promoteVersion(mirror, v2.version, v1.version, 'better f1');
    const champion = (await client.getModelVersionByAlias('networksecurity', 'champion')).model_version;
    expect(champion.version).toBe(remote2.version);
    expect(champion.run_id).toBe(tracker.remoteRun(parentId)!.runId);
    expect(champion.source).toBe(`${tracker.remoteRun(parentId)!.artifactUri}/model`);

    const fromPython = await python<{ version: string; run_id: string; tags: Record<string, string> }>('alias', '--model', 'networksecurity', '--alias', 'champion');
    expect(fromPython).toMatchObject({ version: remote2.version, run_id: champion.run_id, tags: { 'networksecurity.version': String(v2.version) } });

    expect(await rollbackChampion(mirror, 'regression found')).toBe(v1.version);
    expect((await client.getModelVersionByAlias('networksecurity', 'champion')).model_version.version).toBe(remote1.version);
  });

  it('lets one of two concurrent promotions win, locally and in MLflow', async () => {
    const other = openLocalRegistry(join(dir, 'state.db'));
    try {
      const a = createMlflowRegistryMirror(registry, client, { tracker });
      const b = createMlflowRegistryMirror(other, client, { tracker });
      const v3 = await a.register(newVersion(0.96));
      const v4 = await a.register(newVersion(0.97));
      const expected = (await a.getAlias('champion'))!.version;
      const results = await Promise.allSettled([promoteVersion(a, v3.version, expected, 'a'), promoteVersion(b, v4.version, expected, 'b')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'ALIAS_CONFLICT', kind: 'conflict' } });
      const winner = (await registry.getAlias('champion'))!.version;
      expect([v3.version, v4.version]).toContain(winner);
      expect((await client.getModelVersionByAlias('networksecurity', 'champion')).model_version.version).toBe((await registry.remoteVersion(winner))!.version);
    } finally {
      other.close();
    }
  });
});
