/**
 * The two record shapes of MongoRecordStore against the shared FerretDB (MONGO_TEST_URL): packed
 * (default) and flat (MONGO_RECORD_FORMAT=flat, the original project's shape), what lands in the
 * collection for each, and a reader that takes both from the same collection.
 */
import { Binary } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { openMongoRecordStore, parseRecordFormat } from '../../src/adapters/mongodb/record-store.js';
import type { MongoRecordFormat, MongoRecordStore } from '../../src/adapters/mongodb/record-store.js';
import { uniqueName } from '../services/env.js';
import { makeRecords, scanAll, scratchDatabase } from './fixtures.js';

const { url, database, raw } = scratchDatabase('nsfmt');

async function store(collection: string, recordFormat?: MongoRecordFormat): Promise<MongoRecordStore> {
  return openMongoRecordStore(url, { database, collection, ...(recordFormat ? { recordFormat } : {}) });
}

async function rawDoc(s: MongoRecordStore, id: string): Promise<Record<string, unknown> | null> {
  return raw().db(database).collection<{ _id: string }>(await s.liveCollectionName()).findOne({ _id: id });
}

describe('record formats on FerretDB', () => {
  it('packed (the default) stores _id, _updatedAt and one Binary, and reads the records back', async () => {
    expect([parseRecordFormat(undefined), parseRecordFormat(''), parseRecordFormat('flat')]).toEqual(['packed', 'packed', 'flat']);
    const s = await store(uniqueName('p'), 'packed');
    try {
      expect(s.recordFormat).toBe('packed');
      const recs = makeRecords('p', 120);
      recs[5] = { id: recs[5]!.id, values: { ...recs[5]!.values, f3: null } };
      expect(await s.insertBatch(recs)).toEqual({ inserted: 120, skipped: 0 });
      const doc = await rawDoc(s, 'p-5');
      expect(Object.keys(doc!).sort()).toEqual(['_id', '_r', '_updatedAt']);
      expect(doc!._r).toBeInstanceOf(Binary);
      const got = (await scanAll(s, { batchSize: 50 })).flat();
      expect(got).toHaveLength(120);
      const byId = new Map(got.map((r) => [r.id, r.values]));
      for (const r of recs) expect(byId.get(r.id)).toEqual(r.values);
      expect(byId.get('p-5')!.f3).toBeNull();
      expect(Object.keys(byId.get('p-0')!)).toEqual(Object.keys(recs[0]!.values));
      expect(await s.count()).toBe(120);
      expect(await s.insertBatch(recs.slice(0, 30))).toEqual({ inserted: 0, skipped: 30 });
    } finally {
      await s.close();
    }
  });

  it('flat stores one field per column, as the original project did', async () => {
    const s = await store(uniqueName('f'), 'flat');
    try {
      const recs = makeRecords('f', 40);
      await s.insertBatch(recs);
      const doc = await rawDoc(s, 'f-7');
      expect(doc).toMatchObject({ _id: 'f-7', ...recs[7]!.values });
      expect(doc!._r).toBeUndefined();
      expect((await scanAll(s)).flat().find((r) => r.id === 'f-7')!.values).toEqual(recs[7]!.values);
    } finally {
      await s.close();
    }
  });

  it('reads original flat documents, flat and packed ones of ours in one collection', async () => {
    const name = uniqueName('m');
    const flat = await store(name, 'flat');
    const packed = await store(name, 'packed');
    try {
      await raw().db(database).collection(name).insertOne({ having_IP_Address: 'na', Result: -1 });
      await flat.insertBatch(makeRecords('fl', 10));
      await packed.insertBatch(makeRecords('pk', 10));
      // A value that does not fit a byte is stored flat even by the packed writer.
      await packed.insertBatch([{ id: 'wide', values: { f0: 1000, Result: 1 } }]);
      expect(await rawDoc(packed, 'wide')).toMatchObject({ f0: 1000, Result: 1 });
      const fresh = await store(name);
      try {
        const got = (await scanAll(fresh)).flat();
        expect(got).toHaveLength(22);
        const original = got.find((r) => r.updatedAt === 0)!;
        expect(original.values).toEqual({ having_IP_Address: null, Result: -1 });
        expect(got.find((r) => r.id === 'pk-3')!.values).toEqual(makeRecords('pk', 1, 3)[0]!.values);
        expect(got.find((r) => r.id === 'fl-3')!.values).toEqual(makeRecords('fl', 1, 3)[0]!.values);
        expect(got.find((r) => r.id === 'wide')!.values).toEqual({ f0: 1000, Result: 1 });
        expect(await fresh.count()).toBe(22);
      } finally {
        await fresh.close();
      }
    } finally {
      await flat.close();
      await packed.close();
    }
  });

  it('packed records whose layout is gone fail the scan with MONGO_LAYOUT_MISSING', async () => {
    const db = uniqueName('nslost');
    const s = await openMongoRecordStore(url, { database: db, collection: 'c' });
    try {
      await s.insertBatch(makeRecords('x', 5));
      await raw().db(db).collection('ns_layouts').deleteMany({});
      const reader = await openMongoRecordStore(url, { database: db, collection: 'c' });
      try {
        await expect(scanAll(reader)).rejects.toMatchObject({ code: 'MONGO_LAYOUT_MISSING' });
      } finally {
        await reader.close();
      }
    } finally {
      await s.close();
      await raw().db(db).dropDatabase();
    }
  });

  it('an unknown MONGO_RECORD_FORMAT is a config error that names the value', async () => {
    const before = process.env.MONGO_RECORD_FORMAT;
    process.env.MONGO_RECORD_FORMAT = 'columnar';
    try {
      await expect(store(uniqueName('e'))).rejects.toMatchObject({ code: 'MONGO_RECORD_FORMAT_INVALID', kind: 'config' });
    } finally {
      if (before === undefined) delete process.env.MONGO_RECORD_FORMAT;
      else process.env.MONGO_RECORD_FORMAT = before;
    }
  });
});
