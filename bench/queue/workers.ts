/**
 * The queue rows (`npm run -s bench -- queue`), against a real Redis (REDIS_URL, else
 * REDIS_TEST_URL), each under a key prefix of its own:
 * - batch scoring of a large CSV (2,000,000 rows; 200,000 with --quick): `predict --queue` with two
 *   `worker` processes vs the inline `predict`, rows/s and their ratio; per shard, the time its job
 *   spent outside scoring (reading the shard from the store, putting its output in place — the
 *   output is written while it is scored, as the inline path writes it — and its summary, BullMQ's
 *   own) as a share of its scoring time (target ≤ 5%), and one worker's scoring throughput (rows/s
 *   per shard), which is what adds up on more machines — on a 2-core box two workers share the cores
 *   with the client and Redis;
 * - the round trip of an empty job through our BullMQ adapter (enqueue → worker → result), p50 / p99;
 * - three `etl --schedule` processes for ten ticks: loads counted per tick (target: exactly one each).
 * `--only batch` runs the batch-scoring row alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { BullJobQueue, startWorkers } from '../../src/adapters/bullmq/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { runChild } from '../child.js';
import { loadBundled, scaledRows } from '../scale/data.js';
import { writeCsv } from '../scale/predict-cli.js';
import type { BenchOptions } from '../types.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? NaN;
const r2 = (x: number): number => Math.round(x * 100) / 100;

function redisUrl(): string {
  const url = process.env['REDIS_URL'] ?? process.env['REDIS_TEST_URL'];
  if (!url) throw new Error('the queue rows need a Redis: set REDIS_URL or REDIS_TEST_URL (source .services/env)');
  return url;
}

interface Side { root: string; home: string; env: Record<string, string>; log: (m: string) => void }

const cliArgs = (root: string, args: string[]): string[] => ['--import', 'tsx', path.join(root, 'src', 'cli', 'bin.ts'), ...args];
const cli = (s: Side, args: string[], env: Record<string, string> = {}) => runChild(process.execPath, cliArgs(s.root, args), s.log, { NS_HOME: s.home, ...env });
function daemon(s: Side, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, cliArgs(s.root, args), { cwd: s.root, env: { ...process.env, NS_HOME: s.home, ...s.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((d) => setTimeout(d, 100));
  }
}
async function stop(ps: { child: ChildProcess }[]): Promise<void> {
  await Promise.all(ps.map((p) => new Promise((done) => {
    if (p.child.exitCode !== null) return done(null);
    p.child.once('close', done);
    p.child.kill('SIGTERM');
  })));
}

async function batchScoring(s: Side, rows: number): Promise<Record<string, unknown>> {
  for (const args of [['etl', '--source', path.join(s.root, 'data', 'phisingData.csv')], ['train', '--preset', 'quick']]) {
    const r = await cli(s, args);
    if (r.code !== 0) throw new Error(`${args[0]} failed (exit ${r.code})`);
  }
  const input = path.join(s.home, 'input.csv');
  s.log(`queue: writing ${rows} rows`);
  writeCsv(scaledRows(loadBundled(s.root), rows, 7), input);
  s.log('queue: inline predict');
  const t0 = performance.now();
  const inline = await cli(s, ['predict', '--input', input, '--output', path.join(s.home, 'inline.csv'), '--json']);
  const inlineSeconds = (performance.now() - t0) / 1000;
  if (inline.code !== 0) throw new Error(`inline predict failed (exit ${inline.code})`);
  const workers = [0, 1].map(() => daemon(s, ['worker', '--port', '0', '--queues', 'predict']));
  try {
    await until(() => workers.every((w) => w.output().includes('health and metrics on')), 60_000, 'the workers');
    s.log('queue: predict --queue with 2 workers');
    const t1 = performance.now();
    const queued = await cli(s, ['predict', '--input', input, '--output', path.join(s.home, 'queued.csv'), '--queue', '--json'], s.env);
    const queuedSeconds = (performance.now() - t1) / 1000;
    if (queued.code !== 0) throw new Error(`predict --queue failed (exit ${queued.code}): ${queued.stderr.slice(-300)}`);
    const q = new Queue('predict', { connection: { url: s.env['REDIS_URL']!, maxRetriesPerRequest: null }, prefix: s.env['NS_QUEUE_PREFIX']! });
    const jobs = await q.getJobs(['completed'], 0, -1);
    await q.obliterate({ force: true });
    await q.close();
    const shards = jobs.map((j) => {
      const rv = j.returnvalue as { rows: number; scoringMs: number; modelMs?: number; readMs?: number; writeMs?: number };
      const jobMs = (j.finishedOn ?? 0) - (j.processedOn ?? 0);
      const [model, read, write] = [rv.modelMs ?? NaN, rv.readMs ?? NaN, rv.writeMs ?? NaN];
      const pctOf = (ms: number): number => (100 * ms) / rv.scoringMs;
      return {
        rows: rv.rows, scoringMs: rv.scoringMs, overheadPct: pctOf(jobMs - rv.scoringMs),
        parts: { modelPct: pctOf(model), readPct: pctOf(read), writePct: pctOf(write), queuePct: pctOf(jobMs - rv.scoringMs - model - read - write) },
        ms: { job: jobMs, model: r2(model), read: r2(read), score: r2(rv.scoringMs), write: r2(write) },
      };
    });
    const overhead = shards.map((x) => x.overheadPct);
    const partStats = (key: keyof (typeof shards)[number]['parts']): { median: number; p90: number; max: number } => {
      const xs = shards.map((x) => x.parts[key]);
      return { median: r2(median(xs)), p90: r2(pct(xs, 90)), max: r2(Math.max(...xs)) };
    };
    const perShardRate = shards.map((x) => x.rows / (x.scoringMs / 1000));
    const inlineRate = rows / inlineSeconds;
    const queuedRate = rows / queuedSeconds;
    return {
      rows, shards: shards.length, shardRows: median(shards.map((x) => x.rows)), workers: 2,
      inline: { wallSeconds: r2(inlineSeconds), rowsPerSecond: Math.round(inlineRate) },
      queued: { wallSeconds: r2(queuedSeconds), rowsPerSecond: Math.round(queuedRate) },
      ratioQueuedOverInline: r2(queuedRate / inlineRate),
      queueOverheadPctOfScoring: { median: r2(median(overhead)), p90: r2(pct(overhead, 90)), max: r2(Math.max(...overhead)) },
      overheadParts: {
        what: '% of the shard\'s scoring time (reading its rows, scoring them and writing the output as it is produced, as the inline predict does): waiting for the model (first shard of a worker), reading the shard from the store, putting the output in place and writing the summary, and the rest of the job (BullMQ: from taking the job to marking it done)',
        model: partStats('modelPct'), read: partStats('readPct'), write: partStats('writePct'), queue: partStats('queuePct'),
      },
      perShardMs: shards.map((x) => x.ms),
      oneWorkerScoringRowsPerSecond: { median: Math.round(median(perShardRate)) },
      note: `${os.cpus().length} cores shared by the client, 2 workers and Redis: the speed-up is bounded by the cores; one worker's rate (per shard) is what adds up on more machines`,
      target: 'queue overhead per shard <= 5% of its scoring time (median and p90)', met: median(overhead) <= 5 && pct(overhead, 90) <= 5,
    };
  } finally {
    await stop(workers);
  }
}

async function emptyRoundTrip(s: Side, n: number): Promise<Record<string, unknown>> {
  const queue = new BullJobQueue({ url: s.env['REDIS_URL']!, prefix: `${s.env['NS_QUEUE_PREFIX']!}-empty` });
  queue.register('empty', () => Promise.resolve(null));
  const runtime = await startWorkers(queue, { queues: ['empty'], concurrency: 1 }, silentLogger);
  try {
    for (let i = 0; i < 20; i++) await queue.run('empty', {});
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await queue.run('empty', {});
      ms.push(performance.now() - t);
    }
    return { jobs: n, p50Ms: r2(median(ms)), p99Ms: r2(pct(ms, 99)), what: 'enqueue → worker (same process, own Redis connections) → result seen by the caller' };
  } finally {
    await runtime.stop();
    await queue.queue('empty').obliterate({ force: true });
    await queue.close();
  }
}

async function scheduleTicks(s: Side, ticks: number): Promise<Record<string, unknown>> {
  const procs = [0, 1, 2].map(() => daemon(s, ['etl', '--schedule', '*/2 * * * * *', '--source', path.join(s.root, 'data', 'phisingData.csv')]));
  const done = (): string[] => procs.flatMap((p) => [...p.output().matchAll(/job etl (\S+) completed/g)].map((m) => m[1]!));
  try {
    await until(() => done().length >= ticks, ticks * 2000 + 90_000, `${ticks} ticks`);
  } finally {
    await stop(procs);
  }
  const ids = done();
  const loads = procs.map((p) => (p.output().match(/rows read, \d+ inserted/g) ?? []).length).reduce((a, b) => a + b, 0);
  const q = new Queue('etl', { connection: { url: s.env['REDIS_URL']!, maxRetriesPerRequest: null }, prefix: s.env['NS_QUEUE_PREFIX']! });
  await q.obliterate({ force: true });
  await q.close();
  return { processes: 3, ticks: new Set(ids).size, loads, perProcess: procs.map((p) => (p.output().match(/job etl \S+ completed/g) ?? []).length), target: 'one load per tick', met: loads === new Set(ids).size && ids.length === new Set(ids).size };
}

export async function queueRows(opts: BenchOptions): Promise<Record<string, unknown>> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'ns-bench-workers-'));
  const s: Side = { root: opts.root, home, env: { REDIS_URL: redisUrl(), NS_QUEUE_PREFIX: `nsbench-${Date.now().toString(36)}` }, log: opts.log };
  try {
    const batch = await batchScoring(s, opts.records ?? (opts.quick ? 200_000 : 2_000_000));
    if (opts.only === 'batch') return { batchScoring: batch, loadAvgAtEnd: os.loadavg().map(r2) };
    const roundTrip = await emptyRoundTrip(s, opts.quick ? 200 : 1000);
    const schedules = await scheduleTicks({ ...s, env: { ...s.env, NS_QUEUE_PREFIX: `${s.env['NS_QUEUE_PREFIX']!}-sched` } }, 10);
    return { batchScoring: batch, emptyJobRoundTrip: roundTrip, schedules, loadAvgAtEnd: os.loadavg().map(r2) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
