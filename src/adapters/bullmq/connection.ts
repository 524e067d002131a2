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
