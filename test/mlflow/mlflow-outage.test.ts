/**
 * MLflow stopped in the middle of a run (a private server, so the shared one stays up): the run goes
 * on and completes locally, is marked not sent with one warning, and after the server is back
 * `replayRun` sends what was missing; replaying twice duplicates nothing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/logger.js';
import { LOCAL_RUN_ID_TAG, createMlflowTracker, type MlflowTracker } from '../../src/adapters/mlflow/index.js';
import { openLocalTracker, type LocalTracker } from '../../src/adapters/tracking/index.js';
import { createTrackingSession, type TrackingSession } from '../../src/pipeline/tracking-hooks.js';
import { createPrivateMlflow, type PrivateMlflow } from './private-server.js';

const FOLDS = 5;
let server: PrivateMlflow;
let dir: string;
let local: LocalTracker;
let tracker: MlflowTracker;
const warnings: string[] = [];
const experimentName = `ns-outage-${randomUUID().slice(0, 8)}`;

async function trainCandidate(session: TrackingSession, name: string): Promise<string> {
  const c = await session.candidate(name, { max_depth: name.length });
  for (let fold = 0; fold < FOLDS; fold++) await c.logFold(fold, { f1: 0.9 + fold / 100 });
  await c.logTestMetrics({ f1: 0.93 });
  await c.logArtifact('metrics.json', `{"name":"${name}"}`);
  await c.finish('FINISHED');
  return c.runId!;
}

async function remoteRuns(): Promise<Map<string, string>> {
  const found = await tracker.client.searchRuns({ experiment_ids: [await tracker.experimentId()], max_results: 100 });
  return new Map((found.runs ?? []).map((r) => [r.data.tags!.find((t) => t.key === LOCAL_RUN_ID_TAG)!.value, r.info.run_id]));
}

beforeAll(async () => {
  server = await createPrivateMlflow();
  await server.start();
  dir = mkdtempSync(join(tmpdir(), 'ns-outage-'));
  local = openLocalTracker(join(dir, 'state.db'));
  const logger: Logger = { debug() {}, info() {}, error() {}, warn(msg) { warnings.push(msg); } };
  tracker = createMlflowTracker({ uri: server.uri, experimentName, local, logger, timeoutMs: 15_000 });
});

afterAll(async () => {
  local?.close();
  await server?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('MLflow outage during a run', () => {
  it('completes the run locally, marks it not sent, and replays it once the server is back', async () => {
    const session = await createTrackingSession(tracker, { runName: 'outage-run', params: { seed: 7, split: 'stratified' } });
    const before = await trainCandidate(session, 'random_forest');
    await tracker.flush();
    expect(local.remote.get(before)).toMatchObject({ state: 'sent', lastError: null });

    await server.stop();
    const after = await trainCandidate(session, 'gradient_boosting');
    await session.logMetrics({ champion_f1: 0.93 });
    await session.logArtifact('model/bundle.nsm', new Uint8Array([1, 2, 3, 4]));
    await session.finish('FINISHED');

    expect(session.failures).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`tracking replay ${session.runId}`);
    expect(local.remote.notSent()).toEqual([session.runId, after]);
    const localParent = (await local.getRun(session.runId!))!;
    expect(localParent).toMatchObject({ status: 'FINISHED', remoteState: 'not_sent', metrics: { champion_f1: 0.93 } });
    expect(localParent.children.map((c) => c.id)).toEqual([before, after]);

    await server.start();
    const report = await tracker.replayRun(session.runId!);
    expect(report).toMatchObject({ runId: session.runId, created: false, metrics: 1, artifacts: 1 });
    expect(report.children.map((c) => [c.runId, c.created])).toEqual([[before, false], [after, true]]);
    expect(local.remote.notSent()).toEqual([]);

    const check = async (): Promise<void> => {
      const runs = await remoteRuns();
      expect([...runs.keys()].sort()).toEqual([session.runId!, before, after].sort());
      for (const child of [before, after]) {
        const history = await tracker.client.getMetricHistory(runs.get(child)!, 'cv_f1');
        expect(history.metrics!.map((m) => m.step).sort()).toEqual([0, 1, 2, 3, 4]);
        const got = await tracker.client.getRun(runs.get(child)!);
        expect(got.run.info.status).toBe('FINISHED');
        expect(got.run.data.tags!.find((t) => t.key === 'mlflow.parentRunId')?.value).toBe(runs.get(session.runId!));
      }
      const parent = await tracker.client.getRun(runs.get(session.runId!)!);
      expect(parent.run.info.status).toBe('FINISHED');
      expect(Object.fromEntries(parent.run.data.params!.map((p) => [p.key, p.value]))).toEqual({ seed: '7', split: 'stratified' });
      expect((await tracker.client.getMetricHistory(runs.get(session.runId!)!, 'champion_f1')).metrics).toHaveLength(1);
      expect((await tracker.client.listArtifacts(runs.get(session.runId!)!, 'model')).files!.map((f) => f.path)).toEqual(['model/bundle.nsm']);
    };
    await check();

    const again = await tracker.replayRun(session.runId!);
    expect([again, ...again.children].map((r) => [r.created, r.params, r.metrics, r.artifacts])).toEqual([[false, 0, 0, 0], [false, 0, 0, 0], [false, 0, 0, 0]]);
    await check();
  }, 240_000);
});
