import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NsError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { MODEL_ARTIFACT_DIR as MIRROR_MODEL_DIR, PIPELINE_RUN_ID_TAG as MIRROR_TAG } from '../adapters/mlflow/registry-mirror.js';
import { openLocalRegistry, openLocalTracker, type LocalRegistry, type LocalTracker } from '../adapters/tracking/index.js';
import type { Tracker } from '../ports/tracker.js';
import { MODEL_ARTIFACT_DIR, PIPELINE_RUN_ID_TAG, createTrackingSession, promoteVersion, rollbackChampion } from './tracking-hooks.js';

let dir: string;
let tracker: LocalTracker;
let registry: LocalRegistry;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-hooks-'));
  tracker = openLocalTracker(join(dir, 'state.db'));
  registry = openLocalRegistry(join(dir, 'state.db'));
});
afterEach(() => {
  tracker.close();
  registry.close();
  rmSync(dir, { recursive: true, force: true });
});

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn(msg) { warnings.push(msg); } };
}

describe('tracking session', () => {
  it('continues the parent run it is given (the next call of the same pipeline run), or starts one when it is unknown', async () => {
    const first = await createTrackingSession(tracker, { runName: 'run-1', pipelineRunId: 'p-1', params: { seed: 42 } });
    await first.finish('FINISHED');
    const next = await createTrackingSession(tracker, { runName: 'run-1', pipelineRunId: 'p-1', params: { preset: 'quick' }, resumeRunId: first.runId! });
    expect(next.runId).toBe(first.runId);
    expect((await tracker.getRun(first.runId!))?.status).toBe('RUNNING');
    await next.logMetrics({ gate_accepted: 1 });
    await next.finish('FINISHED');
    const run = await tracker.getRun(first.runId!);
    expect(run).toMatchObject({ status: 'FINISHED', params: { seed: '42', preset: 'quick' }, metrics: { gate_accepted: 1 } });
    expect(await tracker.listRuns()).toHaveLength(1);
    const unknown = await createTrackingSession(tracker, { runName: 'run-2', resumeRunId: 'no-such-run' });
    expect(unknown.runId).toBeDefined();
    expect(unknown.runId).not.toBe('no-such-run');
  });

  it('logs a parent run and one child run per candidate with fold steps and test metrics', async () => {
    const session = await createTrackingSession(tracker, { runName: 'run-1', pipelineRunId: 'p-1', params: { seed: 42 }, tags: { stage: 'train' } });
    const rf = await session.candidate('random_forest', { n_estimators: 50 });
    for (let fold = 0; fold < 3; fold++) await rf.logFold(fold, { f1: 0.9 + fold / 100, precision: 0.8 });
    await rf.logTestMetrics({ f1: 0.93 });
    await rf.finish('FINISHED');
    await session.logMetrics({ champion_f1: 0.93 });
    await session.logArtifact(`${MODEL_ARTIFACT_DIR}/bundle.nsm`, new Uint8Array([1, 2, 3]));
    await session.finish('FINISHED');

    const parent = await tracker.getRun(session.runId!);
    expect(parent).toMatchObject({
      name: 'run-1', status: 'FINISHED', params: { seed: '42' }, metrics: { champion_f1: 0.93 },
      tags: { stage: 'train', [PIPELINE_RUN_ID_TAG]: 'p-1' }, artifacts: [{ path: 'model/bundle.nsm', size: 3 }],
    });
    expect(parent!.children).toHaveLength(1);
    const child = await tracker.getRun(rf.runId!);
    expect(child).toMatchObject({ name: 'random_forest', parentId: session.runId, status: 'FINISHED', params: { n_estimators: '50' } });
    expect(child!.metrics).toMatchObject({ cv_f1: 0.92, cv_precision: 0.8, test_f1: 0.93 });
    expect((await tracker.getMetricHistory(rf.runId!, 'cv_f1')).map((p) => p.step)).toEqual([0, 1, 2]);
    expect(session.failures).toBe(0);
  });

  it('never throws into the pipeline when the tracker fails, and warns once per kind of failure', async () => {
    const broken: Tracker = {
      describe: () => 'broken',
      startRun: () => Promise.resolve('r1'),
      logParams: () => Promise.reject(new NsError('PARAM_CHANGED', 'changed')),
      logMetrics: () => Promise.reject(new Error('disk full')),
      setTags: () => Promise.reject(new Error('disk full')),
      logArtifact: () => Promise.reject(new Error('disk full')),
      endRun: () => Promise.reject(new Error('disk full')),
    };
    const logger = recordingLogger();
    const session = await createTrackingSession(broken, { runName: 'r', params: { a: 1 }, logger });
    const c = await session.candidate('lr', { C: 1 });
    await c.logFold(0, { f1: 1 });
    await c.logTestMetrics({ f1: 1 });
    await session.logArtifact('a.txt', 'x');
    await session.finish('FAILED');
    expect(session.failures).toBe(6);
    expect(logger.warnings).toHaveLength(2);
    expect(logger.warnings[0]).toContain('PARAM_CHANGED');
  });

  it('sends to a server only for a tracker that says so (the MLflow model folder is written only then)', async () => {
    expect((await createTrackingSession(tracker, { runName: 'local' })).sendsToServer).toBe(false);
    expect((await createTrackingSession(undefined, { runName: 'off' })).sendsToServer).toBe(false);
    const server = Object.assign(Object.create(tracker) as LocalTracker, { sendsToServer: true });
    expect((await createTrackingSession(server, { runName: 'server' })).sendsToServer).toBe(true);
  });

  it('does nothing without a tracker (tracking off)', async () => {
    const session = await createTrackingSession(undefined, { runName: 'r', params: { a: 1 } });
    const c = await session.candidate('lr', { C: 1 });
    await c.logFold(0, { f1: 1 });
    await session.finish('FINISHED');
    expect(session.runId).toBeUndefined();
    expect(c.runId).toBeUndefined();
    expect(await tracker.listRuns()).toEqual([]);
  });

  it('uses the tag and artifact folder the MLflow registry mirror expects', () => {
    expect(PIPELINE_RUN_ID_TAG).toBe(MIRROR_TAG);
    expect(MODEL_ARTIFACT_DIR).toBe(MIRROR_MODEL_DIR);
  });
});

describe('promote and rollback', () => {
  const newVersion = (runId: string) => ({
    runId, bundleKey: `${runId}/b`, bundleSha256: 'x', modelKind: 'lr', metrics: {}, snapshotSha256: 'y', schemaHash: 'z',
  });

  it('rolls the champion back step by step, never toggling', async () => {
    for (const r of ['a', 'b', 'c']) await registry.register(newVersion(r));
    await promoteVersion(registry, 1, null, 'v1');
    await promoteVersion(registry, 2, 1, 'v2');
    await promoteVersion(registry, 3, 2, 'v3');
    expect(await rollbackChampion(registry)).toBe(2);
    expect(await rollbackChampion(registry)).toBe(1);
    expect((await registry.getAlias('champion'))?.version).toBe(1);
    await expect(rollbackChampion(registry)).rejects.toMatchObject({ code: 'NO_PREVIOUS_CHAMPION', kind: 'state' });
    await promoteVersion(registry, 3, 1, 'v3 again');
    expect(await rollbackChampion(registry, 'bad model')).toBe(1);
    expect((await registry.history('champion'))[0]).toMatchObject({ from: 3, to: 1, reason: 'rollback: bad model' });
  });

  it('fails clearly without a champion and on a stale promotion', async () => {
    await expect(rollbackChampion(registry)).rejects.toMatchObject({ code: 'NO_CHAMPION' });
    await registry.register(newVersion('a'));
    await registry.register(newVersion('b'));
    await promoteVersion(registry, 1, null, 'first');
    await expect(promoteVersion(registry, 2, null, 'saw no champion')).rejects.toMatchObject({ code: 'ALIAS_CONFLICT' });
  });
});
