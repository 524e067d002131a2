/**
 * Scale section of the benchmark (issue 19): our random forest (100 trees, nJobs 2) and histogram
 * boosting (300 rounds, depth 6) against scikit-learn RandomForestClassifier(n_jobs=2) and XGBoost
 * `hist` (n_jobs=2) on data a user with more traffic would have: bundled rows with 3 features
 * re-drawn per row (data.ts, seeded), at several sizes (default 100,000, 400,000 and 1,000,000 rows;
 * `--sizes`; `--quick` 20,000 and 50,000).
 * Each fit runs in its own process (ours.ts / peer.py), so the peak RSS printed is that side's alone;
 * both sides run in the same bench run, one after the other. Per size: the distinct share, fit time
 * medians over `--reps` fits and their ratio (each fit's figure printed too), F1 on fresh rows, peak RSS;
 * at the largest size also batch prediction of `predictRows` rows (default 1,000,000; medians over
 * `--reps`); time against rows per family (`timeVsRows`: both sides' medians per size, and the exponent
 * of a least-squares fit of log(time) on log(rows) for each side); and the `predict` command on a CSV of
 * the `predictRows` rows (predict-cli.ts: rows/s, peak RSS, `--reps` runs). `--only random_forest` or `--only hist_gradient_boosting` runs
 * just that family's rows (fits, batch prediction, exponent), without the CLI runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChild } from '../child.js';
import { PEER_ENV } from '../ml/peers.js';
import type { BenchOptions } from '../types.js';
import { distinctShare, loadBundled, scaledRows, writeInt8 } from './data.js';
import type { ScaleFamily } from './ours.js';
import { predictCli, trainCli } from './predict-cli.js';
import { median } from './stats.js';

interface SideRun {
  fit_s: number[];
  /** CPU seconds of each fit, all threads (less sensitive than wall time to a busy machine). */
  fit_cpu_s?: number[];
  f1: number;
  batch_s: number[];
  max_rss_mb: number;
  versions?: Record<string, string>;
}

const FAMILIES: ScaleFamily[] = ['random_forest', 'hist_gradient_boosting'];
/** Rows of the end-to-end `train` run (default preset). */
const TRAIN_CLI_ROWS = 500_000;
const FIT_TARGET: Record<ScaleFamily, number> = { random_forest: 0.5, hist_gradient_boosting: 1.0 };
/** Batch prediction: our rows/s over the peer's, at least. */
const BATCH_TARGET: Record<ScaleFamily, number> = { random_forest: 3, hist_gradient_boosting: 1.5 };

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Slope of the least-squares line of log(seconds) on log(rows): time grows as rows^slope. */
export function growthExponent(rows: number[], seconds: number[]): number | null {
  if (rows.length < 2) return null;
  const xs = rows.map(Math.log);
  const ys = seconds.map(Math.log);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : null;
}

function lastJson(out: { code: number; stdout: string; stderr: string }, what: string): SideRun {
  const line = out.stdout.trim().split('\n').pop() ?? '';
  if (out.code !== 0 || !line.startsWith('{')) throw new Error(`${what} failed (exit ${out.code}): ${out.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(line) as SideRun;
}

export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const sizes = opts.sizes ?? (opts.quick ? [20_000, 50_000] : [100_000, 400_000, 1_000_000]);
  const predictRows = opts.quick ? 100_000 : 1_000_000;
  const python = process.env.PEERS_PYTHON ?? path.join(opts.root, '.cache', 'venv-peers', 'bin', 'python');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ns-bench-scale-'));
  const largest = Math.max(...sizes);
  const loadAtStart = os.loadavg();
  const only = opts.only as ScaleFamily | undefined;
  if (only !== undefined && !FAMILIES.includes(only)) throw new Error(`scale has no row ${only}; --only ${FAMILIES.join(' | ')}`);
  const families = only !== undefined ? [only] : FAMILIES;
  try {
    const base = loadBundled(opts.root);
    const testRows = scaledRows(base, predictRows, 2);
    writeInt8(testRows, path.join(dir, 'test'));
    const cli = only !== undefined ? null : await predictCli(opts.root, testRows, opts.reps, opts.log);
    opts.log(`scale: predict CLI ${JSON.stringify(cli)}`);
    const trainCliResult = opts.quick || only !== undefined ? null : await trainCli(opts.root, scaledRows(base, TRAIN_CLI_ROWS, 3), opts.log);
    opts.log(`scale: train CLI ${JSON.stringify(trainCliResult)}`);
    const table: Record<string, unknown>[] = [];
    const fits: Record<ScaleFamily, { rows: number[]; ours: number[]; peer: number[] }> = {
      random_forest: { rows: [], ours: [], peer: [] }, hist_gradient_boosting: { rows: [], ours: [], peer: [] },
    };
    const batch: Record<string, unknown> = {};
    let versions: Record<string, string> | undefined;
    for (const rows of [...sizes].sort((a, b) => a - b)) {
      // Seed 1 for every size: the smaller sets are prefixes of the larger ones.
      const train = scaledRows(base, rows, 1);
      const share = distinctShare(train);
      writeInt8(train, path.join(dir, `train-${rows}`));
      opts.log(`scale: ${rows} rows, distinct share ${round(share)}`);
      const entry: Record<string, unknown> = { rows, distinctShare: round(share, 4) };
      for (const family of families) {
        const args = [dir, String(rows), family, String(opts.reps), ...(rows === largest ? [String(predictRows)] : [])];
        opts.log(`scale: ours ${family} ${rows}`);
        const ours = lastJson(await runChild(process.execPath, ['--import', 'tsx', path.join(opts.root, 'bench', 'scale', 'ours.ts'), ...args], opts.log), 'ours.ts');
        opts.log(`scale: peer ${family} ${rows}`);
        const peer = lastJson(await runChild(python, [path.join(opts.root, 'bench', 'scale', 'peer.py'), ...args], opts.log, PEER_ENV), 'peer.py');
        versions = peer.versions;
        opts.log(`scale: ${family} ${rows}: ours ${JSON.stringify({ ...ours, versions: undefined })} peer ${JSON.stringify({ ...peer, versions: undefined })}`);
        const o = median(ours.fit_s);
        const p = median(peer.fit_s);
        fits[family].rows.push(rows);
        fits[family].ours.push(o);
        fits[family].peer.push(p);
        entry[family] = {
          fitSeconds: { ours: round(o), peer: round(p), ratio: round(o / p), target: `<= ${FIT_TARGET[family]}`, met: o / p <= FIT_TARGET[family], oursRuns: ours.fit_s.map((x) => round(x)), peerRuns: peer.fit_s.map((x) => round(x)) },
          fitCpuSeconds: ours.fit_cpu_s && peer.fit_cpu_s ? {
            ours: round(median(ours.fit_cpu_s)), peer: round(median(peer.fit_cpu_s)), ratio: round(median(ours.fit_cpu_s) / median(peer.fit_cpu_s)),
            oursRuns: ours.fit_cpu_s.map((x) => round(x)), peerRuns: peer.fit_cpu_s.map((x) => round(x)),
          } : null,
          f1: { ours: round(ours.f1, 4), peer: round(peer.f1, 4) },
          peakRssMb: { ours: ours.max_rss_mb, peer: round(peer.max_rss_mb, 1) },
        };
        if (ours.batch_s.length > 0 && peer.batch_s.length > 0) {
          const ro = predictRows / median(ours.batch_s);
          const rp = predictRows / median(peer.batch_s);
          batch[family] = {
            modelRows: rows, predictRows, unit: 'rows/s, two threads each', ours: Math.round(ro), peer: Math.round(rp), ratio: round(ro / rp), target: `>= ${BATCH_TARGET[family]}`, met: ro / rp >= BATCH_TARGET[family],
            oursRunsSeconds: ours.batch_s.map((x) => round(x)), peerRunsSeconds: peer.batch_s.map((x) => round(x)),
          };
        }
      }
      table.push(entry);
    }
    const growth = Object.fromEntries(families.map((f) => {
      const eo = growthExponent(fits[f].rows, fits[f].ours);
      const ep = growthExponent(fits[f].rows, fits[f].peer);
      return [f, {
        unit: 'fit seconds, median of --reps', rows: fits[f].rows.map((rows, i) => ({ rows, ours: round(fits[f].ours[i]!), peer: round(fits[f].peer[i]!) })),
        exponent: { ours: eo === null ? null : round(eo), peer: ep === null ? null : round(ep), target: 'ours <= peer', met: eo !== null && ep !== null ? eo <= ep : null },
      }];
    }));
    return { peer: { versions: versions ?? null, env: PEER_ENV }, only: only ?? null, reps: opts.reps, loadAvg: { start: loadAtStart, end: os.loadavg() }, sizes: table, batchPredict: batch, timeVsRows: growth, predictCli: cli, trainCli: trainCliResult };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
