/**
 * Conversions between the record store's records, in-memory Datasets and the CSV artifacts of a run
 * (feature-store snapshot, train and test files). Missing values are NaN in memory and empty cells in CSV.
 */
import { NsError } from '../core/errors.js';
import { toAsync } from '../core/iter.js';
import { matrix, type Dataset } from '../core/matrix.js';
import { readRecordsCsv, type RowError } from '../data/records.js';
import type { Schema } from '../data/schema.js';
import type { StoredRecord } from '../ports/record-store.js';

/** Grows typed arrays while records stream in, without per-row objects. */
export class DatasetBuilder {
  private X: Float64Array;
  private y: Float64Array;
  rows = 0;
  maxUpdatedAt = 0;

  constructor(private readonly schema: Schema, capacity = 16384) {
    this.X = new Float64Array(capacity * schema.features.length);
    this.y = new Float64Array(capacity);
  }

  add(records: readonly StoredRecord[]): void {
    const d = this.schema.features.length;
    const need = this.rows + records.length;
    if (need > this.y.length) {
      const cap = Math.max(need, this.y.length * 2);
      const X = new Float64Array(cap * d);
      X.set(this.X.subarray(0, this.rows * d));
      const y = new Float64Array(cap);
      y.set(this.y.subarray(0, this.rows));
      this.X = X;
      this.y = y;
    }
    const { features, target } = this.schema;
    for (const r of records) {
      const base = this.rows * d;
      for (let j = 0; j < d; j++) {
        const v = r.values[features[j]!];
        this.X[base + j] = v === null || v === undefined ? NaN : v;
      }
      const label = r.values[target];
      this.y[this.rows] = label === null || label === undefined ? NaN : label;
      if (r.updatedAt > this.maxUpdatedAt) this.maxUpdatedAt = r.updatedAt;
      this.rows++;
    }
  }

  build(): Dataset {
    const d = this.schema.features.length;
    return { columns: this.schema.features, X: matrix(this.rows, d, this.X.slice(0, this.rows * d)), y: this.y.slice(0, this.rows) };
  }
}

/** Concatenates datasets with the same columns. */
export function concatDatasets(a: Dataset, b: Dataset): Dataset {
  const X = new Float64Array(a.X.data.length + b.X.data.length);
  X.set(a.X.data);
  X.set(b.X.data, a.X.data.length);
  const y = new Float64Array(a.y.length + b.y.length);
  y.set(a.y);
  y.set(b.y, a.y.length);
  return { columns: a.columns, X: matrix(a.X.rows + b.X.rows, a.X.cols, X), y };
}

export function datasetToCsv(ds: Dataset, schema: Schema): string {
  const parts: string[] = [[...schema.features, schema.target].join(',')];
  const d = ds.X.cols;
  for (let i = 0; i < ds.X.rows; i++) {
    const cells = new Array<string>(d + 1);
    for (let j = 0; j < d; j++) {
      const v = ds.X.data[i * d + j]!;
      cells[j] = Number.isNaN(v) ? '' : String(v);
    }
    const label = ds.y[i]!;
    cells[d] = Number.isNaN(label) ? '' : String(label);
    parts.push(cells.join(','));
  }
  return parts.join('\n') + '\n';
}

/** Reads a schema-conformant CSV (e.g. a feature-store snapshot) into a Dataset plus its row errors. */
export async function datasetFromCsv(bytes: Uint8Array, schema: Schema): Promise<{ dataset: Dataset; errors: RowError[] }> {
  const result = await readRecordsCsv(toAsync([bytes]), schema, { requireTarget: true });
  return { dataset: { columns: schema.features, X: result.X, y: result.y ?? new Float64Array(result.X.rows) }, errors: result.errors };
}

/**
 * Binary form of a Dataset for a run's internal artifacts (train/test splits): a JSON header line with
 * the shape and columns, then X and y as little-endian float64. Exact, and far faster than CSV.
 */
export function encodeDataset(ds: Dataset): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ format: 'nsds/1', rows: ds.X.rows, cols: ds.X.cols, columns: ds.columns }));
  const start = (4 + header.length + 7) & ~7;
  const out = new Uint8Array(start + (ds.X.data.length + ds.y.length) * 8);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  const f = new Float64Array(out.buffer, start);
  f.set(ds.X.data);
  f.set(ds.y, ds.X.data.length);
  return out;
}

export function decodeDataset(bytes: Uint8Array, name: string): Dataset {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const len = view.getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + len))) as { format: string; rows: number; cols: number; columns: string[] };
    const start = (4 + len + 7) & ~7;
    const n = header.rows * header.cols;
    if (header.format !== 'nsds/1' || bytes.length !== start + (n + header.rows) * 8) throw new Error('size mismatch');
    const f = new Float64Array(bytes.slice(start).buffer);
    return { columns: header.columns, X: matrix(header.rows, header.cols, f.slice(0, n)), y: f.slice(n) };
  } catch (e) {
    throw new NsError('ARTIFACT_CORRUPT', `The run artifact ${name} cannot be read (${(e as Error).message}).`, {
      kind: 'state', cause: e, hint: 'Re-run the pipeline from ingest (`networksecurity train --from ingest`).',
    });
  }
}
