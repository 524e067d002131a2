/**
 * Server benchmark section (loaded by bench/run.ts): one-row POST /api/v1/predict at 50 concurrent
 * connections with autocannon, against a bare constant endpoint on the same Fastify server in the
 * same run (targets: ≥ 0.5× its throughput, p99 ≤ 10 ms, zero errors), then a 100,000-row CSV
 * upload → scored download (target ≤ 2 s). The server runs in its own process (serve.ts) so the
 * load generator does not share its event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import type { BenchOptions } from '../types.js';
import { featureNames } from '../../src/server/fake-deps.test-helpers.js';

interface Load { requestsPerSec: number; latencyP50Ms: number; latencyP99Ms: number; errors: number; timeouts: number; non2xx: number; requests: number }

async function startServer(root: string): Promise<{ child: ChildProcess; port: number; model: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/server/serve.ts'), root], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`benchmark server exited with ${code}`)));
  });
  const info = JSON.parse(first) as { port: number; model: string };
  return { child, ...info };
}

async function load(url: string, body: string, seconds: number): Promise<Load> {
  const r = await autocannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: 50, duration: seconds });
  return {
    requestsPerSec: Math.round(r.requests.average), latencyP50Ms: r.latency.p50, latencyP99Ms: r.latency.p99,
    errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, requests: r.requests.total,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the section; `opts.quick` shortens the load phases. */
export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const { child, port, model } = await startServer(opts.root);
  const base = `http://127.0.0.1:${port}`;
  try {
    const seconds = opts.quick ? 5 : 30; // issue 6: 50 connections for 30 s
    const lines = readFileSync(join(opts.root, 'data/phisingData.csv'), 'utf8').trimEnd().split('\n');
    const first = lines[1]!.split(',').map(Number);
    const body = JSON.stringify({ row: Object.fromEntries(featureNames.map((f, j) => [f, first[j]])) });
    opts.log('server: warm-up');
    await load(`${base}/api/v1/predict`, body, 2);
    opts.log(`server: constant endpoint, 50 connections, ${seconds} s`);
    const constant = await load(`${base}/bench/constant`, body, seconds);
    opts.log(`server: predict, 50 connections, ${seconds} s`);
    const predict = await load(`${base}/api/v1/predict`, body, seconds);

    const rows = 100_000;
    const data = lines.slice(1);
    const csv = [lines[0], ...Array.from({ length: rows }, (_, i) => data[i % data.length])].join('\n') + '\n';
    const times: number[] = [];
    let outRows = 0;
    let rowErrors = -1;
    for (let rep = 0; rep < Math.max(1, Math.min(opts.reps, 5)); rep++) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/predict/csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
      const text = await res.text();
      times.push((performance.now() - t0) / 1000);
      if (!res.ok) throw new Error(`CSV upload failed: ${res.status} ${text.slice(0, 200)}`);
      outRows = text.split('\n').length - 2;
      rowErrors = Number(res.headers.get('x-row-errors'));
    }
    const ratio = predict.requestsPerSec / constant.requestsPerSec;
    const csvSeconds = Math.round(median(times) * 1000) / 1000;
    return {
      model,
      peer: 'bare constant endpoint (POST, same JSON body) on the same Fastify server',
      connections: 50,
      durationSeconds: seconds,
      predictOneRow: predict,
      constantEndpoint: constant,
      throughputRatio: Math.round(ratio * 1000) / 1000,
      csv: { rows, bytes: Buffer.byteLength(csv), outRows, rowErrors, secondsMedian: csvSeconds, seconds: times.map((t) => Math.round(t * 1000) / 1000) },
      targets: {
        throughputRatioAtLeast0_5: ratio >= 0.5,
        p99AtMost10ms: predict.latencyP99Ms <= 10,
        zeroErrors: predict.errors === 0 && predict.timeouts === 0 && predict.non2xx === 0,
        csv100kAtMost2s: csvSeconds <= 2,
      },
    };
  } finally {
    child.kill('SIGTERM');
  }
}
