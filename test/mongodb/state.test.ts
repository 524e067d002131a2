/**
 * The shared state in MongoDB (NS_STATE_URL) against the FerretDB of scripts/services.sh: the same
 * contract suites as the SQLite state file (each test in a database of its own), then what only the
 * MongoDB run lock does — a lease that a holder renews and a dead holder loses after its lifetime.
 */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoRegistry } from '../../src/adapters/mongodb/registry.js';
import { MongoRunStore } from '../../src/adapters/mongodb/run-store.js';
import { openMongoState, type MongoOp, type MongoState } from '../../src/adapters/mongodb/state.js';
import type { RunStore } from '../../src/ports/run-store.js';
import type { StateRegistry } from '../../src/ports/registry.js';
import { registryContract, runStoreContract, type StoreFactory } from '../../src/ports/state-contract.test-helpers.js';
import { freePort, serviceEnv, uniqueName } from '../services/env.js';

const url = serviceEnv('MONGO_TEST_URL');
const databases: string[] = [];
let raw: MongoClient;
beforeAll(async () => {
  raw = new MongoClient(url);
  await raw.connect();
});
afterAll(async () => {
  for (const d of databases) await raw.db(d).dropDatabase();
  await raw.close();
});

/** States on a fresh database per test (`open`), or more connections to the last one (`second`). */
function factory<S>(pick: (s: MongoState) => S, lockTtlMs = 30_000): StoreFactory<S> & { database: () => string } {
  const opened: MongoState[] = [];
  let database = '';
  const connect = (): S => {
    const state = openMongoState(url.replace(/\/?$/, `/${database}`), { lockTtlMs });
    opened.push(state);
    return pick(state);
  };
  return {
    open: () => {
      database = uniqueName('nsst');
      databases.push(database);
      return Promise.resolve(connect());
    },
    second: () => Promise.resolve(connect()),
    closeAll: async () => {
      for (const s of opened.splice(0)) await s.close();
    },
    database: () => database,
  };
}

registryContract('MongoDB (FerretDB)', factory<StateRegistry>((s) => s.registry));
runStoreContract('MongoDB (FerretDB)', factory<RunStore>((s) => s.runs));

describe('writes retried after a lost answer', () => {
  it('a lock take, run record, version or alias move that landed and is sent again is recognised as its own', async () => {
    const database = uniqueName('nsst');
    databases.push(database);
    const client = new MongoClient(url);
    try {
      // Every operation runs twice, as the retry does when the first answer is lost after the write.
      const replaying: MongoOp = async (_doing, fn) => {
        await fn().catch(() => undefined);
        return fn();
      };
      const runs = new MongoRunStore(client.db(database), replaying, 30_000);
      const lease = await runs.acquireLock();
      const run = { id: 'run-replayed', status: 'running' as const, startedAt: new Date().toISOString(), finishedAt: null, lastStage: null, summary: {}, error: null };
      await runs.create(run);
      expect(await runs.get('run-replayed')).toMatchObject({ id: 'run-replayed', status: 'running' });
      await expect(runs.create({ ...run, startedAt: '2000-01-01T00:00:00.000Z' })).rejects.toMatchObject({ code: 'RUN_EXISTS' });
      await lease.release();
      const registry = new MongoRegistry(client.db(database), replaying, 'replayed');
      const v = await registry.register({ runId: 'run-replayed', bundleKey: 'k', bundleSha256: 'ab', modelKind: 'random_forest', metrics: {}, snapshotSha256: 'cd', schemaHash: 'ef' });
      expect((await registry.list()).map((x) => x.version)).toEqual([v.version]);
      await registry.setAlias('champion', v.version, null, 'first');
      await registry.setAlias('champion', v.version, v.version, 'the same version again');
      expect((await registry.history('champion')).map((c) => c.reason)).toEqual(['the same version again', 'first']);
    } finally {
      await client.close();
    }
  });
});

describe('the MongoDB run lock as a lease', () => {
  const leaseOf = (database: string) => raw.db(database).collection<{ _id: string; expiresAt: number; host: string; pid: number; runId: string | null; owner: string }>('ns_run_lock');

  it('refuses while a holder on another machine holds the lease, and frees the lock once it expires', async () => {
    const f = factory<RunStore>((s) => s.runs, 400);
    try {
      const runs = await f.open();
      await leaseOf(f.database()).insertOne({ _id: 'run', owner: 'elsewhere', host: 'other-host', pid: 4242, runId: 'run-far', expiresAt: Date.now() + 600 });
      await expect(runs.acquireLock()).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS', details: { runId: 'run-far', host: 'other-host', pid: 4242 } });
      await new Promise((r) => setTimeout(r, 700));
      const lease = await runs.acquireLock();
      expect(await leaseOf(f.database()).findOne({ _id: 'run' })).toMatchObject({ pid: process.pid, runId: null });
      await lease.release();
      expect(await leaseOf(f.database()).countDocuments({})).toBe(0);
    } finally {
      await f.closeAll();
    }
  });

  it('keeps a live holder\'s lease past its lifetime by renewing it', async () => {
    // Renewed every 500 ms; after 4 s (2.7 lifetimes) the lease stands only if renewals landed.
    const f = factory<RunStore>((s) => s.runs, 1500);
    try {
      const runs = await f.open();
      const lease = await runs.acquireLock();
      await lease.setRun('run-long');
      await new Promise((r) => setTimeout(r, 4000));
      await expect((await f.second()).acquireLock()).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS', details: { runId: 'run-long' } });
      await lease.release();
    } finally {
      await f.closeAll();
    }
  });

  it('lets a holder whose lease expired neither rename nor release the next holder\'s', async () => {
    const f = factory<RunStore>((s) => s.runs);
    try {
      const first = await f.open();
      const stale = await first.acquireLock();
      await leaseOf(f.database()).updateOne({ _id: 'run' }, { $set: { expiresAt: Date.now() - 1 } });
      const next = await (await f.second()).acquireLock();
      await next.setRun('run-next');
      expect(stale.lost.aborted).toBe(false);
      await stale.setRun('run-stale');
      // The refused rename tells the stale holder it lost the lease; the live holder keeps its own.
      expect(stale.lost.reason).toMatchObject({ code: 'RUN_LOCK_LOST' });
      expect(next.lost.aborted).toBe(false);
      await stale.release();
      await expect((await f.second()).acquireLock()).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS', details: { runId: 'run-next' } });
      await next.release();
    } finally {
      await f.closeAll();
    }
  });
});

describe('openMongoState', () => {
  it('takes the database from the URL, and refuses a URL the driver cannot parse with MONGO_URL_INVALID', async () => {
    const state = openMongoState(`${url.replace(/\/$/, '')}/nsstnamed?serverSelectionTimeoutMS=2000`);
    try {
      expect(state.describe()).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/nsstnamed$/);
    } finally {
      await state.close();
    }
    expect(() => openMongoState('mongodb://127.0.0.1:27017/db?unknownTimeoutOption=banana&maxPoolSize=-3')).toThrow(expect.objectContaining({
      code: 'MONGO_URL_INVALID', hint: expect.stringContaining('NS_STATE_URL') as unknown,
    }) as Error);
  });

  it('names NS_STATE_URL when the server cannot be reached (MONGO_UNAVAILABLE, no password shown)', async () => {
    const state = openMongoState(`mongodb://ns:s3cret-pw@127.0.0.1:${await freePort()}/nsstdown`, { serverSelectionTimeoutMS: 300 });
    try {
      const err = await state.runs.list().then(() => undefined, (e: unknown) => e as { code: string; kind: string; hint: string; message: string });
      expect(err).toMatchObject({ code: 'MONGO_UNAVAILABLE', kind: 'unavailable', hint: expect.stringContaining('NS_STATE_URL') as unknown });
      expect(err!.message).not.toContain('s3cret-pw');
    } finally {
      await state.close();
    }
  }, 30_000);
});
