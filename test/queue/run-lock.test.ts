/**
 * The Redis run lock against the real Redis: one holder at a time, the refused caller is told who
 * holds it, a holder that stops renewing (a dead process) loses it after its expiry, and a live holder
 * keeps it by renewing.
 */
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { RedisRunLock } from '../../src/adapters/bullmq/run-lock.js';
import { NsError } from '../../src/core/errors.js';
import { serviceEnv, uniqueName } from '../services/env.js';

const redis = new Redis(serviceEnv('REDIS_TEST_URL'));
const key = `${uniqueName('nstest13-lock-')}:run-lock`;

afterAll(async () => {
  await redis.del(key);
  redis.disconnect();
});

it('one holder at a time; refused callers learn the holder; release frees it', async () => {
  const lock = new RedisRunLock(redis, key, 5000);
  const lease = await lock.acquire();
  await lease.setRun('run-a');
  const refused = await lock.acquire().then(() => null, (e: unknown) => e);
  expect(refused).toBeInstanceOf(NsError);
  expect(refused).toMatchObject({ code: 'RUN_IN_PROGRESS', kind: 'conflict', details: { runId: 'run-a', pid: process.pid } });
  await lease.release();
  const again = await lock.acquire();
  await again.release();
});

it('a holder that stops renewing loses the lock after its expiry; a live holder keeps it', async () => {
  const lock = new RedisRunLock(redis, key, 600);
  // A dead holder: the key as a holder leaves it, with nobody renewing it.
  await redis.set(key, JSON.stringify({ owner: 'dead', pid: 1, host: 'gone', runId: 'run-dead' }), 'PX', 600);
  await expect(lock.acquire()).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS' });
  await new Promise((r) => setTimeout(r, 800));
  const lease = await lock.acquire();
  // Renewed while held: still held after several expiry periods.
  await new Promise((r) => setTimeout(r, 1500));
  await expect(lock.acquire()).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS' });
  await lease.release();
  expect(await redis.exists(key)).toBe(0);
});

it('a holder learns it lost the lock when its key is taken by another owner, and not while it holds it', async () => {
  const lock = new RedisRunLock(redis, key, 900);
  const lease = await lock.acquire();
  await new Promise((r) => setTimeout(r, 700));
  expect(lease.lost.aborted).toBe(false);
  // Another process's key, as after this holder's expired unseen (a long pause) and someone took it.
  await redis.set(key, JSON.stringify({ owner: 'thief', pid: 2, host: 'elsewhere', runId: 'run-thief' }), 'PX', 5000);
  await new Promise((r) => setTimeout(r, 700));
  expect(lease.lost.aborted).toBe(true);
  expect(lease.lost.reason).toMatchObject({ code: 'RUN_LOCK_LOST', kind: 'conflict' });
  await lease.release();
  // The release of a holder that lost the lock leaves the new holder's key.
  expect(JSON.parse((await redis.get(key))!)).toMatchObject({ owner: 'thief' });
  await redis.del(key);
});
