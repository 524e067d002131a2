import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../core/logger.js';
import { openLocalTracker } from '../tracking/local-tracker.js';
import type { LocalTracker } from '../tracking/types.js';
import { startFakeMlflow, type FakeMlflow } from './testing/fake-mlflow.js';
import { LOCAL_RUN_ID_TAG, createMlflowTracker, type MlflowTracker } from './tracker.js';

let dir: string;
let fake: FakeMlflow;
let local: LocalTracker;
let tracker: MlflowTracker;
let warnings: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ns-mlflow-unit-'));
  fake = await startFakeMlflow();
  local = openLocalTracker(join(dir, 'state.db'));
  warnings = [];
  const logger: Logger = { debug() {}, info() {}, error() {}, warn(msg) { warnings.push(msg); } };
  tracker = createMlflowTracker({ uri: fake.uri, experimentName: 'exp', local, logger, retries: 1, backoffMs: 5 });
});
afterEach(async () => {
  local.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const batches = (key: 'metrics' | 'params' | 'tags'): number[] => fake.calls
  .filter((c) => c.path.endsWith('/runs/log-batch') && Array.isArray(c.json?.[key]))
  .map((c) => (c.json![key] as unknown[]).length);

describe('MLflow tracker (against an in-memory fake)', () => {
  it('coalesces metric sends in the background and waits for them at the end of the run', async () => {
    const run = await tracker.startRun({ name: 'async' });
    const before = fake.calls.length;
    await tracker.logMetrics(run, [{ key: 'a', value: 1 }]);
    await tracker.logMetrics(run, [{ key: 'a', value: 2, step: 1 }]);
    await tracker.endRun(run, 'FINISHED');
    expect(fake.calls.length).toBeGreaterThan(before);
    expect(batches('metrics')).toEqual([2]);
    expect(fake.runs.get(tracker.remoteRun(run)!.runId)!.status).toBe('FINISHED');
  });

  it('splits log-batch calls at the MLflow limits and sends non-finite values as strings', async () => {
    const run = await tracker.startRun({ name: 'big' });
    await tracker.logMetrics(run, Array.from({ length: 2500 }, (_, i) => ({ key: 'loss', value: i === 0 ? Number.NaN : 1 / i, step: i })));
    await tracker.logParams(run, Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, i])));
    await tracker.setTags(run, Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`t${i}`, 'v'])));
    await tracker.flush();
    expect(batches('metrics')).toEqual([1000, 1000, 500]);
    expect(batches('params')).toEqual([100, 50]);
    expect(batches('tags')).toEqual([100, 100, 50]);
    const first = fake.calls.find((c) => Array.isArray(c.json?.metrics))!.json!.metrics as { value: unknown }[];
    expect(first[0]!.value).toBe('NaN');
    expect(local.remote.get(run)).toMatchObject({ state: 'sent', metricsSentUpto: expect.any(Number) as number });
  });

  it('creates children with mlflow.parentRunId, millisecond start times and the local id tag', async () => {
    const parent = await tracker.startRun({ name: 'pipeline' });
    const child = await tracker.startRun({ name: 'candidate', parentRunId: parent, tags: { family: 'trees' } });
    await tracker.flush();
    const remoteParent = tracker.remoteRun(parent)!.runId;
    const remoteChild = fake.runs.get(tracker.remoteRun(child)!.runId)!;
    expect(remoteChild.tags).toMatchObject({ 'mlflow.parentRunId': remoteParent, [LOCAL_RUN_ID_TAG]: child, family: 'trees' });
    const create = fake.calls.find((c) => c.path.endsWith('/runs/create'))!;
    expect(create.json!.start_time).toBe((await local.getRun(parent))!.startTime);
    await tracker.endRun(child, 'FAILED');
    await tracker.flush();
    expect(remoteChild.status).toBe('FAILED');
  });

  it('keeps param changes out of MLflow: the local store refuses them first', async () => {
    const run = await tracker.startRun({ name: 'r' });
    await tracker.logParams(run, { depth: 3 });
    await expect(tracker.logParams(run, { depth: 4 })).rejects.toMatchObject({ code: 'PARAM_CHANGED' });
    await tracker.flush();
    expect(batches('params')).toEqual([1]);
  });

  it('goes on when MLflow fails, warns once, and replays only what is missing', async () => {
    const run = await tracker.startRun({ name: 'r' });
    await tracker.logParams(run, { a: 1 });
    await tracker.logMetrics(run, [{ key: 'm', value: 1, step: 0 }]);
    await tracker.flush();
    fake.status = 503;
    await tracker.logParams(run, { b: 2 });
    await tracker.logMetrics(run, [{ key: 'm', value: 2, step: 1 }]);
    const child = await tracker.startRun({ name: 'c', parentRunId: run });
    await tracker.logArtifact(run, 'report.json', '{}');
    await tracker.endRun(child, 'FINISHED');
    await tracker.endRun(run, 'FINISHED');
    await tracker.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`tracking replay ${run}`);
    expect(local.remote.notSent()).toEqual([run, child]);
    expect((await local.getRun(run))!.metrics).toEqual({ m: 2 });

    fake.status = undefined;
    fake.calls.length = 0;
    const report = await tracker.replayRun(child);
    expect(report).toMatchObject({ runId: run, created: false, params: 1, metrics: 1, artifacts: 1 });
    expect(report.children).toMatchObject([{ runId: child, created: true }]);
    expect(fake.calls.flatMap((c) => (c.json?.params ?? []) as { key: string }[]).map((p) => p.key)).toEqual(['b']);
    expect(fake.runs.get(tracker.remoteRun(run)!.runId)!.status).toBe('FINISHED');
    expect(local.remote.notSent()).toEqual([]);
    fake.calls.length = 0;
    const again = await tracker.replayRun(run);
    expect(again).toMatchObject({ params: 0, metrics: 0, artifacts: 0 });
    expect(fake.calls.some((c) => c.path.endsWith('/runs/create') || c.method === 'PUT')).toBe(false);
  });
});
