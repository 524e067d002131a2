/**
 * Serving keeps answering while a run started from the API trains (issue 18, the load test's error
 * half; the latency half is `npm run bench -- load`): the real `serve` with a champion, a run started
 * through POST /api/v1/runs, and one-row predicts at 20 connections for 5 s while the run is still
 * running — every answer is a 200, with no errors or timeouts. Not timed. Then SIGTERM stops that
 * `serve` while the run still trains: the run is stopped (interrupted) rather than waited for, the
 * process exits 0 within the stop bound, and the run lock is free for the next run.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli, type Proc } from '../queue/helpers.js';
import { freePort } from '../services/env.js';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

const procs: Proc[] = [];
let shared: { home: string; server: Proc; base: string; runId: string } | undefined;
afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
});

const runStatus = async (base: string, runId: string): Promise<string> => ((await (await fetch(`${base}/api/v1/runs/${runId}`)).json()) as { status: string }).status;

describe('serve during a training run', () => {
  it('answers every predict with 200 while a run started from the API trains', async () => {
    const home = tempHome('ns-serve-run-');
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    expect((await runCli(['train', '--preset', 'quick'], home)).code).toBe(0);
    const port = await freePort();
    const server = spawnCli(['serve', '--port', String(port)], home, { NS_TRAIN_PRESET: 'default', NS_RATE_LIMIT_PER_MINUTE: '1000000' });
    procs.push(server);
    await server.waitFor(/is serving on/, 60_000);
    const base = `http://127.0.0.1:${port}`;

    const lines = readFileSync(bundledCsv, 'utf8').trim().split('\n');
    const names = lines[0]!.trim().split(',').slice(0, 30);
    const bodies = lines.slice(1, 2001).map((l) => { const v = l.trim().split(',').map(Number); return JSON.stringify({ row: Object.fromEntries(names.map((f, j) => [f, v[j]])) }); });
    let next = 0;

    const start = await fetch(`${base}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(start.status).toBe(202);
    const { runId } = (await start.json()) as { runId: string };
    expect(await runStatus(base, runId)).toBe('running');
    const r = await autocannon({
      url: `${base}/api/v1/predict`, method: 'POST', headers: { 'content-type': 'application/json' }, connections: 20, duration: 5,
      requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
    });
    expect(await runStatus(base, runId)).toBe('running'); // the run covered the whole window
    expect(r.requests.total).toBeGreaterThan(50);
    expect({ errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx }).toEqual({ errors: 0, timeouts: 0, non2xx: 0 });
    shared = { home, server, base, runId };
  }, 400_000);

  it('on SIGTERM stops the run in progress and exits, leaving the run interrupted and the lock free', async () => {
    const { home, server, base, runId } = shared!;
    expect(await runStatus(base, runId)).toBe('running');
    const t0 = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // The bound: STOP_GRACE_MS (5 s) for the run to stop, then the thread is terminated; plus closing.
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(server.output()).toMatch(new RegExp(`stopping run ${runId}`));
    console.info(`serve exited ${Date.now() - t0} ms after SIGTERM; ${/did not stop within/.test(server.output()) ? 'the training thread was terminated' : 'the run stopped at its abort check'}`);
    const { runs } = JSON.parse((await runCli(['runs', '--json'], home)).stdout) as { runs: { id: string; status: string; error: { code: string } | null; lastStage: string | null }[] };
    const run = runs.find((x) => x.id === runId)!;
    expect(run.status).toBe('interrupted');
    expect(run.error?.code).toBe('INTERRUPTED');
    // The lock is free: the next run (its first stage only) takes it.
    const next = await runCli(['train', '--stage', 'ingest', '--outs', `${home}/stages`], home);
    expect(next.stderr).not.toMatch(/RUN_IN_PROGRESS/);
    expect(next.code).toBe(0);
    // A run stopped where it was asked to (`--stage`) is `stopped`, not `interrupted` like the killed one.
    const after = JSON.parse((await runCli(['runs', '--json'], home)).stdout) as { runs: { id: string; status: string; lastStage: string | null }[] };
    expect(after.runs.map((x) => [x.status, x.lastStage])).toEqual([['stopped', 'ingest'], ['interrupted', run.lastStage], ['succeeded', 'push']]);
  }, 120_000);
});
