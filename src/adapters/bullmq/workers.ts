/**
 * The worker side: one BullMQ Worker per queue running the handlers registered on a BullJobQueue,
 * logging every job, counting jobs per queue for Prometheus, and stopping cleanly.
 *
 * Stopping (SIGTERM): no new job is taken; a running job whose handler honours its abort signal stops
 * at its next safe point and is handed back to the queue (moved to delayed, not failed, so no attempt is
 * spent); other jobs finish. A worker that dies instead (SIGKILL) stops renewing its job locks, and
 * BullMQ's stalled-job check gives the job to another worker after the lock expires.
 */
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { NsError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { JobProgress } from '../../ports/job-queue.js';
import { bullConnection } from './connection.js';
import type { BullJobQueue } from './job-queue.js';

export interface WorkerSettings {
  queues: string[];
  /** Jobs run at once per queue. */
  concurrency: number;
  /** How long a job's lock lives without renewal; a dead worker's job is retaken after about this long. */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for. */
  stalledIntervalMs?: number;
}

interface QueueCounts { completed: number; failed: number; active: number; handedBack: number }

export interface WorkerRuntime {
  counts(): Record<string, QueueCounts>;
  /** Prometheus text exposition of the counts. */
  metrics(): string;
  stop(): Promise<void>;
}

/** How long a job that found its resource busy waits before it is tried again. */
const busyRetryMs = 2000;

const finalKinds = new Set(['input', 'config', 'not_found']);

/** A handler's error as BullMQ stores it: the one-line `CODE: message hint`, final when retrying cannot help. */
function failure(e: unknown): Error {
  if (e instanceof NsError) return finalKinds.has(e.kind) ? new UnrecoverableError(e.toLine()) : new Error(e.toLine());
  return e instanceof Error ? e : new Error(String(e));
}

export async function startWorkers(jobs: BullJobQueue, settings: WorkerSettings, logger: Logger): Promise<WorkerRuntime> {
  for (const name of settings.queues) {
    if (!jobs.handlers.has(name)) {
      throw new NsError('QUEUE_UNKNOWN', `There is no queue called ${name}.`, { hint: `Use one of: ${[...jobs.handlers.keys()].join(', ')}.` });
    }
  }
  const counts: Record<string, QueueCounts> = {};
  const running = new Set<AbortController>();
  let stopping = false;
  const workers = settings.queues.map((name) => {
    const handler = jobs.handlers.get(name)!;
    const c: QueueCounts = { completed: 0, failed: 0, active: 0, handedBack: 0 };
    counts[name] = c;
    const processor = async (job: Job, token?: string): Promise<unknown> => {
      const abort = new AbortController();
      running.add(abort);
      c.active++;
      const started = Date.now();
      logger.info(`job ${name} ${job.id} started (attempt ${job.attemptsMade + 1})`);
      try {
        const progress = (update: JobProgress): void => void job.updateProgress(update).catch(() => undefined);
        const result = await handler(job.data, progress, { id: job.id!, attemptsMade: job.attemptsMade, signal: abort.signal });
        logger.info(`job ${name} ${job.id} completed in ${Date.now() - started} ms`);
        return result;
      } catch (e) {
        if (stopping && abort.signal.aborted && token) {
          await job.moveToDelayed(Date.now(), token);
          c.handedBack++;
          logger.info(`job ${name} ${job.id} handed back to the queue (worker stopping)`);
          throw new DelayedError();
        }
        if (e instanceof NsError && e.kind === 'conflict' && token) {
          // Busy (another run holds the registry's lock): try again later without spending an attempt.
          await job.moveToDelayed(Date.now() + busyRetryMs, token);
          logger.info(`job ${name} ${job.id} waits: ${e.message}`);
          throw new DelayedError();
        }
        const err = failure(e);
        logger.warn(`job ${name} ${job.id} failed after ${Date.now() - started} ms: ${err.message}`);
        throw err;
      } finally {
        c.active--;
        running.delete(abort);
      }
    };
    const worker = new Worker(name, processor, {
      connection: bullConnection(jobs.target), prefix: jobs.target.prefix, concurrency: settings.concurrency,
      ...(settings.lockDurationMs ? { lockDuration: settings.lockDurationMs } : {}),
      ...(settings.stalledIntervalMs ? { stalledInterval: settings.stalledIntervalMs } : {}),
    });
    worker.on('completed', () => { c.completed++; });
    worker.on('failed', (job, err) => { if (!(err instanceof DelayedError) && err.name !== 'DelayedError') c.failed++; void job; });
    worker.on('error', (err) => logger.error(`worker ${name}: ${err.message}`));
    return worker;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    counts: () => structuredClone(counts),
    metrics: () => renderMetrics(counts),
    async stop() {
      stopping = true;
      const closing = workers.map((w) => w.close());
      for (const a of running) a.abort();
      await Promise.all(closing);
    },
  };
}

function renderMetrics(counts: Record<string, QueueCounts>): string {
  const lines = [
    '# HELP ns_worker_jobs_completed_total Jobs this worker completed, per queue.', '# TYPE ns_worker_jobs_completed_total counter',
    ...Object.entries(counts).map(([q, c]) => `ns_worker_jobs_completed_total{queue="${q}"} ${c.completed}`),
    '# HELP ns_worker_jobs_failed_total Job attempts that failed on this worker, per queue.', '# TYPE ns_worker_jobs_failed_total counter',
    ...Object.entries(counts).map(([q, c]) => `ns_worker_jobs_failed_total{queue="${q}"} ${c.failed}`),
    '# HELP ns_worker_jobs_active Jobs running on this worker now, per queue.', '# TYPE ns_worker_jobs_active gauge',
    ...Object.entries(counts).map(([q, c]) => `ns_worker_jobs_active{queue="${q}"} ${c.active}`),
  ];
  return lines.join('\n') + '\n';
}
