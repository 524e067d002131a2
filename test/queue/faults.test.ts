/**
 * Faults of the queue, against real servers:
 * - a job that always fails (an ETL load from an S3 endpoint that is down) is tried three times, then
 *   sits in the failed set with its reason — in `jobs list` and in GET /api/v1/jobs, the Jobs page's
 *   API — and the worker goes on serving the next job;
 * - Redis restarted in the middle of a batch (a redis-server of this test's own, on its own port, with a
 *   password; the shared one is never touched): the client says once that Redis cannot be reached (its
 *   URL without the password) and once that it is back, the workers and the client reconnect, the
 *   batch completes with the same output as the inline path, and no output exists before it is complete;
 * - Redis down for longer than `--redis-wait`: the client fails with REDIS_UNAVAILABLE (exit 1) and
 *   writes no output; the same command run again once Redis is back completes it.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultJobOptions } from '../../src/adapters/bullmq/index.js';
import { bundledCsv, freePort, runCli, tempHome } from '../cli/cli-helpers.js';
import { ownRedis, queueEnv, rawQueue, serveCli, spawnCli, type OwnRedis, type Proc } from './helpers.js';

const procs: Proc[] = [];
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

afterAll(() => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

interface Listed { id: string; state: string; attemptsMade: number; failedReason: string | null }

describe('a job that always fails', () => {
  const home = tempHome('ns-faults-');
  const env = queueEnv();

  afterAll(async () => {
    const q = rawQueue('etl', env);
    await q.obliterate({ force: true });
    await q.close();
  });

  it('ends in the failed set after its retries, with its reason in `jobs list` and the API; the worker keeps serving', async () => {
    const down = await freePort();
    const worker = spawnCli(['worker', '--port', '0', '--queues', 'etl'], home, {
      ...env, S3_ENDPOINT: `http://127.0.0.1:${down}`, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1',
    });
    procs.push(worker);
    await worker.waitFor(/health and metrics on/, 60_000);
    const base = await serveCli(home, env, procs);
    const q = rawQueue('etl', env);
    await q.add('etl', { source: 's3://ns-down/new.csv', mode: 'append', strict: false }, { ...defaultJobOptions, jobId: 'always-fails' });

    await worker.waitFor(/(job etl always-fails failed after[^]*){3}/, 120_000);
    expect(worker.output().match(/job etl always-fails started \(attempt \d\)/g)).toEqual(['attempt 1', 'attempt 2', 'attempt 3'].map((a) => `job etl always-fails started (${a})`));
    let failed: Listed[] = [];
    await expect.poll(async () => {
      const r = await runCli(['jobs', 'list', '--queue', 'etl', '--state', 'failed', '--json'], home, env);
      failed = (JSON.parse(r.stdout) as { jobs: Listed[] }).jobs;
      return failed.length;
    }, { timeout: 10_000 }).toBe(1);
    expect(failed[0]).toMatchObject({ id: 'always-fails', state: 'failed', attemptsMade: 3, failedReason: expect.stringMatching(/^S3_UNAVAILABLE: /) as unknown });
    const api = (await (await fetch(`${base}/api/v1/jobs`)).json()) as { backend: string; queues: { name: string; counts: Record<string, number>; jobs: Listed[] }[] };
    expect(api.backend).toMatch(/^BullMQ on redis:/);
    const etl = api.queues.find((x) => x.name === 'etl')!;
    expect(etl.counts['failed']).toBe(1);
    expect(etl.jobs).toContainEqual(expect.objectContaining({ id: 'always-fails', state: 'failed', attemptsMade: 3, failedReason: failed[0]!.failedReason }));

    // Still serving: a good load completes on the same worker.
    await q.add('etl', { source: bundledCsv, mode: 'append', strict: false }, { ...defaultJobOptions, jobId: 'good-load' });
    await worker.waitFor(/job etl good-load completed/, 120_000);
    await q.close();
    expect(worker.output()).toMatch(/11055 rows read, 11055 inserted/);
  }, 300_000);
});

describe('Redis restarted in the middle of a batch', () => {
  const home = tempHome('ns-redis-restart-');
  let redis: OwnRedis;
  let env: Record<string, string> = {};

  beforeAll(async () => {
    redis = await ownRedis(['--requirepass', 'pw-s3cret']);
    await redis.start();
    env = { ...queueEnv(), REDIS_URL: `redis://:pw-s3cret@127.0.0.1:${redis.port}` };
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    expect((await runCli(['train', '--preset', 'quick'], home)).code).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await redis.stop();
  });

  it('workers and client reconnect; the batch completes with the inline output; nothing before', async () => {
    const inline = join(home, 'inline.csv');
    expect((await runCli(['predict', '--input', bundledCsv, '--output', inline], home)).code).toBe(0);
    const workers = [0, 1].map(() => spawnCli(['worker', '--port', '0', '--queues', 'predict'], home, env));
    procs.push(...workers);
    await Promise.all(workers.map((w) => w.waitFor(/health and metrics on/, 60_000)));
    const out = join(home, 'queued.csv');
    const client = spawnCli(['predict', '--input', bundledCsv, '--output', out, '--queue', '--shard-rows', '250'], home, env);
    procs.push(client);
    await client.waitFor(/scored [3-9]\d* of/, 60_000);
    await redis.stop();
    await new Promise((d) => setTimeout(d, 1500));
    expect(existsSync(out)).toBe(false);
    expect(workers.map((w) => w.output()).join('\n')).toMatch(/worker predict: .*(ECONNREFUSED|Connection is closed)/);
    const masked = `redis://:***@127.0.0.1:${redis.port}`;
    await client.waitFor(/cannot be reached/, 10_000);
    await redis.start();
    expect(await client.exited, client.output()).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(inline, 'utf8'));
    expect(client.output()).toMatch(/scored 45 of 45 shards/);
    const said = client.output().split('\n').filter((l) => /^Redis /.test(l));
    expect(said).toEqual([
      expect.stringMatching(new RegExp(`^Redis ${escape(masked)} cannot be reached \\(.+\\); waiting up to 60 s for it$`)),
      `Redis ${masked} is reachable again; the batch goes on`,
    ]);
    expect(client.output()).not.toContain('pw-s3cret');
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
  }, 300_000);

  it('Redis down past --redis-wait: REDIS_UNAVAILABLE, exit 1, no output; run again once it is back, it completes', async () => {
    const inline = join(home, 'inline.csv');
    const workers = [0, 1].map(() => spawnCli(['worker', '--port', '0', '--queues', 'predict'], home, env));
    procs.push(...workers);
    await Promise.all(workers.map((w) => w.waitFor(/health and metrics on/, 60_000)));
    const out = join(home, 'bounded.csv');
    const args = ['predict', '--input', bundledCsv, '--output', out, '--queue', '--shard-rows', '200', '--redis-wait', '2'];
    const client = spawnCli(args, home, env);
    procs.push(client);
    await client.waitFor(/scored [3-9]\d* of/, 60_000);
    await redis.stop();
    const stoppedAt = Date.now();
    const code = await client.exited;
    expect(code, client.output()).toBe(1);
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    expect(client.output()).toMatch(/REDIS_UNAVAILABLE: Redis redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ could not be reached for 2 s, so the batch stopped before its output was written\. .*run the same command again/);
    expect(client.output()).not.toContain('pw-s3cret');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(home).filter((f) => f.startsWith('bounded.csv'))).toEqual([]);

    await redis.start();
    const again = spawnCli(args, home, env);
    procs.push(again);
    expect(await again.exited, again.output()).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(inline, 'utf8'));
    expect(again.output()).toMatch(/resumed: [1-9]\d* of \d+ shards/);
  }, 300_000);
});
