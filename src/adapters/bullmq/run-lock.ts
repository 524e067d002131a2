/**
 * One run at a time per registry across machines: a Redis key taken with SET NX and an expiry,
 * renewed by its holder while the run lasts. A holder that dies (SIGKILL, machine lost) stops renewing,
 * and the key expires after `ttlMs`, so a dead worker never holds the lock for long. Renewal and release
 * check the owner token, so a holder whose key expired cannot extend or delete the next holder's.
 *
 * It has the shape of the local lock (a lease: name the run, release); the value names the holder so
 * a refused caller can say who runs.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { runInProgress } from '../../core/errors.js';
import { watchLease } from '../../core/lease.js';
import type { RunLease } from '../../ports/run-store.js';

export type { RunLease };

interface Holder { owner: string; pid: number; host: string; runId: string | null }

const renewScript = `local v = redis.call('get', KEYS[1]); if v and cjson.decode(v).owner == ARGV[1] then
  if ARGV[3] ~= '' then redis.call('set', KEYS[1], ARGV[3], 'px', ARGV[2]) else redis.call('pexpire', KEYS[1], ARGV[2]) end
  return 1 end return 0`;
const releaseScript = `local v = redis.call('get', KEYS[1]); if v and cjson.decode(v).owner == ARGV[1] then
  return redis.call('del', KEYS[1]) end return 0`;

export class RedisRunLock {
  /** `key`: one per registry (the queue prefix names the installation). */
  constructor(private readonly redis: Redis, readonly key: string, private readonly ttlMs = 30_000) {}

  /** Takes the lock or throws RUN_IN_PROGRESS (kind conflict) naming the holder. */
  async acquire(): Promise<RunLease> {
    const holder: Holder = { owner: randomUUID(), pid: process.pid, host: hostname(), runId: null };
    const ok = await this.redis.set(this.key, JSON.stringify(holder), 'PX', this.ttlMs, 'NX');
    if (ok !== 'OK') {
      const current = await this.redis.get(this.key);
      const h = current ? (JSON.parse(current) as Holder) : undefined;
      throw runInProgress(h, this.ttlMs);
    }
    const watch = watchLease(this.ttlMs);
    // The script answers 1 while the key is ours; 0 when it expired or another holder has it.
    const renew = (value = ''): Promise<void> => watch.renewal(this.redis.eval(renewScript, 1, this.key, holder.owner, String(this.ttlMs), value), (answer) => answer === 1);
    const timer = setInterval(() => void renew().catch(() => undefined), Math.max(100, Math.floor(this.ttlMs / 3)));
    timer.unref();
    return {
      lost: watch.lost,
      setRun: async (runId) => {
        holder.runId = runId;
        await renew(JSON.stringify(holder));
      },
      release: async () => {
        clearInterval(timer);
        await this.redis.eval(releaseScript, 1, this.key, holder.owner);
      },
    };
  }
}
