/**
 * Runs started from the API, embedded and queued. Embedded (no REDIS_URL): the run trains in a thread
 * of the server and its events reach the SSE stream. With REDIS_URL: two `serve` replicas and one
 * worker on one NS_HOME — a run started on replica A is trained by the worker and its stage events
 * reach A's SSE stream; a champion moved by `models promote` reaches both replicas through the Redis
 * channel (their alias poll is set to 10 minutes, so only the channel can do it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from '../cli/cli-helpers.js';
import { queueEnv, rawQueue, serveCli, spawnCli, type Proc } from './helpers.js';

const procs: Proc[] = [];

const serve = (home: string, env: Record<string, string>): Promise<string> => serveCli(home, env, procs);

/** Starts a run through the API and reads its event stream to the end; returns the event types. */
async function runThroughApi(base: string): Promise<{ runId: string; events: string[] }> {
  const start = await fetch(`${base}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(start.status).toBe(202);
  const { runId } = (await start.json()) as { runId: string };
  const sse = await (await fetch(`${base}/api/v1/runs/${runId}/events`)).text();
  return { runId, events: [...sse.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]!) };
}

async function servedVersion(base: string): Promise<number | null> {
  const r = await fetch(`${base}/api/v1/model`);
  return r.status === 200 ? ((await r.json()) as { version: number }).version : null;
}

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
});

describe('runs started from the API', () => {
  it('embedded: the run trains in a thread of the server and its events reach the SSE stream', async () => {
    const home = tempHome('ns-serve-');
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    const base = await serve(home, {});
    const { runId, events } = await runThroughApi(base);
    expect(events).toContain('stage_started');
    expect(events.at(-1)).toBe('run_finished');
    const run = (await (await fetch(`${base}/api/v1/runs/${runId}`)).json()) as { status: string };
    expect(run.status).toBe('succeeded');
    await expect.poll(() => servedVersion(base), { timeout: 10_000 }).toBe(1);
  }, 300_000);

  it('REDIS_URL: a worker trains the run, the SSE stream of the replica that started it shows it, and a promote reaches every replica', async () => {
    const home = tempHome('ns-serve-redis-');
    const env = { ...queueEnv(), NS_MODEL_POLL_MS: '600000' };
    try {
      expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
      const worker = spawnCli(['worker', '--port', '0'], home, env);
      procs.push(worker);
      await worker.waitFor(/worker serving/, 60_000);
      const [a, b] = [await serve(home, env), await serve(home, env)];

      const { runId, events } = await runThroughApi(a);
      expect(events).toEqual(expect.arrayContaining(['stage_started', 'stage_finished']));
      expect(events.at(-1)).toBe('run_finished');
      // The stream ends when the run's last event is published, which can come before the worker logs the job done.
      await worker.waitFor(new RegExp(`job train ${runId} completed`), 30_000);
      // Replica A swaps at its run's end; B hears the push's alias move on the channel.
      await expect.poll(() => servedVersion(a), { timeout: 10_000 }).toBe(1);
      await expect.poll(() => servedVersion(b), { timeout: 10_000 }).toBe(1);

      const second = await runCli(['train', '--queue', '--json', '--preset', 'quick', '--tolerance', '1', '--full', '--seed', '7'], home, env);
      expect(second.code, second.stderr).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ champion: 2 });
      await expect.poll(() => servedVersion(b), { timeout: 10_000 }).toBe(2);

      const promote = await runCli(['models', 'promote', '1'], home, env);
      expect(promote.code, promote.stderr).toBe(0);
      await expect.poll(() => Promise.all([servedVersion(a), servedVersion(b)]), { timeout: 10_000, interval: 50 }).toEqual([1, 1]);
    } finally {
      const q = rawQueue('train', env);
      await q.obliterate({ force: true });
      await q.close();
    }
  }, 400_000);
});
