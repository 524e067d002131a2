/**
 * The `predict` command end to end on a large CSV (scale section): a home with the bundled data
 * loaded and a `quick` model trained, then `predict --input <rows>.csv --output scored.csv --json` in
 * its own process under /usr/bin/time: wall time, rows/s and the process's peak RSS (target 300 MB).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { openSync, closeSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Dataset } from '../../src/core/matrix.js';
import { runChild } from '../child.js';

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

export async function predictCli(root: string, rows: Dataset, log: (m: string) => void): Promise<Record<string, unknown>> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'ns-bench-predict-'));
  const cli = (args: string[]) => runChild('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, '--import', 'tsx', path.join(root, 'src', 'cli', 'bin.ts'), ...args], log, { NS_HOME: home });
  try {
    log('scale: predict CLI — etl and train --preset quick');
    for (const args of [['etl', '--source', path.join(root, 'data', 'phisingData.csv')], ['train', '--preset', 'quick']]) {
      const r = await cli(args);
      if (r.code !== 0) throw new Error(`${args[0]} failed (exit ${r.code})`);
    }
    const input = path.join(home, 'input.csv');
    writeCsv(rows, input);
    log(`scale: predict CLI on ${rows.X.rows} rows`);
    const t0 = performance.now();
    const r = await cli(['predict', '--input', input, '--output', path.join(home, 'scored.csv'), '--json']);
    const seconds = (performance.now() - t0) / 1000;
    if (r.code !== 0) throw new Error(`predict failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { rows: number; rowsPerSecond: number };
    const m = /maxrss_kb=(\d+)/.exec(r.stderr);
    const rss = m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
    return {
      rows: summary.rows, inputMb: Math.round(statSync(input).size / 1e5) / 10, wallSeconds: Math.round(seconds * 100) / 100,
      rowsPerSecondScoring: summary.rowsPerSecond, peakRssMb: rss, target: `peak RSS <= ${RSS_TARGET_MB} MB`, met: rss !== null && rss <= RSS_TARGET_MB,
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
