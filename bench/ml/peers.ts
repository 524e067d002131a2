/**
 * Runs bench/peers/peer_trees.py in the peer venv (scripts/peers-venv.sh; override with PEERS_PYTHON)
 * on exactly our splits and prediction rows, and returns its parsed JSON — or null with the reason
 * when the venv or a library is missing.
 */
import { runChild } from '../child.js';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchData } from './data.js';

/**
 * Two OpenMP threads, as n_jobs=2; passive waiting, because on a shared, oversubscribed machine
 * XGBoost's spinning threads otherwise slow its fit down 50-100x, which would flatter us.
 */
export const PEER_ENV = { OMP_NUM_THREADS: '2', OMP_WAIT_POLICY: 'PASSIVE' } as const;

export interface PeerTiming {
  fit_s: number[];
  f1: number;
  batch_s?: number[];
  batch_s_single_thread?: number[];
  one_row_s_median?: number;
}

export interface PeerResult {
  versions: Record<string, string>;
  splits: Record<string, Record<'random_forest' | 'hist_gradient_boosting', PeerTiming>>;
}

/** Runs the peers; resolves to the result or to { error }. */
export async function runPeers(root: string, data: BenchData, reps: number, log: (m: string) => void): Promise<PeerResult | { error: string }> {
  const python = process.env.PEERS_PYTHON ?? path.join(root, '.cache', 'venv-peers', 'bin', 'python');
  if (!existsSync(python)) return { error: `no peer Python at ${python}; run: bash scripts/peers-venv.sh` };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ns-bench-'));
  try {
    const bigFile = path.join(dir, 'big.f64');
    const b = data.big.data;
    writeFileSync(bigFile, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    const spec = {
      csv: data.csv, big: bigFile, bigRows: data.big.rows, reps, batchSplit: 'random_split',
      splits: Object.fromEntries(data.splits.map((s) => [s.name, { train: Array.from(s.trainIdx), test: Array.from(s.testIdx) }])),
    };
    const specFile = path.join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    const script = path.join(root, 'bench', 'peers', 'peer_trees.py');
    const { code, stdout, stderr } = await runChild(python, [script, specFile], log, PEER_ENV);
    if (code !== 0) return { error: `peer script failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}` };
    return JSON.parse(stdout) as PeerResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
