/**
 * "The champion alias moved" as a Redis pub/sub message, so every server replica reloads its model at
 * once instead of on its next poll. The message carries the new version (or null); a receiver re-reads
 * the registry itself, so a lost or stale message costs only the poll interval.
 */
import type { Redis } from 'ioredis';

export const championChannel = (prefix: string): string => `${prefix}:champion`;

export async function publishChampion(redis: Redis, prefix: string, version: number | null): Promise<void> {
  await redis.publish(championChannel(prefix), JSON.stringify({ version, at: new Date().toISOString() }));
}

/** Calls `onMove` on every message; `subscriber` must be a connection of its own (it enters subscriber mode). */
export async function subscribeChampion(subscriber: Redis, prefix: string, onMove: (version: number | null) => void): Promise<() => Promise<void>> {
  const channel = championChannel(prefix);
  subscriber.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    try {
      onMove((JSON.parse(message) as { version: number | null }).version);
    } catch {
      onMove(null);
    }
  });
  await subscriber.subscribe(channel);
  return async () => {
    await subscriber.unsubscribe(channel);
    subscriber.disconnect();
  };
}
