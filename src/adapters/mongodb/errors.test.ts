import { describe, expect, it } from 'vitest';
import { NsError } from '../../core/errors.js';
import { isTransientMongoError, toMongoNsError, withMongoRetry } from './errors.js';

const ctx = { hosts: 'db.local:27017', secrets: ['hunter2'] };

function driverError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const e = new Error(message);
  e.name = name;
  Object.assign(e, extra);
  return e;
}

describe('toMongoNsError', () => {
  it('maps a refused connection to MONGO_UNAVAILABLE naming the host and reason', () => {
    const err = toMongoNsError(driverError('MongoServerSelectionError', 'connect ECONNREFUSED 127.0.0.1:1'), ctx, 'scanning');
    expect(err.code).toBe('MONGO_UNAVAILABLE');
    expect(err.kind).toBe('unavailable');
    expect(err.message).toContain('db.local:27017');
    expect(err.message).toContain('ECONNREFUSED');
  });
  it('says "host not found" for DNS failures', () => {
    const err = toMongoNsError(driverError('MongoServerSelectionError', 'getaddrinfo ENOTFOUND nohost'), ctx);
    expect(err.message).toContain('host not found');
  });
  it('maps authentication failures to MONGO_AUTH without the password', () => {
    const err = toMongoNsError(driverError('MongoServerError', 'Authentication failed for hunter2', { code: 18 }), ctx);
    expect(err.code).toBe('MONGO_AUTH');
    expect(err.kind).toBe('auth');
    expect(err.toLine()).not.toContain('hunter2');
  });
  it('maps parse errors to MONGO_URL_INVALID (config)', () => {
    const err = toMongoNsError(driverError('MongoParseError', 'Invalid scheme'), ctx);
    expect(err.code).toBe('MONGO_URL_INVALID');
    expect(err.kind).toBe('config');
  });
  it('classifies transient errors', () => {
    expect(isTransientMongoError(driverError('MongoNetworkError', 'reset'))).toBe(true);
    expect(isTransientMongoError(driverError('MongoServerError', 'x', { code: 91 }))).toBe(true);
    expect(isTransientMongoError(driverError('MongoServerError', 'dup', { code: 11000 }))).toBe(false);
    expect(isTransientMongoError(driverError('Error', 'This socket has been ended by the other party', { code: 'EPIPE' }))).toBe(true);
  });
});

describe('withMongoRetry', () => {
  it('retries transient errors, then succeeds', async () => {
    let calls = 0;
    const value = await withMongoRetry(async () => {
      calls++;
      await Promise.resolve();
      if (calls < 3) throw driverError('MongoNetworkError', 'reset');
      return 'ok';
    }, { retries: 3, baseMs: 1 }, ctx, 'testing');
    expect(value).toBe('ok');
    expect(calls).toBe(3);
  });
  it('gives up after the retries with a clear NsError', async () => {
    let calls = 0;
    const run = withMongoRetry(async () => {
      calls++;
      await Promise.resolve();
      throw driverError('MongoNetworkError', 'connect ECONNREFUSED');
    }, { retries: 2, baseMs: 1 }, ctx, 'testing');
    await expect(run).rejects.toMatchObject({ code: 'MONGO_UNAVAILABLE' });
    expect(calls).toBe(3);
  });
  it('does not retry permanent errors', async () => {
    let calls = 0;
    const run = withMongoRetry(async () => {
      calls++;
      await Promise.resolve();
      throw driverError('MongoServerError', 'bad', { code: 2 });
    }, { retries: 5, baseMs: 1 }, ctx, 'testing');
    await expect(run).rejects.toBeInstanceOf(NsError);
    expect(calls).toBe(1);
  });
});
