/** Synthetic records for the MongoDB tests: 30 features in {-1, 0, 1} and Result in {-1, 1}. */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';
import type { RecordInput, RecordStore, StoredRecord } from '../../src/ports/record-store.js';
import { serviceEnv, uniqueName } from '../services/env.js';

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

/**
 * A database of its own for the calling test file on the shared FerretDB (MONGO_TEST_URL), with a raw
 * client connected before its tests; the database is dropped and the client closed after them.
 */
export function scratchDatabase(prefix: string): { url: string; database: string; raw: () => MongoClient } {
  const url = serviceEnv('MONGO_TEST_URL');
  const database = uniqueName(prefix);
  let client: MongoClient | undefined;
  beforeAll(async () => {
    client = new MongoClient(url);
    await client.connect();
  });
  afterAll(async () => {
    await client?.db(database).dropDatabase();
    await client?.close();
  });
  return {
    url, database,
    raw: () => {
      if (client === undefined) throw new Error('scratchDatabase: the client connects in beforeAll');
      return client;
    },
  };
}
