/**
 * FerretDB stopped under the store: a private instance (not the shared one) is killed during a scan and
 * between calls; the store fails with MONGO_UNAVAILABLE and works again once the server is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMongoRecordStore } from '../../src/adapters/mongodb/record-store.js';
import type { MongoRecordStore } from '../../src/adapters/mongodb/record-store.js';
import { startPrivateFerretDb } from '../services/ferretdb.js';
import type { PrivateFerretDb } from '../services/ferretdb.js';
import { makeRecords } from './fixtures.js';

let db: PrivateFerretDb;
let store: MongoRecordStore;

beforeAll(async () => {
  db = await startPrivateFerretDb();
  store = await openMongoRecordStore(db.url, { serverSelectionTimeoutMS: 500, retries: 1, retryBaseMs: 20 });
  await store.insertBatch(makeRecords('fault', 1200));
});

afterAll(async () => {
  await store.close();
  await db.dispose();
});

describe('FerretDB stopped', () => {
  it('fails a scan in progress with MONGO_UNAVAILABLE', async () => {
    const iterator = store.scan({ batchSize: 100 })[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    await db.stop();
    let seen = 0;
    const drain = async (): Promise<void> => {
      for (;;) {
        const r = await iterator.next();
        if (r.done) return;
        seen += r.value.length;
      }
    };
    await expect(drain()).rejects.toMatchObject({ code: 'MONGO_UNAVAILABLE', kind: 'unavailable' });
    expect(seen).toBeLessThan(1100);
    await db.start();
  });

  it('fails calls while down and recovers when it is back', async () => {
    await db.stop();
    await expect(store.count()).rejects.toMatchObject({ code: 'MONGO_UNAVAILABLE' });
    await expect(store.insertBatch(makeRecords('late', 5))).rejects.toMatchObject({ code: 'MONGO_UNAVAILABLE' });
    await db.start();
    expect(await store.count()).toBe(1200);
  });
});
