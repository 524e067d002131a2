/**
 * MongoRecordStore against the shared FerretDB of scripts/services.sh (MONGO_TEST_URL): streaming
 * scans, the ingest watermark, idempotent inserts and a replaceAll that fails midway.
 */
import { describe, expect, it } from 'vitest';
import { openMongoRecordStore } from '../../src/adapters/mongodb/record-store.js';
import type { MongoRecordStore } from '../../src/adapters/mongodb/record-store.js';
import type { RecordInput } from '../../src/ports/record-store.js';
import { uniqueName } from '../services/env.js';
import { makeRecords, scanAll, scratchDatabase } from './fixtures.js';

const { url, database, raw } = scratchDatabase('nsrs');

async function freshStore(): Promise<MongoRecordStore> {
  return openMongoRecordStore(url, { database, collection: uniqueName('c') });
}

describe('MongoRecordStore on FerretDB', () => {
  it('scans in batches, drops _id and maps "na" to null', async () => {
    const store = await freshStore();
    try {
      await store.insertBatch(makeRecords('a', 250));
      const live = raw().db(database).collection<{ _id: string } & Record<string, unknown>>(await store.liveCollectionName());
      await live.insertOne({ _id: 'na-row', _updatedAt: 1, f0: 'na', f1: 1, Result: 1 });
      const batches = await scanAll(store, { batchSize: 100 });
      const all = batches.flat();
      expect(all).toHaveLength(251);
      expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(100);
      expect(batches.length).toBeGreaterThanOrEqual(3);
      expect(all.some((r) => '_id' in r.values || '_updatedAt' in r.values)).toBe(false);
      expect(all.find((r) => r.id === 'na-row')!.values).toEqual({ f0: null, f1: 1, Result: 1 });
      expect(all.find((r) => r.id === 'a-3')!.values).toEqual(makeRecords('a', 1, 3)[0]!.values);
    } finally {
      await store.close();
    }
  });

  it('a scan since the previous watermark returns exactly the 500 new records', async () => {
    const store = await freshStore();
    try {
      await store.insertBatch(makeRecords('old', 1000));
      const watermark = await store.maxUpdatedAt();
      expect(watermark).toBeGreaterThan(0);
      const fresh = makeRecords('new', 500);
      for (let i = 0; i < fresh.length; i += 200) await store.insertBatch(fresh.slice(i, i + 200));
      const got = (await scanAll(store, { since: watermark, batchSize: 128 })).flat();
      for (let i = 1; i < got.length; i++) expect(got[i]!.updatedAt).toBeGreaterThanOrEqual(got[i - 1]!.updatedAt);
      expect(got.map((r) => r.id).sort()).toEqual(fresh.map((r) => r.id).sort());
      expect(await store.count()).toBe(1500);
    } finally {
      await store.close();
    }
  });

  it('inserting the same records twice adds nothing', async () => {
    const store = await freshStore();
    try {
      const recs = makeRecords('dup', 300);
      expect(await store.insertBatch(recs)).toEqual({ inserted: 300, skipped: 0 });
      const mixed = [...recs.slice(0, 100), ...makeRecords('dup', 50, 300)];
      expect(await store.insertBatch(mixed)).toEqual({ inserted: 50, skipped: 100 });
      expect(await store.count()).toBe(350);
    } finally {
      await store.close();
    }
  });

  it('replaceAll switches to the new records', async () => {
    const store = await freshStore();
    try {
      await store.insertBatch(makeRecords('v1', 400));
      async function* batches(): AsyncIterable<RecordInput[]> {
        for (let i = 0; i < 3; i++) yield await Promise.resolve(makeRecords('v2', 100, i * 100));
      }
      expect(await store.replaceAll(batches())).toEqual({ inserted: 300, skipped: 0 });
      expect(await store.count()).toBe(300);
      const ids = (await scanAll(store)).flat().map((r) => r.id);
      expect(ids.every((id) => id.startsWith('v2-'))).toBe(true);
      const names = (await raw().db(database).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      expect(names.filter((n) => n.startsWith(store.describe().split('.').pop()!))).toEqual([await store.liveCollectionName()]);
    } finally {
      await store.close();
    }
  });

  it('replaceAll that fails midway leaves the old data all there', async () => {
    const store = await freshStore();
    try {
      const old = makeRecords('keep', 600);
      await store.insertBatch(old);
      const liveBefore = await store.liveCollectionName();
      async function* failing(): AsyncIterable<RecordInput[]> {
        yield await Promise.resolve(makeRecords('half', 200));
        yield makeRecords('half', 200, 200);
        throw new Error('source broke after two batches');
      }
      await expect(store.replaceAll(failing())).rejects.toThrow('source broke');
      expect(await store.liveCollectionName()).toBe(liveBefore);
      expect(await store.count()).toBe(600);
      const ids = (await scanAll(store)).flat().map((r) => r.id).sort();
      expect(ids).toEqual(old.map((r) => r.id).sort());
      const names = (await raw().db(database).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      expect(names.some((n) => n.startsWith(`${liveBefore}__r`))).toBe(false);
    } finally {
      await store.close();
    }
  });
});
