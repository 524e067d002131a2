/**
 * The search bench's product rows: what a user runs, timed end to end, against the seed's own script.
 *  - ours: `node dist/cli/bin.js train --preset original --fresh --json` (the built CLI) in its own
 *    process, in a temporary NS_HOME holding the bundled data (loaded once by `etl`, not timed). The
 *    time is the whole command: Node start-up, ingest, validate, transform, the search (the original's
 *    five grids, 3-fold CV, on `--jobs` 2 worker threads plus the main thread), refits, test scoring,
 *    the soft-vote check, evaluate and push. Repeated `reps` times, median reported.
 *  - peer: /work/shared/bench/seed_baseline.py (override SEED_BASELINE) twice: as shipped
 *    (GridSearchCV's default n_jobs: one core) and with n_jobs=2 on the grid search (seed_njobs.py
 *    wraps it without editing it). Each runs once (minutes).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { runChild, type ChildOut } from '../child.js';
import type { BenchOptions } from '../types.js';

export interface ProductRun { seconds: number; cpuSeconds: number | null; maxRssMb: number | null; loadAtStart: number; bestModel: string; bestF1Legit: number; bestF1Phishing: number; candidates: number }

const timedArgs = (cmd: string, args: string[]): [string, string[]] =>
  existsSync('/usr/bin/time') ? ['/usr/bin/time', ['-f', 'maxrss_kb=%M cpu_s=%U+%S', cmd, ...args]] : [cmd, args];
const rssOf = (r: ChildOut): number | null => {
  const m = /maxrss_kb=(\d+)/.exec(r.stderr);
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
};
/** User + system CPU seconds of the child and its threads (less sensitive to a busy machine than wall time). */
const cpuOf = (r: ChildOut): number | null => {
  const m = /cpu_s=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  return m ? Math.round((Number(m[1]) + Number(m[2])) * 100) / 100 : null;
};

/** The timed commands run one after another, ours between the seed's runs, so both sides see the same load. */
export interface InterleavedRuns { product: ProductRun[]; shipped?: PeerRun; nJobs2?: PeerRun; order: string[] }

/**
 * Runs, in this order: ours, the seed as shipped, ours, the seed with n_jobs=2, ours (each of ours is the
 * built CLI's `train --preset original --fresh` in a fresh-data NS_HOME); with `peer` undefined only ours
 * runs, `opts.reps` times. Extra reps beyond 3 add ours runs at the end.
 */
export async function interleavedRuns(opts: BenchOptions, peer: { python: string; seedScript: string; parse: (r: ChildOut, what: string) => Record<string, unknown> } | undefined): Promise<InterleavedRuns> {
  return withBundledHome(opts, async (bin, env) => {
    const out: InterleavedRuns = { product: [], order: [] };
    const ours = async (): Promise<void> => {
      opts.log(`search: product train --preset original, run ${out.product.length + 1}`);
      out.order.push(`ours ${out.product.length + 1}`);
      out.product.push(await productRun(bin, env));
    };
    if (peer === undefined) {
      for (let r = 0; r < opts.reps; r++) await ours();
      return out;
    }
    await ours();
    out.order.push('seed as shipped');
    out.shipped = await seedRun(opts, peer.python, peer.seedScript, 'default', peer.parse);
    await ours();
    out.order.push('seed n_jobs=2');
    out.nJobs2 = await seedRun(opts, peer.python, peer.seedScript, 2, peer.parse);
    await ours();
    for (let r = 3; r < opts.reps; r++) await ours();
    return out;
  });
}

/**
 * Runs `fn` with the built CLI and the environment of a temporary NS_HOME that holds the bundled data
 * (loaded by `etl`, not timed), on the embedded defaults (SQLite, local folder, local tracker) whatever
 * the calling shell has set; the folder is removed afterwards.
 */
export async function withBundledHome<T>(opts: BenchOptions, fn: (bin: string, env: Record<string, string | undefined>) => Promise<T>): Promise<T> {
  const bin = path.join(opts.root, 'dist', 'cli', 'bin.js');
  if (!existsSync(bin)) throw new Error(`no built CLI at ${bin}; run npm run build first`);
  const home = mkdtempSync(path.join(tmpdir(), 'ns-bench-search-'));
  const env = { NS_HOME: home, MONGO_DB_URL: undefined, S3_BUCKET: undefined, MLFLOW_TRACKING_URI: undefined, REDIS_URL: undefined, NS_API_TOKEN: undefined };
  try {
    const etl = await runChild(process.execPath, [bin, 'etl', '--source', path.join(opts.root, 'data', 'phisingData.csv')], opts.log, env);
    if (etl.code !== 0) throw new Error(`etl failed (exit ${etl.code}): ${etl.stderr.slice(-300)}`);
    return await fn(bin, env);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function productRun(bin: string, env: Record<string, string | undefined>): Promise<ProductRun> {
  const loadAtStart = loadAvg1();
  const [cmd, args] = timedArgs(process.execPath, [bin, 'train', '--preset', 'original', '--fresh', '--json']);
  const t0 = performance.now();
  const out = await runChild(cmd, args, () => undefined, env);
  const seconds = (performance.now() - t0) / 1000;
  if (out.code !== 0) throw new Error(`train failed (exit ${out.code}): ${out.stderr.slice(-300)}`);
  const j = JSON.parse(out.stdout) as { best: string; candidates: { name: string; test: { f1Legit: number; f1Phishing: number } }[] };
  const best = j.candidates.find((c) => c.name === j.best)!;
  return { seconds, cpuSeconds: cpuOf(out), maxRssMb: rssOf(out), loadAtStart, bestModel: j.best, bestF1Legit: best.test.f1Legit, bestF1Phishing: best.test.f1Phishing, candidates: j.candidates.length };
}

const loadAvg1 = (): number => Math.round(loadavg()[0]! * 100) / 100;

export interface PeerRun { nJobs: string; total_s?: number; best?: string; best_f1?: number; processSeconds: number; maxRssMb: number | null; cpuSeconds: number | null; loadAtStart: number; error?: string }

/** seed_baseline.py as shipped (nJobs 'default') or with GridSearchCV(n_jobs=2). */
async function seedRun(opts: BenchOptions, python: string, seedScript: string, nJobs: 'default' | 2, parse: (r: ChildOut, what: string) => Record<string, unknown>): Promise<PeerRun> {
  const csv = path.join(opts.root, 'data', 'phisingData.csv');
  const quick = opts.quick ? ['--quick'] : [];
  const script = nJobs === 'default' ? [seedScript, csv, ...quick] : [path.join(opts.root, 'bench', 'search', 'seed_njobs.py'), '2', seedScript, csv, ...quick];
  opts.log(`search: peer seed_baseline.py, n_jobs ${nJobs} (takes minutes)`);
  const loadAtStart = loadAvg1();
  const [cmd, args] = timedArgs(python, script);
  const t0 = performance.now();
  const r = await runChild(cmd, args, opts.log);
  const processSeconds = Math.round(performance.now() - t0) / 1000;
  const j = parse(r, `seed_baseline.py (n_jobs ${nJobs})`);
  return { nJobs: String(nJobs), ...(j as Omit<PeerRun, 'nJobs' | 'maxRssMb' | 'cpuSeconds' | 'processSeconds' | 'loadAtStart'>), processSeconds, maxRssMb: rssOf(r), cpuSeconds: cpuOf(r), loadAtStart };
}
