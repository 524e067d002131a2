/**
 * Overhead of tracking on a run-like workload: one parent run, 6 candidates x 5 folds of 40 ms work,
 * fold and test metrics, params, per-candidate reports and a 256 KiB model artifact; timed with
 * tracking off, with the local SQLite store, and with MLflow (write-through, sends in the background).
 * The fold work is either `blocking` (a busy loop on the main thread, the worst case: background sends
 * cannot progress meanwhile) or `offThread` (the main thread waits, as when worker_threads train).
 * Prints JSON: median wall time per mode (of `--repeats`), the ratio to tracking off, and the
 * tracking-only cost (same calls without the work).
 *   node --import tsx scripts/mlflow-check/overhead.ts [--uri http://127.0.0.1:5000] [--repeats 3]
 * Without --uri the MLFLOW_TEST_URI environment variable is used; without either, MLflow is left out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createMlflowTracker } from '../../src/adapters/mlflow/index.js';
import { openLocalTracker } from '../../src/adapters/tracking/index.js';
import type { Tracker } from '../../src/ports/tracker.js';
import { createTrackingSession } from '../../src/pipeline/tracking-hooks.js';

const { values } = parseArgs({ options: { uri: { type: 'string' }, repeats: { type: 'string', default: '3' } } });
const uri = values.uri ?? process.env.MLFLOW_TEST_URI;
const repeats = Number(values.repeats);
const CANDIDATES = 6;
const FOLDS = 5;

type FoldWork = 'blocking' | 'offThread';

/** Work standing in for fitting one fold: a busy loop, or a wait as if a worker thread did it. */
async function fitFold(seed: number, workMs: number, kind: FoldWork): Promise<number> {
  if (workMs === 0) return seed;
  if (kind === 'offThread') {
    await new Promise((resolve) => setTimeout(resolve, workMs));
    return seed;
  }
  const end = performance.now() + workMs;
  let x = seed;
  while (performance.now() < end) for (let i = 0; i < 10_000; i++) x = (x * 1103515245 + 12345) % 2147483647;
  return x;
}

async function pipelineRun(tracker: Tracker | undefined, workMs: number, kind: FoldWork): Promise<void> {
  const session = await createTrackingSession(tracker, { runName: 'bench', params: { seed: 42, split: 'stratified', grid: JSON.stringify({ depth: [4, 8, 16] }) } });
  const model = new Uint8Array(256 * 1024).fill(7);
  for (let c = 0; c < CANDIDATES; c++) {
    const cand = await session.candidate(`model_${c}`, { depth: c + 2, lr: 0.1, n: 100 });
    for (let fold = 0; fold < FOLDS; fold++) {
      const x = await fitFold(c * 10 + fold, workMs, kind);
      await cand.logFold(fold, { f1: (x % 1000) / 1000, precision: 0.9, recall: 0.8, roc_auc: 0.95 });
    }
    await cand.logTestMetrics({ f1: 0.9, precision: 0.91, recall: 0.89, roc_auc: 0.96 });
    await cand.logArtifact('metrics.json', JSON.stringify({ c, folds: FOLDS }));
    await cand.finish('FINISHED');
  }
  await session.logMetrics({ champion_f1: 0.93, gate_accepted: 1 });
  await session.logArtifact('model/bundle.nsm', model);
  await session.logArtifact('reports/drift.json', JSON.stringify({ drift: false }));
  await session.finish('FINISHED');
}

async function timeMode(make: () => { tracker: Tracker | undefined; close: () => void }, workMs: number, kind: FoldWork): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const { tracker, close } = make();
    const t0 = performance.now();
    await pipelineRun(tracker, workMs, kind);
    times.push(performance.now() - t0);
    close();
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'ns-overhead-'));
let n = 0;
const modes: Record<string, () => { tracker: Tracker | undefined; close: () => void }> = {
  off: () => ({ tracker: undefined, close() {} }),
  local: () => {
    const local = openLocalTracker(join(dir, `local-${n++}.db`));
    return { tracker: local, close: () => local.close() };
  },
};
if (uri) {
  modes.mlflow = () => {
    const local = openLocalTracker(join(dir, `mlflow-${n++}.db`));
    return { tracker: createMlflowTracker({ uri, experimentName: 'ns-overhead', local }), close: () => local.close() };
  };
}
const result: Record<string, unknown> = { workload: { candidates: CANDIDATES, folds: FOLDS, foldWorkMs: 40, repeats }, peer: 'tracking off' };
for (const kind of ['blocking', 'offThread'] as const) {
  const run: Record<string, number> = {};
  for (const [name, make] of Object.entries(modes)) run[name] = Math.round(await timeMode(make, 40, kind));
  result[kind] = { runMs: run, ratioToOff: Object.fromEntries(Object.entries(run).map(([k, v]) => [k, Number((v / run.off!).toFixed(3))])) };
}
const trackingOnly: Record<string, number> = {};
for (const [name, make] of Object.entries(modes)) trackingOnly[name] = Math.round(await timeMode(make, 0, 'blocking'));
result.trackingOnlyMs = trackingOnly;
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
