/**
 * Test and benchmark helpers: parse the bundled phishing CSV text into a Dataset and make seeded
 * splits (random 80/20, and leakage-aware: rows with identical feature vectors stay on one side).
 * Pure functions; callers read the file.
 */
import type { Dataset, Matrix } from '../../core/matrix.js';
import { matrix, takeDataset } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';

/** Parses the bundled CSV (header row, numeric cells, label column `Result`). */
export function parsePhishingCsv(text: string): Dataset {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim());
  const yCol = header.indexOf('Result');
  const columns = header.filter((_, j) => j !== yCol);
  const X = matrix(lines.length - 1, columns.length);
  const y = new Float64Array(lines.length - 1);
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i]!.split(',');
    let c = 0;
    for (let j = 0; j < cells.length; j++) {
      const v = Number(cells[j]);
      if (j === yCol) y[i - 1] = v;
      else X.data[(i - 1) * columns.length + c++] = v;
    }
  }
  return { columns, X, y };
}

/** Seeded random split: `testFraction` of the rows (rounded up, as scikit-learn does) go to test. */
export function randomSplit(n: number, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  new Rng(seed).shuffle(idx);
  const nTest = Math.ceil(n * testFraction);
  return { test: idx.slice(0, nTest).sort(), train: idx.slice(nTest).sort() };
}

/** Seeded split where rows with identical feature vectors never straddle train and test. */
export function groupSplit(ds: Dataset, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  const { rows, cols, data } = ds.X;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < rows; i++) {
    const key = Array.from(data.subarray(i * cols, (i + 1) * cols)).join(',');
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  const list = [...groups.values()];
  new Rng(seed).shuffle(list);
  const target = Math.ceil(rows * testFraction);
  const test: number[] = [];
  const train: number[] = [];
  for (const g of list) (test.length < target ? test : train).push(...g);
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}

/** F1 of predictions with `positive` as the positive class. */
export function f1Score(yTrue: Float64Array, yPred: Float64Array, positive = 1): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] === positive;
    const p = yPred[i] === positive;
    if (t && p) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** The bundled CSV's location, for tests that read it. */
export const PHISHING_CSV = new URL('../../../data/phisingData.csv', import.meta.url);

/** Parses the CSV text and makes the seeded 80/20 split used by the tests. */
export function phishingSplit(text: string, seed = 42): { train: Dataset; test: Dataset } {
  const ds = parsePhishingCsv(text);
  const { train, test } = randomSplit(ds.X.rows, 0.2, seed);
  return { train: takeDataset(ds, train), test: takeDataset(ds, test) };
}

/** `rows` random vectors drawn from the training features' marginals (as the bench does). */
export function marginalRows(X: Matrix, rows: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const out = matrix(rows, X.cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < X.cols; j++) out.data[i * X.cols + j] = X.data[rng.int(X.rows) * X.cols + j]!;
  }
  return out;
}
