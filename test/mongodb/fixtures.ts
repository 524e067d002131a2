/** Synthetic records for the MongoDB tests: 30 features in {-1, 0, 1} and Result in {-1, 1}. */
import type { RecordInput, RecordStore, StoredRecord } from '../../src/ports/record-store.js';

const features = Array.from({ length: 30 }, (_, i) => `f${i}`);

/** `n` records with ids `${prefix}-${start + i}`, deterministic values. */
export function makeRecords(prefix: string, n: number, start = 0): RecordInput[] {
  return Array.from({ length: n }, (_, i) => {
    const k = start + i;
    const values: Record<string, number> = {};
    for (let j = 0; j < features.length; j++) values[features[j]!] = ((k * 7 + j * 3) % 3) - 1;
    values.Result = k % 2 === 0 ? 1 : -1;
    return { id: `${prefix}-${k}`, values };
  });
}

/** Every record of a scan, flattened. */
export async function scanAll(store: RecordStore, options: Parameters<RecordStore['scan']>[0] = {}): Promise<StoredRecord[][]> {
  const batches: StoredRecord[][] = [];
  for await (const b of store.scan(options)) batches.push(b);
  return batches;
}
