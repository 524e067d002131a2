import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NsError } from '../../core/errors.js';
import { openLocalRegistry } from './local-registry.js';
import { openLocalTracker } from './local-tracker.js';
import type { LocalTracker } from './types.js';

let dir: string;
let dbPath: string;
let tracker: LocalTracker;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-tracking-'));
  dbPath = join(dir, 'state', 'state.db');
  tracker = openLocalTracker(dbPath);
});
afterEach(() => {
  tracker.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('local tracker', () => {
  it('stores a parent run with children, params, metrics, tags and artifacts', async () => {
    const parent = await tracker.startRun({ name: 'pipeline', tags: { source: 'test' } });
    const child = await tracker.startRun({ name: 'random_forest', parentRunId: parent });
    await tracker.logParams(parent, { seed: 42, strategy: 'stratified', shuffle: true });
    await tracker.logParams(child, { n_estimators: 100 });
    await tracker.logMetrics(child, [0, 1, 2].map((fold) => ({ key: 'cv_f1', value: 0.9 + fold / 100, step: fold })));
    await tracker.logMetrics(child, [{ key: 'test_f1', value: 0.95 }]);
    await tracker.setTags(parent, { source: 'rerun', gate: 'accepted' });
    await tracker.logArtifact(parent, 'reports/drift.json', '{"ok":true}');
    await tracker.endRun(child, 'FINISHED');

    const run = await tracker.getRun(parent);
    expect(run).toMatchObject({
      id: parent, parentId: null, name: 'pipeline', status: 'RUNNING', endTime: null,
      params: { seed: '42', strategy: 'stratified', shuffle: 'true' },
      tags: { source: 'rerun', gate: 'accepted' },
      artifacts: [{ path: 'reports/drift.json', size: 11 }],
    });
    expect(run!.children.map((c) => [c.id, c.name, c.status])).toEqual([[child, 'random_forest', 'FINISHED']]);
    const childRun = await tracker.getRun(child);
    expect(childRun!.metrics).toEqual({ cv_f1: 0.92, test_f1: 0.95 });
    expect(childRun!.endTime).toBeGreaterThanOrEqual(childRun!.startTime);
    expect((await tracker.getMetricHistory(child, 'cv_f1')).map((p) => [p.step, p.value])).toEqual([[0, 0.9], [1, 0.91], [2, 0.92]]);
    expect(new TextDecoder().decode(await tracker.getArtifact(parent, 'reports/drift.json'))).toBe('{"ok":true}');
  });

  it('refuses to change a param once set, but accepts the same value again', async () => {
    const run = await tracker.startRun({ name: 'r' });
    await tracker.logParams(run, { max_depth: 5 });
    await tracker.logParams(run, { max_depth: '5' });
    const err = await tracker.logParams(run, { max_depth: 6, other: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NsError);
    expect(err).toMatchObject({ code: 'PARAM_CHANGED', kind: 'conflict' });
    expect((await tracker.getRun(run))!.params).toEqual({ max_depth: '5' });
  });

  it('keeps NaN and infinities', async () => {
    const run = await tracker.startRun({ name: 'r' });
    await tracker.logMetrics(run, [{ key: 'a', value: Number.NaN }, { key: 'b', value: Infinity }, { key: 'c', value: -Infinity }]);
    expect((await tracker.getRun(run))!.metrics).toEqual({ a: Number.NaN, b: Infinity, c: -Infinity });
  });

  it('lists top-level runs newest first and children oldest first', async () => {
    const a = await tracker.startRun({ name: 'a' });
    const b = await tracker.startRun({ name: 'b' });
    const b1 = await tracker.startRun({ name: 'b1', parentRunId: b });
    const b2 = await tracker.startRun({ name: 'b2', parentRunId: b });
    expect((await tracker.listRuns()).map((r) => r.id)).toEqual([b, a]);
    expect((await tracker.listRuns({ limit: 1, offset: 1 })).map((r) => r.id)).toEqual([a]);
    expect((await tracker.listRuns({ parentId: b })).map((r) => r.id)).toEqual([b1, b2]);
  });

  it('fails with typed errors on unknown runs and bad artifact paths', async () => {
    await expect(tracker.logMetrics('nope', [{ key: 'a', value: 1 }])).rejects.toMatchObject({ code: 'RUN_NOT_FOUND', kind: 'not_found' });
    await expect(tracker.startRun({ name: 'x', parentRunId: 'nope' })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    const run = await tracker.startRun({ name: 'r' });
    await expect(tracker.logArtifact(run, '../escape.txt', 'x')).rejects.toMatchObject({ code: 'ARTIFACT_PATH_INVALID' });
    await expect(tracker.getArtifact(run, 'missing.txt')).rejects.toMatchObject({ code: 'ARTIFACT_NOT_FOUND' });
    expect(await tracker.getRun('nope')).toBeUndefined();
  });

  it('persists across reopen and shares the file with other tables', async () => {
    const run = await tracker.startRun({ name: 'persisted' });
    await tracker.logMetrics(run, [{ key: 'f1', value: 0.5 }]);
    tracker.close();
    openLocalRegistry(dbPath).close();
    tracker = openLocalTracker(dbPath);
    expect((await tracker.getRun(run))!.metrics).toEqual({ f1: 0.5 });
    const raw = new Database(dbPath, { readonly: true });
    const tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    expect(tables.length).toBeGreaterThan(5);
    expect(tables.every((t) => t.startsWith('tracking_') || t.startsWith('registry_'))).toBe(true);
  });

  it('keeps remote bookkeeping per run', async () => {
    const run = await tracker.startRun({ name: 'r' });
    tracker.remote.update(run, { remoteRunId: 'abc', artifactUri: 'mlflow-artifacts:/1/abc/artifacts' });
    tracker.remote.markSent(run, 'param', ['a', 'b']);
    tracker.remote.markUnsent(run, 'param', ['a']);
    expect(tracker.remote.sentKeys(run, 'param')).toEqual(new Set(['b']));
    expect(tracker.remote.notSent()).toEqual([]);
    tracker.remote.update(run, { state: 'not_sent', lastError: 'down' });
    expect(tracker.remote.notSent()).toEqual([run]);
    expect((await tracker.listRuns())[0]!.remoteState).toBe('not_sent');
    const ids = tracker.logMetricsWithIds(run, [{ key: 'a', value: 1 }, { key: 'a', value: 2, step: 1 }])!;
    expect(ids.lastId - ids.firstId).toBe(1);
    expect(tracker.metricsAfter(run, ids.firstId, 10).map((m) => m.value)).toEqual([2]);
  });
});
