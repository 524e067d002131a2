/**
 * `etl --schedule` with REDIS_URL on three processes against the real Redis: the schedule is one
 * BullMQ job scheduler, so each tick is loaded exactly once (by one of the processes), counted over
 * several ticks; SIGTERM stops each process with exit 0.
 */
import { afterAll, expect, it } from 'vitest';
import { bundledCsv, tempHome } from '../cli/cli-helpers.js';
import { queueEnv, rawQueue, spawnCli, type Proc } from './helpers.js';

const env = queueEnv();
const home = tempHome('ns-schedule-');
const procs: Proc[] = [];

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  const q = rawQueue('etl', env);
  await q.obliterate({ force: true });
  await q.close();
});

it('three processes, one schedule: every tick loads once', async () => {
  for (let i = 0; i < 3; i++) procs.push(spawnCli(['etl', '--source', bundledCsv, '--schedule', '*/2 * * * * *'], home, env));
  await Promise.all(procs.map((p) => p.waitFor(/etl scheduled/, 60_000)));
  const starts = (): string[] => procs.flatMap((p) => [...p.output().matchAll(/job etl (\S+) started/g)].map((m) => m[1]!));
  // Several ticks (one every 2 s).
  await expect.poll(() => starts().length, { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(5);
  for (const p of procs) p.child.kill('SIGTERM');
  expect(await Promise.all(procs.map((p) => p.exited))).toEqual([0, 0, 0]);

  const ids = starts();
  expect(new Set(ids).size, procs.map((p) => p.output()).join('\n----\n')).toBe(ids.length);
  const ticks = ids.map((id) => Number(id.split(':').at(-1))).sort((a, b) => a - b);
  expect(ticks.every((t) => t % 2000 === 0)).toBe(true);
  const loads = procs.flatMap((p) => [...p.output().matchAll(/rows read, (\d+) inserted/g)].map((m) => Number(m[1])));
  // Every started job loaded once; the first load inserted the file, the later ones nothing.
  expect(loads.length).toBe(ids.length);
  expect(loads.filter((n) => n > 0)).toEqual([11055]);
}, 120_000);
