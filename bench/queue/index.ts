/**
 * Queue benchmark section (`npm run -s bench -- queue`). Serving during training (issue 18 item 9):
 * the real `networksecurity serve` (embedded default) on a fresh home with a champion, loaded with
 * GET /healthz at 50 connections and one-row POST /api/v1/predict at 8 requests/s (under the fixed
 * 600/min predict rate limit) — first idle, then while a run started through the API trains
 * (NS_TRAIN_PRESET=default). Target: p99 during the run ≤ 2 × idle p99. `NS_BENCH_BASE_SRC` may name
 * another checkout's src/ (e.g. the commit before the training thread) to measure it in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import type { BenchOptions } from '../types.js';
import { queueRows } from './workers.js';

interface Lat { p50: number; p99: number; max: number; requests: number; errors: number; non2xx: number }

/** tsx by absolute URL: the CLI runs with a temporary folder as its working directory. */
const tsxLoader = pathToFileURL(resolve(import.meta.dirname, '../../node_modules/tsx/dist/loader.mjs')).href;

export function cli(src: string, args: string[], home: string, env: Record<string, string> = {}): ChildProcess {
  const e: NodeJS.ProcessEnv = { ...process.env, NS_HOME: home, ...env };
  for (const k of ['MONGO_DB_URL', 'S3_BUCKET', 'MLFLOW_TRACKING_URI', 'REDIS_URL', 'NS_API_TOKEN']) delete e[k];
  const child = spawn(process.execPath, ['--import', tsxLoader, join(src, 'cli/bin.ts'), ...args], { cwd: home, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  // Nothing reads stdout (serve's request log, a JSON line per request): drain it, or a full pipe
  // stalls the process's log writes and keeps it alive after SIGTERM.
  child.stdout?.resume();
  return child;
}

export function finished(child: ChildProcess): Promise<number> {
  return new Promise((done) => child.on('close', (code) => done(code ?? -1)));
}

async function load(url: string, opts: { connections: number; seconds: number; rate?: number; body?: string }): Promise<Lat> {
  const r = await autocannon({
    url, connections: opts.connections, duration: opts.seconds, ...(opts.rate ? { overallRate: opts.rate } : {}),
    ...(opts.body ? { method: 'POST', body: opts.body, headers: { 'content-type': 'application/json' } } : {}),
  });
  return { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, requests: r.requests.total, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

async function measure(base: string, body: string, seconds: number): Promise<{ healthz: Lat; predict: Lat }> {
  const [healthz, predict] = await Promise.all([
    load(`${base}/healthz`, { connections: 50, seconds }),
    load(`${base}/api/v1/predict`, { connections: 2, seconds, rate: 8, body }),
  ]);
  return { healthz, predict };
}

async function servingDuringTraining(src: string, root: string, seconds: number, log: (m: string) => void): Promise<Record<string, unknown>> {
  const home = mkdtempSync(join(tmpdir(), 'ns-bench-queue-'));
  for (const args of [['etl', '--source', join(root, 'data/phisingData.csv')], ['train', '--preset', 'quick']]) {
    const code = await finished(cli(src, args, home));
    if (code !== 0) throw new Error(`${args[0]} exited with ${code}`);
  }
  const server = cli(src, ['serve', '--port', '0'], home, { NS_TRAIN_PRESET: 'default' });
  const base = await servingBase(server);
  try {
    const lines = readFileSync(join(root, 'data/phisingData.csv'), 'utf8').split('\n');
    const names = lines[0]!.trim().split(',').slice(0, 30);
    const row = lines[1]!.trim().split(',').map(Number);
    const body = JSON.stringify({ row: Object.fromEntries(names.map((f, j) => [f, row[j]])) });
    await load(`${base}/healthz`, { connections: 10, seconds: 2 });
    log(`queue: ${src}: idle, ${seconds} s`);
    const idle = await measure(base, body, seconds);
    const start = await fetch(`${base}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (start.status !== 202) throw new Error(`POST /api/v1/runs answered ${start.status}`);
    const { runId } = (await start.json()) as { runId: string };
    log(`queue: ${src}: during run ${runId}, ${seconds} s`);
    const during = await measure(base, body, seconds);
    const run = (await (await fetch(`${base}/api/v1/runs/${runId}`)).json()) as { status: string; lastStage: string | null };
    return {
      idle, during, runStatusAtEnd: run.status, runLastStageAtEnd: run.lastStage,
      ratioP99: { healthz: Math.round((during.healthz.p99 / Math.max(1, idle.healthz.p99)) * 100) / 100, predict: Math.round((during.predict.p99 / Math.max(1, idle.predict.p99)) * 100) / 100 },
    };
  } finally {
    server.kill('SIGTERM');
    await finished(server);
  }
}

export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const workers = await queueRows(opts);
  if (opts.only === 'batch') return workers;
  const seconds = opts.quick ? 8 : 20;
  const ours = await servingDuringTraining(join(opts.root, 'src'), opts.root, seconds, opts.log);
  const baseSrc = process.env['NS_BENCH_BASE_SRC'];
  const base = baseSrc ? await servingDuringTraining(baseSrc, opts.root, seconds, opts.log) : undefined;
  const r = ours['ratioP99'] as { healthz: number; predict: number };
  return {
    ...workers,
    servingDuringTraining: {
      what: 'GET /healthz at 50 connections + POST /api/v1/predict at 8 req/s, idle vs while a run (default plan) trains; latencies in ms',
      ours, ...(base ? { before: { src: baseSrc, ...base } } : {}),
      targets: { predictP99AtMost2xIdle: r.predict <= 2, healthzP99AtMost2xIdle: r.healthz <= 2 },
    },
  };
}

/** Resolves with the base URL a started `serve` prints once it listens; rejects when it exits first. */
export function servingBase(server: ChildProcess): Promise<string> {
  let err = '';
  return new Promise<string>((resolve, reject) => {
    server.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = err.match(/is serving on (http:\/\/\S+?) /);
      if (m) resolve(m[1]!);
    });
    server.once('close', (code) => reject(new Error(`serve exited with ${code}: ${err.slice(-500)}`)));
  });
}
