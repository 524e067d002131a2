/**
 * Connection problems give one clear NsError line that never contains the password: bad credentials
 * (FerretDB refuses them), an unreachable port, and a malformed URL.
 */
import { describe, expect, it } from 'vitest';
import { openMongoRecordStore } from '../../src/adapters/mongodb/record-store.js';
import { freePort, serviceEnv } from '../services/env.js';
import { failure } from '../services/failure.js';

const url = serviceEnv('MONGO_TEST_URL');
const secret = 'Sup3r-s3cret-pw';

describe('MongoDB connection errors', () => {
  it('bad credentials: MONGO_AUTH, no password in any text', async () => {
    const withCreds = url.replace('mongodb://', `mongodb://alice:${secret}@`);
    const err = await failure(openMongoRecordStore(withCreds, { retries: 0 }));
    expect(err.code).toBe('MONGO_AUTH');
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('127.0.0.1');
    expect(JSON.stringify(err.toJSON()) + err.toLine() + String(err.stack)).not.toContain(secret);
  });

  it('unreachable host: MONGO_UNAVAILABLE naming host and reason, after retries', async () => {
    const port = await freePort();
    const err = await failure(openMongoRecordStore(`mongodb://bob:${secret}@127.0.0.1:${port}/`, {
      serverSelectionTimeoutMS: 300, retries: 2, retryBaseMs: 10,
    }));
    expect(err.code).toBe('MONGO_UNAVAILABLE');
    expect(err.kind).toBe('unavailable');
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.toLine()).not.toContain(secret);
  });

  it('malformed URL: MONGO_URL_INVALID (config)', async () => {
    const err = await failure(openMongoRecordStore(`mongo://bob:${secret}@h/`));
    expect(err.code).toBe('MONGO_URL_INVALID');
    expect(err.kind).toBe('config');
    expect(err.toLine()).not.toContain(secret);
  });

  it('describe() redacts the password', async () => {
    const store = await openMongoRecordStore(url, { database: 'nsdescribe', collection: 'phishingdata' });
    try {
      expect(store.describe()).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/nsdescribe\.phishingdata$/);
    } finally {
      await store.close();
    }
  });
});
