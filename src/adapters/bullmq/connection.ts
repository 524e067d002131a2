/**
 * Redis connection settings for BullMQ and the lock / pub-sub clients: the REDIS_URL and a key prefix
 * that namespaces every key (queues, lock, channel), so several installations — or test runs — share
 * one Redis without seeing each other's jobs.
 */
import { Redis } from 'ioredis';

export interface RedisTarget {
  url: string;
  /** Key prefix of every queue, lock and channel (NS_QUEUE_PREFIX, default "ns"). */
  prefix: string;
}

/**
 * BullMQ's connection options: workers and event listeners block on Redis, so a command waits for a
 * reconnection instead of failing after a few retries (maxRetriesPerRequest null, as BullMQ requires).
 */
export function bullConnection(target: RedisTarget): { url: string; maxRetriesPerRequest: null } {
  return { url: target.url, maxRetriesPerRequest: null };
}

/** A plain client (lock, publish, subscribe). */
export function redisClient(target: RedisTarget): Redis {
  return new Redis(target.url, { maxRetriesPerRequest: 3, lazyConnect: false });
}

/**
 * Follows whether Redis answers, on a connection of its own: `onChange(false, reason)` once when it
 * cannot be reached (at the start or later), `onChange(true, '')` once when it is back. Nothing is
 * called while it stays up. Reconnects every second at most. Returns the function that stops it.
 */
export function watchRedis(target: RedisTarget, onChange: (up: boolean, reason: string) => void): () => void {
  const client = new Redis(target.url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 100, 1000) });
  let up: boolean | undefined;
  let stopped = false;
  const set = (now: boolean, reason: string): void => {
    if (stopped || up === now) return;
    const first = up === undefined;
    up = now;
    if (!(first && now)) onChange(now, reason);
  };
  client.on('ready', () => set(true, ''));
  client.on('error', (e: Error) => set(false, e.message));
  client.on('close', () => set(false, 'connection closed'));
  return () => {
    stopped = true;
    client.disconnect();
  };
}
