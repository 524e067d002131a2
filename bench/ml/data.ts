/**
 * Benchmark data: the bundled CSV, the two seeded 80/20 splits (random; leakage-aware with identical
 * feature vectors on one side) and the 220k-row prediction set drawn from the training features'
 * marginals (distinct random vectors, not copies of real rows).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Dataset, Matrix } from '../../src/core/matrix.js';
import { matrix, takeDataset } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { groupSplit, parsePhishingCsv, randomSplit } from '../../src/ml/trees/phishing.test-helpers.js';

export interface BenchSplit {
  name: 'random_split' | 'group_split';
  trainIdx: Int32Array;
  testIdx: Int32Array;
  train: Dataset;
  test: Dataset;
}

export interface BenchData {
  csv: string;
  all: Dataset;
  splits: BenchSplit[];
  big: Matrix;
}

/** Loads the data and makes the splits and the big prediction set (seeded). */
export function loadBenchData(root: string, bigRows: number): BenchData {
  const csv = path.join(root, 'data', 'phisingData.csv');
  const all = parsePhishingCsv(readFileSync(csv, 'utf8'));
  const make = (name: BenchSplit['name'], s: { train: Int32Array; test: Int32Array }): BenchSplit => ({
    name, trainIdx: s.train, testIdx: s.test, train: takeDataset(all, s.train), test: takeDataset(all, s.test),
  });
  const splits = [make('random_split', randomSplit(all.X.rows, 0.2, 42)), make('group_split', groupSplit(all, 0.2, 42))];
  const train = splits[0]!.train.X;
  const rng = new Rng(0);
  const big = matrix(bigRows, train.cols);
  for (let i = 0; i < bigRows; i++) {
    for (let j = 0; j < train.cols; j++) big.data[i * train.cols + j] = train.data[rng.int(train.rows) * train.cols + j]!;
  }
  return { csv, all, splits, big };
}
