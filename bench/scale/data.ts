/**
 * Data of the scale benchmark: rows made from the bundled data set the way a user with more traffic
 * would see them — each row a bundled row (drawn at random, label kept) with 3 of its 30 features
 * re-drawn uniformly from the values that feature takes in the bundled data, so most rows are distinct
 * vectors (the share is measured and printed per size). Seeded: the same (rows, seed) give the same rows on every machine.
 * Stored for the peer as int8 files (rows x 30 features, then rows labels -1/1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Dataset } from '../../src/core/matrix.js';
import { matrix } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { binColumns, fitBinMapper } from '../../src/ml/trees/binning.js';
import { compactBins } from '../../src/ml/trees/compact.js';
import { parsePhishingCsv } from '../../src/ml/trees/phishing.test-helpers.js';

/** Features re-drawn per row. */
export const REDRAWN = 3;

export function loadBundled(root: string): Dataset {
  return parsePhishingCsv(readFileSync(path.join(root, 'data', 'phisingData.csv'), 'utf8'));
}

/** `rows` rows drawn from `base` with REDRAWN features re-drawn per row (seeded). */
export function scaledRows(base: Dataset, rows: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const { cols, data } = base.X;
  const n0 = base.X.rows;
  const X = matrix(rows, cols);
  const y = new Float64Array(rows);
  const order = new Int32Array(cols);
  const values: number[][] = [];
  for (let f = 0; f < cols; f++) {
    const seen = new Set<number>();
    for (let i = 0; i < n0; i++) seen.add(data[i * cols + f]!);
    values.push([...seen].sort((a, b) => a - b));
  }
  for (let i = 0; i < rows; i++) {
    const r = rng.int(n0);
    X.data.set(data.subarray(r * cols, (r + 1) * cols), i * cols);
    y[i] = base.y[r]!;
    for (let f = 0; f < cols; f++) order[f] = f;
    for (let k = 0; k < REDRAWN; k++) {
      const j = k + rng.int(cols - k);
      const f = order[j]!;
      order[j] = order[k]!;
      order[k] = f;
      const vs = values[f]!;
      X.data[i * cols + f] = vs[rng.int(vs.length)]!;
    }
  }
  return { columns: base.columns, X, y };
}

/** Share of rows that are distinct feature vectors (distinct vectors / rows). */
export function distinctShare(ds: Dataset): number {
  const mapper = fitBinMapper(ds.X);
  return compactBins(binColumns(ds.X, mapper), ds.X.rows, ds.X.cols).n / ds.X.rows;
}

/** Writes X (int8, row-major) and y (int8) of `ds` to `<file>.X.i8` / `<file>.y.i8`. */
export function writeInt8(ds: Dataset, file: string): void {
  writeFileSync(`${file}.X.i8`, Int8Array.from(ds.X.data));
  writeFileSync(`${file}.y.i8`, Int8Array.from(ds.y));
}

/** Reads what writeInt8 wrote (30 feature columns named as the bundled data). */
export function readInt8(file: string, columns: string[]): Dataset {
  const xb = readFileSync(`${file}.X.i8`);
  const yb = readFileSync(`${file}.y.i8`);
  const Xi = new Int8Array(xb.buffer, xb.byteOffset, xb.byteLength);
  const yi = new Int8Array(yb.buffer, yb.byteOffset, yb.byteLength);
  const X = matrix(yi.length, columns.length, Float64Array.from(Xi));
  return { columns, X, y: Float64Array.from(yi) };
}
