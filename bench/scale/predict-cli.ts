/**
 * The CLI end to end at scale (scale section), each command in its own process under /usr/bin/time:
 * - `predict`: a home with the bundled data loaded and a `quick` model trained, then
 *   `predict --input <rows>.csv --output scored.csv --json`, `--reps` times: wall time, rows/s and the
 *   process's peak RSS (target 300 MB);
 * - `train`: `etl` of generated rows, then `train` with the default preset, once (a second run of the
 *   same data would reuse the registered version): wall time and peak RSS
 *   (targets 5 minutes and 2 GB at 500,000 rows), with the expected time and `plan:` lines it printed.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { openSync, closeSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Dataset } from '../../src/core/matrix.js';
import { runChild } from '../child.js';
import { median } from './stats.js';

const RSS_TARGET_MB = 300;

/** Writes `ds` as a CSV with the bundled header (features, then Result), a few MB at a time. */
export function writeCsv(ds: Dataset, file: string): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, `${[...ds.columns, 'Result'].join(',')}\n`);
    const { rows, cols, data } = ds.X;
    let buf: string[] = [];
    for (let i = 0; i < rows; i++) {
      buf.push(`${Array.from(data.subarray(i * cols, (i + 1) * cols)).join(',')},${ds.y[i]}`);
      if (buf.length === 50_000) {
        writeSync(fd, `${buf.join('\n')}\n`);
        buf = [];
      }
    }
    if (buf.length > 0) writeSync(fd, `${buf.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Runs the CLI (from source) in `home` under /usr/bin/time, so its stderr ends with the peak RSS. */
const cliIn = (root: string, home: string, log: (m: string) => void) => (args: string[]) =>
  runChild('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, '--import', 'tsx', path.join(root, 'src', 'cli', 'bin.ts'), ...args], log, { NS_HOME: home });

/** Peak RSS in MB from the stderr of a cliIn run. */
function peakRss(stderr: string): number | null {
  const m = /maxrss_kb=(\d+)/.exec(stderr);
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
}

const TRAIN_TARGET_S = 300;
const TRAIN_RSS_TARGET_MB = 2048;

/**
 * `etl` of `rows` as a CSV, then `train` (default preset) end to end, each in its own process: wall
 * seconds, peak RSS of the train process, the expected time it printed and its `plan:` lines.
 */
export async function trainCli(root: string, rows: Dataset, log: (m: string) => void): Promise<Record<string, unknown>> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'ns-bench-train-'));
  const cli = cliIn(root, home, log);
  try {
    const input = path.join(home, 'train.csv');
    writeCsv(rows, input);
    log(`scale: etl of ${rows.X.rows} rows, then train --preset default`);
    let t0 = performance.now();
    const etl = await cli(['etl', '--source', input]);
    const etlSeconds = (performance.now() - t0) / 1000;
    if (etl.code !== 0) throw new Error(`etl failed (exit ${etl.code})`);
    t0 = performance.now();
    const r = await cli(['train', '--preset', 'default']);
    const seconds = (performance.now() - t0) / 1000;
    if (r.code !== 0) throw new Error(`train failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    const rss = peakRss(r.stderr);
    const expected = /expected time of the search about ([^(]+) on/.exec(r.stderr);
    return {
      rows: rows.X.rows, etlSeconds: Math.round(etlSeconds * 10) / 10, trainWallSeconds: Math.round(seconds * 10) / 10, peakRssMb: rss,
      expectedSearch: expected ? expected[1]!.trim() : null,
      plan: r.stderr.split('\n').filter((l) => l.includes('plan: ')).map((l) => l.slice(l.indexOf('plan: ') + 6).trim()),
      target: `<= ${TRAIN_TARGET_S} s, peak RSS <= ${TRAIN_RSS_TARGET_MB} MB`, met: seconds <= TRAIN_TARGET_S && rss !== null && rss <= TRAIN_RSS_TARGET_MB,
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * `predict` on a CSV of `rows`, `reps` times in a home with the bundled data loaded and a `quick` model:
 * medians of wall time and rows/s, the largest peak RSS, and each run's figures.
 */
export async function predictCli(root: string, rows: Dataset, reps: number, log: (m: string) => void): Promise<Record<string, unknown>> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'ns-bench-predict-'));
  const cli = cliIn(root, home, log);
  try {
    log('scale: predict CLI — etl and train --preset quick');
    for (const args of [['etl', '--source', path.join(root, 'data', 'phisingData.csv')], ['train', '--preset', 'quick']]) {
      const r = await cli(args);
      if (r.code !== 0) throw new Error(`${args[0]} failed (exit ${r.code})`);
    }
    const input = path.join(home, 'input.csv');
    writeCsv(rows, input);
    const runs: { wallSeconds: number; rowsPerSecondScoring: number; peakRssMb: number | null }[] = [];
    let scored = 0;
    for (let rep = 0; rep < reps; rep++) {
      log(`scale: predict CLI on ${rows.X.rows} rows (${rep + 1}/${reps})`);
      const t0 = performance.now();
      const r = await cli(['predict', '--input', input, '--output', path.join(home, 'scored.csv'), '--json']);
      const seconds = (performance.now() - t0) / 1000;
      if (r.code !== 0) throw new Error(`predict failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
      const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { rows: number; rowsPerSecond: number };
      scored = summary.rows;
      runs.push({ wallSeconds: Math.round(seconds * 100) / 100, rowsPerSecondScoring: summary.rowsPerSecond, peakRssMb: peakRss(r.stderr) });
    }
    const rss = runs.map((r) => r.peakRssMb);
    const maxRss = rss.includes(null) ? null : Math.max(...(rss as number[]));
    return {
      rows: scored, inputMb: Math.round(statSync(input).size / 1e5) / 10, wallSeconds: median(runs.map((r) => r.wallSeconds)),
      rowsPerSecondScoring: Math.round(median(runs.map((r) => r.rowsPerSecondScoring))), peakRssMb: maxRss, runs,
      target: `peak RSS <= ${RSS_TARGET_MB} MB in every run`, met: maxRss !== null && maxRss <= RSS_TARGET_MB,
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
