/**
 * Workers against the real Redis (REDIS_TEST_URL) with three worker processes: a queued training run
 * whose worker is SIGKILLed mid-run is taken over by another worker and resumed (one model version,
 * not two); a job with bad input ends in the failed set with its reason, visible in `jobs list`, and
 * the workers keep serving; a worker's /healthz and /metrics; SIGTERM stops a worker cleanly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from '../cli/cli-helpers.js';
import { killRunOwner, queueEnv, rawQueue, spawnCli, type Proc } from './helpers.js';

const home = tempHome('ns-queue-');
const env = queueEnv();
const workers: Proc[] = [];

beforeAll(async () => {
  const etl = await runCli(['etl', '--source', bundledCsv], home);
  expect(etl.code, etl.stderr).toBe(0);
  for (let i = 0; i < 3; i++) workers.push(spawnCli(['worker', '--port', '0', '--concurrency', '1'], home, env));
  await Promise.all(workers.map((w) => w.waitFor(/health and metrics on (http:[^\s;]+)/, 60_000)));
}, 120_000);

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  const q = rawQueue('train', env);
  await q.obliterate({ force: true });
  await q.close();
});

describe('training runs on queue workers', () => {
  it('a worker SIGKILLed mid-run: another worker resumes the run; one model version', async () => {
    const client = spawnCli(['train', '--queue', '--json', '--preset', 'quick'], home, env);
    const { runId, owner } = await killRunOwner(client, workers);

    expect(await client.exited, client.output()).toBe(0);
    const summary = JSON.parse(client.output().slice(client.output().indexOf('{'))) as { runId: string; champion: number | null; resumedFrom: string | null };
    expect(summary.runId).toBe(runId);
    expect(summary.champion).toBe(1);
    expect(summary.resumedFrom).toBe('train');
    const others = workers.filter((w) => w !== owner);
    expect(others.filter((w) => w.output().includes(`job train ${runId} completed`))).toHaveLength(1);

    const models = await runCli(['models', 'list', '--json'], home);
    const list = JSON.parse(models.stdout) as { champion: number; versions: { version: number; runId: string }[] };
    expect(list.versions.map((v) => v.runId)).toEqual([runId]);
    expect(list.champion).toBe(1);
    const runs = await runCli(['runs', '--json'], home);
    const listed = (JSON.parse(runs.stdout) as { runs: { id: string; status: string }[] }).runs;
    expect(listed.map((r) => [r.id, r.status])).toEqual([[runId, 'succeeded']]);
  }, 300_000);

  it('a job with bad input ends in the failed set with its reason; the workers keep serving', async () => {
    const q = rawQueue('train', env);
    await q.add('train', { runId: 'bad run id!', options: {}, trigger: 'test' }, { jobId: 'bad-job', attempts: 3 });
    await q.close();
    const deadline = Date.now() + 60_000;
    let failed: { id: string; state: string; failedReason: string | null }[] = [];
    while (Date.now() < deadline) {
      const r = await runCli(['jobs', 'list', '--queue', 'train', '--state', 'failed', '--json'], home, env);
      expect(r.code, r.stderr).toBe(0);
      failed = (JSON.parse(r.stdout) as { jobs: typeof failed }).jobs;
      if (failed.length > 0) break;
      await new Promise((d) => setTimeout(d, 500));
    }
    expect(failed).toEqual([expect.objectContaining({ id: 'bad-job', state: 'failed', failedReason: expect.stringMatching(/^JOB_INPUT_INVALID: /) as unknown })]);
    const text = await runCli(['jobs', 'list'], home, env);
    expect(text.stdout).toMatch(/train\s+bad-job\s+failed\s+1\s+.*JOB_INPUT_INVALID/);

    // Still serving: the next run completes (and is refused nothing: the gate decides).
    const next = await runCli(['train', '--queue', '--json', '--preset', 'quick'], home, env);
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ status: 'succeeded' });

    const removed = await runCli(['jobs', 'remove', 'train', 'bad-job'], home, env);
    expect(removed.code, removed.stderr).toBe(0);
    const after = await runCli(['jobs', 'list', '--queue', 'train', '--state', 'failed', '--json'], home, env);
    expect((JSON.parse(after.stdout) as { jobs: unknown[] }).jobs).toEqual([]);
  }, 300_000);

  it('a worker reports /healthz and per-queue Prometheus metrics, and SIGTERM stops it with exit 0', async () => {
    const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    const completed = await Promise.all(live.map(async (w) => {
      const base = w.output().match(/health and metrics on (http:[^\s;]+)/)![1]!;
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', queues: { train: expect.any(Object) as unknown } });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^ns_worker_jobs_active\{queue="train"\} 0$/m);
      return Number(metrics.match(/^ns_worker_jobs_completed_total\{queue="train"\} (\d+)$/m)![1]);
    }));
    // Two queued runs completed in this file, on the surviving workers.
    expect(completed.reduce((a, b) => a + b, 0)).toBe(2);
    const w = live[0]!;
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(w.output()).toMatch(/SIGTERM: stopping[\s\S]*worker stopped/);
  }, 60_000);
});

describe('stopping a worker mid-run', () => {
  it('SIGTERM during a run: the run stops at a stage boundary, goes back to the queue, and another worker finishes it', async () => {
    const remaining = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    expect(remaining).toHaveLength(1);
    const spare = spawnCli(['worker', '--port', '0'], home, env);
    workers.push(spare);
    await spare.waitFor(/worker serving/, 60_000);
    const pair = [remaining[0]!, spare];
    const client = spawnCli(['train', '--queue', '--json', '--preset', 'quick', '--full'], home, env);
    const [, runId] = await client.waitFor(/run (run-\S+) queued/);
    await client.waitFor(/▶ ingest/);
    const owner = pair.find((w) => w.output().includes(`job train ${runId} started`))!;
    const next = pair.find((w) => w !== owner)!;
    owner.child.kill('SIGTERM');
    expect(await owner.exited).toBe(0);
    expect(owner.output()).toContain(`job train ${runId} handed back to the queue (worker stopping)`);

    expect(await client.exited, client.output()).toBe(0);
    const summary = JSON.parse(client.output().slice(client.output().indexOf('{'))) as { runId: string; status: string; resumedFrom: string | null };
    expect(summary).toMatchObject({ runId, status: 'succeeded' });
    expect(summary.resumedFrom).not.toBeNull();
    expect(next.output()).toContain(`job train ${runId} completed`);
  }, 300_000);
});
