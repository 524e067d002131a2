/**
 * What REDIS_URL switches on: the BullMQ job queue, the cross-machine run lock, and the champion
 * channel (every alias move is published; servers subscribe). Without REDIS_URL none of it exists and
 * everything runs in this process.
 */
import {
  BullJobQueue, jobCounts, listJobs, removeJob, retryJob, type JobView, RedisRunLock, publishChampion, redisClient, startWorkers, subscribeChampion, watchRedis,
  type RedisTarget, type RunLease, type WorkerRuntime, type WorkerSettings,
} from '../adapters/bullmq/index.js';
import { NsError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Alias, JobState } from '../ports/index.js';

export type { JobView, RunLease, WorkerRuntime, WorkerSettings };

export interface ScaleOut {
  target: RedisTarget;
  queue: BullJobQueue;
  /** The registry's one-run-at-a-time lock in Redis (RUN_IN_PROGRESS while another process holds it). */
  acquireRunLock(): Promise<RunLease>;
  /** Calls `onMove` whenever any process moves the champion alias. */
  onChampionMoved(onMove: (version: number | null) => void): Promise<() => Promise<void>>;
  announceChampion(version: number | null): Promise<void>;
  /** Calls `onChange(false, reason)` once when Redis cannot be reached and `onChange(true, '')` when it is back; returns the stop function. */
  watchRedis(onChange: (up: boolean, reason: string) => void): () => void;
  /** Starts workers whose job locks live as long as the run lock. */
  startWorkers(settings: Omit<WorkerSettings, 'lockDurationMs' | 'stalledIntervalMs'>): Promise<WorkerRuntime>;
  /**
   * Adds (or updates) a job scheduler: every tick of the cron `pattern` adds one job to `queue` with
   * `data`, however many processes ask for the same `id`.
   */
  upsertSchedule(queue: string, id: string, pattern: string, data: unknown): Promise<void>;
  /** The queues this program has (one per job name). */
  queueNames(): string[];
  listJobs(queue: string, states?: readonly JobState[], limit?: number): Promise<JobView[]>;
  jobCounts(queue: string): Promise<Record<JobState, number>>;
  retryJob(queue: string, id: string): Promise<void>;
  removeJob(queue: string, id: string): Promise<void>;
  close(): Promise<void>;
}

async function waitForLock(lock: RedisRunLock): Promise<RunLease> {
  for (;;) {
    try {
      return await lock.acquire();
    } catch (e) {
      if (!(e instanceof NsError && e.code === 'RUN_IN_PROGRESS')) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function openScaleOut(target: RedisTarget, logger: Logger, opts: { lockTtlMs: number }): ScaleOut {
  const queue = new BullJobQueue(target, (e) => logger.debug(`redis: ${e.message}`));
  let client: ReturnType<typeof redisClient> | undefined;
  const known = (name: string): string => {
    if (!queue.handlers.has(name)) throw new NsError('QUEUE_UNKNOWN', `There is no queue called ${name}.`, { kind: 'not_found', hint: `Use one of: ${[...queue.handlers.keys()].join(', ')}.` });
    return name;
  };
  const shared = (): ReturnType<typeof redisClient> => (client ??= redisClient(target));
  return {
    target, queue,
    acquireRunLock: () => new RedisRunLock(shared(), `${target.prefix}:run-lock`, opts.lockTtlMs).acquire(),
    announceChampion: (version) => publishChampion(shared(), target.prefix, version),
    watchRedis: (onChange) => watchRedis(target, onChange),
    onChampionMoved: (onMove) => subscribeChampion(redisClient(target), target.prefix, onMove),
    startWorkers: (settings) => startWorkers(queue, { ...settings, lockDurationMs: opts.lockTtlMs, stalledIntervalMs: opts.lockTtlMs }, logger),
    async upsertSchedule(name, id, pattern, data) {
      const q = queue.queue(known(name));
      // Upserting a scheduler re-creates its next job; doing so while that tick runs on another process
      // would hand the tick out twice. So processes take turns (a short lock), and one that finds the
      // same schedule in place leaves it be.
      const lease = await waitForLock(new RedisRunLock(shared(), `${target.prefix}:schedule-lock:${id}`, 10_000));
      try {
        const current = await q.getJobScheduler(id);
        if (current?.pattern === pattern && JSON.stringify(current.template?.data) === JSON.stringify(data)) return;
        await q.upsertJobScheduler(id, { pattern }, { name, data });
      } finally {
        await lease.release();
      }
    },
    queueNames: () => [...queue.handlers.keys()],
    listJobs: (name, states, limit) => listJobs(queue.queue(known(name)), states, limit),
    jobCounts: (name) => jobCounts(queue.queue(known(name))),
    retryJob: (name, id) => retryJob(queue.queue(known(name)), id),
    removeJob: (name, id) => removeJob(queue.queue(known(name)), id),
    async close() {
      await queue.close();
      client?.disconnect();
    },
  };
}

/** Announces a champion move on the channel (best effort: a server re-reads the registry on its next poll anyway). */
export function championAnnouncer(scale: ScaleOut, logger: Logger): (alias: Alias, version: number | null) => Promise<void> {
  return async (alias, version) => {
    if (alias !== 'champion') return;
    try {
      await scale.announceChampion(version);
    } catch (e) {
      logger.warn(`could not announce the champion move on Redis; servers pick it up on their next poll (${(e as Error).message})`);
    }
  };
}
