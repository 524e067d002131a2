/**
 * The production JobQueue on BullMQ: each job name is one BullMQ queue under the configured prefix.
 * This side adds jobs and follows them (progress, results, failures) through BullMQ's queue events;
 * `networksecurity worker` processes (workers.ts) run them with the handlers registered here.
 *
 * Retries: a job is tried up to 3 times with exponential back-off (1 s, 2 s); a handler's NsError of
 * kind input / config / not_found is final at once (retrying cannot fix bad input).
 */
import { Queue, QueueEvents, type JobProgress as BullProgress } from 'bullmq';
import { NsError } from '../../core/errors.js';
import type { EnqueueOptions, JobHandler, JobProgress, JobQueue } from '../../ports/job-queue.js';
import { redactUrlCredentials } from '../../core/redact.js';
import { bullConnection, type RedisTarget } from './connection.js';

export const defaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
} as const;

type Watcher = (jobId: string, update: JobProgress) => void;

export class BullJobQueue implements JobQueue {
  readonly handlers = new Map<string, JobHandler>();
  private readonly queues = new Map<string, Queue>();
  private readonly events = new Map<string, QueueEvents>();

  /**
   * `onError` hears the errors BullMQ reports on this side's connections (BullMQ prints them when no one
   * listens). While Redis is down that is one ECONNREFUSED per reconnection attempt; a process that
   * waits on the queue says so once instead (ScaleOut.watchRedis).
   */
  constructor(readonly target: RedisTarget, private readonly onError: (e: Error) => void = () => undefined) {}

  describe(): string {
    return `BullMQ on ${redactUrlCredentials(this.target.url)} (prefix ${this.target.prefix})`;
  }

  register<I, O>(name: string, handler: JobHandler<I, O>): void {
    this.handlers.set(name, handler as JobHandler);
  }

  /** The BullMQ queue of job name `name` (made on first use). */
  queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: bullConnection(this.target), prefix: this.target.prefix, defaultJobOptions });
      // Each job waited for (`run`) listens for the queue closing; a batch waits for many at once.
      q.setMaxListeners(0);
      q.on('error', this.onError);
      this.queues.set(name, q);
    }
    return q;
  }

  private async queueEvents(name: string): Promise<QueueEvents> {
    let e = this.events.get(name);
    if (!e) {
      e = new QueueEvents(name, { connection: bullConnection(this.target), prefix: this.target.prefix });
      e.on('error', this.onError);
      this.events.set(name, e);
    }
    await e.waitUntilReady();
    return e;
  }

  async enqueue<I>(name: string, input: I, options: EnqueueOptions = {}): Promise<{ id: string }> {
    const job = await this.queue(name).add(name, input, options.jobId ? { jobId: options.jobId } : {});
    return { id: job.id! };
  }

  async run<I, O>(name: string, input: I, options: EnqueueOptions & { onProgress?: (update: JobProgress) => void } = {}): Promise<O> {
    const events = await this.queueEvents(name);
    const jobId: { id?: string } = {};
    const onProgress = options.onProgress;
    const listener = ({ jobId: id, data }: { jobId: string; data: BullProgress }): void => {
      if (id === jobId.id) onProgress?.(data as JobProgress);
    };
    if (onProgress) events.on('progress', listener);
    try {
      const job = await this.queue(name).add(name, input, options.jobId ? { jobId: options.jobId } : {});
      jobId.id = job.id!;
      try {
        return (await job.waitUntilFinished(events)) as O;
      } catch (e) {
        throw new NsError('JOB_FAILED', `Job ${name} ${job.id} failed: ${(e as Error).message}`, {
          kind: 'state', cause: e, hint: `See \`networksecurity jobs list --queue ${name}\`; retry it with \`networksecurity jobs retry ${name} ${job.id}\`.`,
        });
      }
    } finally {
      if (onProgress) events.off('progress', listener);
    }
  }

  watch(name: string, listener: Watcher): () => void {
    const onProgress = ({ jobId, data }: { jobId: string; data: BullProgress }): void => listener(jobId, data as JobProgress);
    const ready = this.queueEvents(name).then((e) => {
      e.on('progress', onProgress);
      return e;
    });
    return () => void ready.then((e) => e.off('progress', onProgress));
  }

  /**
   * Closes every connection; one that cannot close cleanly within 2 s (Redis is down, and a clean close
   * would wait for it) is cut.
   */
  async close(): Promise<void> {
    const all = [...this.events.values(), ...this.queues.values()];
    this.events.clear();
    this.queues.clear();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((done) => (timer = setTimeout(() => done('late'), 2000)));
    const closed = Promise.all(all.map((c) => c.close().catch(() => undefined)));
    // Cut, not awaited: a cut connection may never settle its close, and nothing else keeps this process alive.
    if ((await Promise.race([closed, late])) === 'late') for (const c of all) void c.disconnect().catch(() => undefined);
    clearTimeout(timer);
  }
}
