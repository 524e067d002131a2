/**
 * Drift → retrain and the retraining schedule, against the real Redis: a load like the champion's
 * training data queues nothing; a scheduled load (two `etl --schedule` processes) whose data drifts
 * queues exactly one training run, which a worker trains and whose trigger reads "drift"; three
 * `train --schedule` processes run each tick of the retraining schedule exactly once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from '../cli/cli-helpers.js';
import { queueEnv, rawQueue, spawnCli, type Proc } from './helpers.js';

const home = tempHome('ns-retrain-');
const env = { ...queueEnv(), NS_TRAIN_PRESET: 'quick' };
const procs: Proc[] = [];
const file = (name: string): string => join(home, name);

interface RunRow { id: string; status: string; summary: { trigger?: string } }
async function runs(): Promise<RunRow[]> {
  const r = await runCli(['runs', '--json'], home);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { runs: RunRow[] }).runs;
}

async function stop(ps: Proc[]): Promise<void> {
  for (const p of ps) p.child.kill('SIGTERM');
  expect(await Promise.all(ps.map((p) => p.exited))).toEqual(ps.map(() => 0));
}

beforeAll(async () => {
  const [header, ...rows] = readFileSync(bundledCsv, 'utf8').split(/\r?\n/).filter(Boolean);
  const odd = rows.filter((_, i) => i % 2 === 1);
  writeFileSync(file('first.csv'), [header, ...rows.filter((_, i) => i % 2 === 0)].join('\n'));
  writeFileSync(file('second.csv'), [header, ...odd].join('\n'));
  // Two thirds of the features flipped (-1 ↔ 1): data the champion never saw.
  const flip = (row: string): string => row.split(',').map((c, j) => (j < 20 ? ({ '-1': '1', '1': '-1' }[c] ?? c) : c)).join(',');
  writeFileSync(file('drifted.csv'), [header, ...odd.slice(0, 3000).map(flip)].join('\n'));
  expect((await runCli(['etl', '--source', file('first.csv')], home)).code).toBe(0);
  const train = await runCli(['train', '--preset', 'quick'], home);
  expect(train.code, train.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const name of ['train', 'etl']) {
    const q = rawQueue(name, env);
    await q.obliterate({ force: true });
    await q.close();
  }
});

describe('drift → retrain', () => {
  it('a load like the training data: drift measured, no run queued', async () => {
    const r = await runCli(['etl', '--source', file('second.csv'), '--retrain-on-drift', '--json'], home, env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { inserted: number; drift: unknown };
    expect(out.inserted).toBeGreaterThan(0);
    expect(out.drift).toMatchObject({ datasetDrift: false, baselineVersion: 1, runId: null });
  }, 120_000);

  it('a scheduled load that drifts queues one training run with trigger "drift"; later ticks add nothing', async () => {
    const worker = spawnCli(['worker', '--port', '0', '--queues', 'train'], home, env);
    const loaders = [0, 1].map(() => spawnCli(['etl', '--schedule', '*/2 * * * * *', '--source', file('drifted.csv'), '--retrain-on-drift'], home, env));
    procs.push(worker, ...loaders);
    const [, runId] = await worker.waitFor(/job train (run-\S+) completed/, 180_000);
    const all = loaders.map((l) => l.output()).join('\n');
    expect(all.match(/data set drift in .* training run \S+ queued \(trigger drift\)/g)).toHaveLength(1);
    // Two more ticks: the rows are stored now, so nothing is loaded and nothing is queued.
    const ticks = (): number => loaders.map((l) => (l.output().match(/job etl \S+ completed/g) ?? []).length).reduce((a, b) => a + b, 0);
    const seen = ticks();
    const until = Date.now() + 30_000;
    while (ticks() < seen + 2 && Date.now() < until) await new Promise((d) => setTimeout(d, 200));
    expect(ticks()).toBeGreaterThanOrEqual(seen + 2);
    await stop([...loaders, worker]);
    const listed = await runCli(['jobs', 'list', '--queue', 'train', '--json'], home, env);
    expect((JSON.parse(listed.stdout) as { jobs: { id: string; state: string }[] }).jobs).toEqual([expect.objectContaining({ id: runId, state: 'completed' })]);
    const run = (await runs()).find((r) => r.id === runId);
    expect(run).toMatchObject({ status: 'succeeded', summary: { trigger: 'drift' } });
  }, 300_000);
});

describe('retraining schedule', () => {
  it('three processes: each tick trains exactly once, the runs\' trigger is "schedule"', async () => {
    const ps = [0, 1, 2].map(() => spawnCli(['train', '--schedule', '*/12 * * * * *', '--preset', 'quick'], home, env));
    procs.push(...ps);
    const completed = (): string[] => ps.flatMap((p) => [...p.output().matchAll(/job train (\S+) completed/g)].map((m) => m[1]!));
    const deadline = Date.now() + 200_000;
    while (completed().length < 2 && Date.now() < deadline) await new Promise((d) => setTimeout(d, 500));
    await stop(ps);
    const lines = (re: RegExp): string[] => ps.flatMap((p) => [...p.output().matchAll(re)].map((m) => m[1]!));
    const started = lines(/job train (\S+) started/g);
    // A tick that found the previous run still going waits for the lock and starts again later.
    const waited = lines(/job train (\S+) waits: /g);
    const done = completed();
    expect(done.length).toBeGreaterThanOrEqual(2);
    for (const id of new Set(started)) {
      expect(started.filter((s) => s === id).length - waited.filter((w) => w === id).length, `tick ${id} ran once`).toBe(1);
    }
    expect(new Set(done).size).toBe(done.length);
    const scheduled = (await runs()).filter((r) => r.summary.trigger === 'schedule');
    for (const id of done) expect(scheduled.map((r) => r.id)).toContain(`run-${id.replace(/[^\w.-]+/g, '-')}`);
  }, 300_000);
});
