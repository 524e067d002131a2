/**
 * Load benchmark section (`npm run -s bench -- load`), issue 18, on the real `networksecurity serve`
 * (embedded default: SQLite and a local folder) over a fresh home with a champion trained by
 * `train --preset quick`, the predict rate limit raised with NS_RATE_LIMIT_PER_MINUTE:
 *
 * 1. /healthz during a big valid upload: a valid CSV of about 60 MB (the bundled rows repeated) is
 *    POSTed to /api/v1/predict/csv while another connection asks GET /healthz back to back; latencies of
 *    the /healthz answers that came while the upload was in flight (target: max < 50 ms), `reps` times.
 * 2. Predict under load during a training run: POST /api/v1/predict (one row, each request the next
 *    of the bundled rows) at 50 connections for 30 s (5 s with --quick), first idle, then right after a
 *    run (NS_TRAIN_PRESET=default) is started through POST /api/v1/runs; p50/p99, errors, non-2xx and
 *    the p99 ratio (target: 0 errors, during-run p99 ≤ 2 × idle p99). The run's status at the end of the
 *    window says whether the run covered all of it. The machine's load average is printed with each.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { runChild } from '../child.js';
import { cli, finished, servingBase } from '../queue/index.js';
import type { BenchOptions } from '../types.js';

const loadAvg = (): number[] => os.loadavg().map((l) => Math.round(l * 100) / 100);
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Starts `serve` on a free port; resolves with its base URL. */
async function serve(root: string, home: string): Promise<{ server: ChildProcess; base: string }> {
  const server = cli(join(root, 'src'), ['serve', '--port', '0'], home, { NS_TRAIN_PRESET: 'default', NS_RATE_LIMIT_PER_MINUTE: '1000000' });
  // The request log (stdout) is read and dropped: left unread, it piles up in serve's memory and serve
  // cannot exit until the pipe is drained.
  server.stdout!.resume();
  return { server, base: await servingBase(server) };
}

/** The bundled data: header and rows. */
function bundled(root: string): { header: string; rows: string[] } {
  const lines = readFileSync(join(root, 'data/phisingData.csv'), 'utf8').trimEnd().split('\n').map((l) => l.trim());
  return { header: lines[0]!, rows: lines.slice(1) };
}

/** GET /healthz back to back on its own connection while `work` runs; latency quantiles in ms. */
async function healthzProbes<T>(base: string, work: () => Promise<T>): Promise<{ result: T; healthz: Record<string, number> }> {
  const latencies: number[] = [];
  let busy = true;
  const probe = (async () => {
    while (busy) {
      const t0 = performance.now();
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      if (busy) latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const result = await work().finally(() => { busy = false; });
  await probe;
  const sorted = [...latencies].sort((a, b) => a - b);
  return { result, healthz: { samples: sorted.length, p50Ms: round(quantile(sorted, 0.5)), p99Ms: round(quantile(sorted, 0.99)), maxMs: round(sorted.at(-1) ?? NaN) } };
}

/** The uploading client: its own process, so reading the 70 MB answer does not hold up the probes. */
const uploader = `
const { readFileSync } = await import('node:fs');
const [url, file] = process.argv.slice(-2);
const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: readFileSync(file) });
const text = await r.text();
process.stdout.write(JSON.stringify({ status: r.status, rows: Number(r.headers.get('x-rows')), rowErrors: Number(r.headers.get('x-row-errors')), head: text.slice(0, 300) }));
`;

/** One upload of the CSV in `file` (from its own process) with /healthz probes. */
async function healthzDuringUpload(base: string, file: string): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const { result: out, healthz } = await healthzProbes(base, () => runChild(process.execPath, ['--input-type=module', '-e', uploader, `${base}/api/v1/predict/csv`, file], () => undefined));
  const seconds = (performance.now() - t0) / 1000;
  const res = JSON.parse(out.stdout || '{}') as { status?: number; rows?: number; rowErrors?: number; head?: string };
  if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${res.head ?? out.stderr.slice(-300)}`);
  return { status: res.status, seconds: round(seconds, 2), rows: res.rows, rowErrors: res.rowErrors, healthz, loadAvg: loadAvg() };
}

interface Phase { p50Ms: number; p99Ms: number; maxMs: number; requests: number; requestsPerSec: number; errors: number; timeouts: number; non2xx: number; loadAvg: number[] }

/** One-row predict at 50 connections for `seconds`, each request the next bundled row. */
async function predictLoad(base: string, header: string, rows: string[], seconds: number): Promise<Phase> {
  const names = header.split(',').slice(0, 30);
  const bodies = rows.slice(0, 5000).map((r) => { const v = r.split(',').map(Number); return JSON.stringify({ row: Object.fromEntries(names.map((f, j) => [f, v[j]])) }); });
  let next = 0;
  const r = await autocannon({
    url: `${base}/api/v1/predict`, method: 'POST', headers: { 'content-type': 'application/json' }, connections: 50, duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
  });
  return {
    p50Ms: r.latency.p50, p99Ms: r.latency.p99, maxMs: r.latency.max, requests: r.requests.total, requestsPerSec: Math.round(r.requests.average),
    errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, loadAvg: loadAvg(),
  };
}

export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const home = mkdtempSync(join(tmpdir(), 'ns-bench-load-'));
  try {
    for (const args of [['etl', '--source', join(opts.root, 'data/phisingData.csv')], ['train', '--preset', 'quick']]) {
      opts.log(`load: ${args[0]} (not timed)`);
      const code = await finished(cli(join(opts.root, 'src'), args, home));
      if (code !== 0) throw new Error(`${args[0]} exited with ${code}`);
    }
    const { server, base } = await serve(opts.root, home);
    try {
      const { header, rows } = bundled(opts.root);
      const target = opts.quick ? 6e6 : 60e6;
      const lines = [header];
      let bytes = header.length + 1;
      for (let i = 0; bytes < target; i++) { const r = rows[i % rows.length]!; lines.push(r); bytes += r.length + 1; }
      const file = join(home, 'upload.csv');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const size = readFileSync(file).length;
      opts.log('load: /healthz probes without an upload, 5 s');
      const healthzIdle = await healthzProbes(base, () => new Promise((r) => setTimeout(r, 5000)));
      const uploads: Record<string, unknown>[] = [];
      for (let rep = 0; rep < opts.reps; rep++) {
        opts.log(`load: ${size} byte upload with /healthz probes, rep ${rep + 1}`);
        uploads.push(await healthzDuringUpload(base, file));
      }
      const maxes = uploads.map((u) => (u.healthz as { maxMs: number }).maxMs);

      const seconds = opts.quick ? 5 : 30;
      await predictLoad(base, header, rows, 2); // warm-up
      opts.log(`load: predict at 50 connections, idle, ${seconds} s`);
      const idle = await predictLoad(base, header, rows, seconds);
      const start = await fetch(`${base}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      if (start.status !== 202) throw new Error(`POST /api/v1/runs answered ${start.status}: ${await start.text()}`);
      const { runId } = (await start.json()) as { runId: string };
      // The window starts when the run is in its train stage (the model search), the heaviest part.
      const runState = async (): Promise<{ status: string; lastStage: string | null }> => (await (await fetch(`${base}/api/v1/runs/${runId}`)).json()) as { status: string; lastStage: string | null };
      for (let waited = 0; waited < 300; waited++) {
        const s = await runState();
        if (s.status !== 'running' || s.lastStage === 'transform') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const runAtStart = await runState();
      opts.log(`load: predict at 50 connections during run ${runId} (train stage), ${seconds} s`);
      const during = await predictLoad(base, header, rows, seconds);
      const runAtEnd = await runState();
      const ratio = during.p99Ms / Math.max(1, idle.p99Ms);
      return {
        path: 'real `serve` (tsx on src/, embedded default) on a fresh home: etl of the bundled data, train --preset quick; NS_RATE_LIMIT_PER_MINUTE=1000000 (the most it takes), NS_TRAIN_PRESET=default for the run started through the API',
        healthzDuringUpload: {
          what: 'GET /healthz back to back on one connection while a valid CSV upload (sent by another process) is scored; idle: the same probes without an upload; ms',
          idle: healthzIdle.healthz, bytes: size, rows: lines.length - 1, reps: uploads, maxMsPerRep: maxes,
          target: 'max < 50 ms', met: maxes.every((m) => m < 50),
        },
        predictDuringTraining: {
          what: `POST /api/v1/predict (one row) at 50 connections for ${seconds} s, idle and then during a run started through POST /api/v1/runs; ms`,
          idle, during, runId, runLastStageAtStart: runAtStart.lastStage, runStatusAtEnd: runAtEnd.status, runLastStageAtEnd: runAtEnd.lastStage, p99Ratio: round(ratio, 2),
          targets: { zeroErrors: [idle, during].every((p) => p.errors === 0 && p.timeouts === 0 && p.non2xx === 0), p99AtMost2xIdle: ratio <= 2, runCoveredWindow: runAtStart.lastStage === 'transform' && runAtEnd.status === 'running' && runAtEnd.lastStage === 'transform' },
        },
      };
    } finally {
      // SIGTERM stops the run in progress (serve's stop bound); SIGKILL only if serve is still there after 60 s.
      const closed = finished(server);
      if (server.exitCode === null && server.signalCode === null) {
        const t0 = performance.now();
        server.kill('SIGTERM');
        const kill = setTimeout(() => server.kill('SIGKILL'), 60_000);
        const code = await closed;
        clearTimeout(kill);
        opts.log(`load: serve exited with ${code} ${Math.round(performance.now() - t0)} ms after SIGTERM`);
      }
      await closed;
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
