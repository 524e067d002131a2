/**
 * Server benchmark section (loaded by bench/run.ts), on the production serving path (serve.ts): for a
 * 100-tree random forest and for the default preset's champion, each registered by the pipeline and
 * loaded from the registry as `serve` does, POST /api/v1/predict at 50 concurrent connections with
 * autocannon — one row and 100 rows per request, every request carrying different rows (rotating
 * through 220k distinct feature vectors) — against a bare constant endpoint on the same server in the
 * same run (targets: one-row ≥ 0.5× its throughput, p99 ≤ 10 ms, zero errors), with the mean number of
 * requests the server scored together per batch (its /metrics); then a 100,000-row CSV
 * upload → scored download (target ≤ 2 s). The server runs in its own process so the load generator
 * does not share its event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import type { BenchOptions } from '../types.js';
import type { Matrix } from '../../src/core/matrix.js';
import { featureNames } from '../../src/server/fake-deps.test-helpers.js';
import { parsePrometheusText } from '../../src/server/prometheus-text.test-helpers.js';
import { runChild } from '../child.js';
import { loadBenchData } from '../ml/data.js';

interface Load { requestsPerSec: number; latencyP50Ms: number; latencyP99Ms: number; errors: number; timeouts: number; non2xx: number; requests: number }

async function startServer(root: string, home: string, which: 'forest' | 'default'): Promise<{ child: ChildProcess; port: number; model: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/server/serve.ts'), home, which], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`benchmark server exited with ${code}`)));
  });
  const info = JSON.parse(first) as { port: number; model: string };
  return { child, ...info };
}

/**
 * autocannon at 50 connections; every request carries the next rows of `rows` (rotating), `perRequest`
 * rows per request, so no two consecutive requests score the same row.
 */
async function load(url: string, rows: Matrix, perRequest: number, seconds: number): Promise<Load> {
  let next = 0;
  const rowAt = (i: number): Record<string, number> => Object.fromEntries(featureNames.map((f, j) => [f, rows.data[i * rows.cols + j]!]));
  const body = (): string => {
    const start = next;
    next = (next + perRequest) % (rows.rows - perRequest);
    return perRequest === 1 ? JSON.stringify({ row: rowAt(start) }) : JSON.stringify({ rows: Array.from({ length: perRequest }, (_, k) => rowAt(start + k)) });
  };
  const r = await autocannon({
    url, method: 'POST', headers: { 'content-type': 'application/json' }, connections: 50, duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  return {
    requestsPerSec: Math.round(r.requests.average), latencyP50Ms: r.latency.p50, latencyP99Ms: r.latency.p99,
    errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, requests: r.requests.total,
  };
}

/** The server's scored-batch histogram totals (requests and batches so far), read from /metrics. */
async function batchTotals(base: string): Promise<{ requests: number; batches: number }> {
  const samples = parsePrometheusText(await (await fetch(`${base}/metrics`)).text()).get('ns_scoring_batch_requests')?.samples ?? [];
  const total = (suffix: string): number => samples.find((s) => s.name.endsWith(suffix))?.value ?? NaN;
  return { requests: total('_sum'), batches: total('_count') };
}

/** `load`, plus the mean number of requests the server scored together in that phase. */
async function loadWithBatches(base: string, rows: Matrix, perRequest: number, seconds: number): Promise<Load & { requestsPerBatch: number }> {
  const before = await batchTotals(base);
  const l = await load(`${base}/api/v1/predict`, rows, perRequest, seconds);
  const after = await batchTotals(base);
  return { ...l, requestsPerBatch: Math.round(10 * (after.requests - before.requests) / (after.batches - before.batches)) / 10 };
}

/** A temporary NS_HOME with the bundled data loaded by the built CLI's etl, and for `default` a champion trained by `train`. */
async function prepareHome(opts: BenchOptions, which: 'forest' | 'default'): Promise<string> {
  const bin = join(opts.root, 'dist', 'cli', 'bin.js');
  if (!existsSync(bin)) throw new Error(`no built CLI at ${bin}; run npm run build first`);
  const home = mkdtempSync(join(tmpdir(), `ns-bench-server-${which}-`));
  const env = { NS_HOME: home, MONGO_DB_URL: undefined, S3_BUCKET: undefined, MLFLOW_TRACKING_URI: undefined, REDIS_URL: undefined, NS_API_TOKEN: undefined };
  const etl = await runChild(process.execPath, [bin, 'etl', '--source', join(opts.root, 'data', 'phisingData.csv')], () => undefined, env);
  if (etl.code !== 0) throw new Error(`etl failed: ${etl.stderr.slice(-300)}`);
  if (which === 'default') {
    opts.log('server: training the default champion (train, default preset; not timed)');
    const t = await runChild(process.execPath, [bin, 'train'], () => undefined, env);
    if (t.code !== 0) throw new Error(`train failed: ${t.stderr.slice(-300)}`);
  }
  return home;
}

/** One champion served: the bare endpoint, then one-row and 100-row predict, 50 connections each. */
async function serveRows(opts: BenchOptions, which: 'forest' | 'default', rows: Matrix, seconds: number): Promise<Record<string, unknown>> {
  const home = await prepareHome(opts, which);
  const { child, port, model } = await startServer(opts.root, home, which);
  const base = `http://127.0.0.1:${port}`;
  try {
    opts.log(`server (${model}): warm-up`);
    await load(`${base}/api/v1/predict`, rows, 1, 2);
    opts.log(`server (${model}): constant endpoint, 50 connections, ${seconds} s`);
    const constant = await load(`${base}/bench/constant`, rows, 1, seconds);
    opts.log(`server (${model}): predict one row, 50 connections, ${seconds} s`);
    const one = await loadWithBatches(base, rows, 1, seconds);
    opts.log(`server (${model}): predict 100 rows, 50 connections, ${seconds} s`);
    const hundred = await loadWithBatches(base, rows, 100, seconds);
    const ratio = one.requestsPerSec / constant.requestsPerSec;
    return {
      model, constantEndpoint: constant, predictOneRow: one, predict100Rows: { ...hundred, rowsPerSec: hundred.requestsPerSec * 100 },
      throughputRatio: Math.round(ratio * 1000) / 1000,
      targets: {
        throughputRatioAtLeast0_5: ratio >= 0.5, p99AtMost10ms: one.latencyP99Ms <= 10,
        zeroErrors: [one, hundred].every((l) => l.errors === 0 && l.timeouts === 0 && l.non2xx === 0),
      },
    };
  } finally {
    child.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the section; `opts.quick` shortens the load phases. */
export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const seconds = opts.quick ? 5 : 30; // issue 6: 50 connections for 30 s
  const rows = loadBenchData(opts.root, 220_000).big;
  const forest = await serveRows(opts, 'forest', rows, seconds);
  const champion = await serveRows(opts, 'default', rows, seconds);
  const csvRun = await csvUpload(opts);
  return {
    path: 'production: createContext on a temporary NS_HOME (SQLite, local folder), champion bundle loaded from the registry by createServerDeps as `serve` does, the real buildServer; predict rate limit raised for the single load client',
    peer: 'bare constant endpoint (POST, JSON body) on the same Fastify server',
    batching: 'the server scores concurrent requests together (src/server/batch-scorer.ts); requestsPerBatch is the mean per phase, from its ns_scoring_batch_requests histogram',
    rows: '220,000 distinct feature vectors drawn from the training features (bench/ml/data.ts); each request takes the next row(s), rotating',
    connections: 50, durationSeconds: seconds,
    forest100: forest, defaultChampion: champion, csv: csvRun,
  };
}

/** A 100,000-row CSV upload → scored download on the forest server (target ≤ 2 s). */
async function csvUpload(opts: BenchOptions): Promise<Record<string, unknown>> {
  const home = await prepareHome(opts, 'forest');
  const { child, port } = await startServer(opts.root, home, 'forest');
  try {
    const lines = readFileSync(join(opts.root, 'data/phisingData.csv'), 'utf8').trimEnd().split('\n');
    const rows = 100_000;
    const data = lines.slice(1);
    const csv = [lines[0], ...Array.from({ length: rows }, (_, i) => data[i % data.length])].join('\n') + '\n';
    const times: number[] = [];
    let outRows = 0;
    let rowErrors = -1;
    for (let rep = 0; rep < Math.max(1, Math.min(opts.reps, 5)); rep++) {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/predict/csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
      const text = await res.text();
      times.push((performance.now() - t0) / 1000);
      if (!res.ok) throw new Error(`CSV upload failed: ${res.status} ${text.slice(0, 200)}`);
      outRows = text.split('\n').length - 2;
      rowErrors = Number(res.headers.get('x-row-errors'));
    }
    const secondsMedian = Math.round(median(times) * 1000) / 1000;
    return { rows, bytes: Buffer.byteLength(csv), outRows, rowErrors, secondsMedian, seconds: times.map((t) => Math.round(t * 1000) / 1000), target: '<= 2 s', met: secondsMedian <= 2 };
  } finally {
    child.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
}
