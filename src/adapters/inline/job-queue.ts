/**
 * The embedded JobQueue: runs each job in this process, right away (`enqueue` in the background).
 */
import { randomUUID } from 'node:crypto';
import { NsError } from '../../core/errors.js';
import type { EnqueueOptions, JobHandler, JobProgress, JobQueue } from '../../ports/job-queue.js';

type Watcher = (jobId: string, update: JobProgress) => void;

export class InlineJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly background = new Set<Promise<unknown>>();

  describe(): string {
    return 'inline';
  }

  register<I, O>(name: string, handler: JobHandler<I, O>): void {
    this.handlers.set(name, handler as JobHandler);
  }

  async run<I, O>(name: string, input: I, options: EnqueueOptions & { onProgress?: (update: JobProgress) => void } = {}): Promise<O> {
    const handler = this.handlers.get(name);
    if (!handler) throw new NsError('JOB_UNKNOWN', `No handler is registered for job "${name}".`, { kind: 'internal' });
    const id = options.jobId ?? randomUUID();
    const progress = (update: JobProgress): void => {
      options.onProgress?.(update);
      for (const w of this.watchers.get(name) ?? []) w(id, update);
    };
    return (await handler(input, progress, { id, attemptsMade: 0 })) as O;
  }

  enqueue<I>(name: string, input: I, options: EnqueueOptions = {}): Promise<{ id: string }> {
    if (!this.handlers.has(name)) throw new NsError('JOB_UNKNOWN', `No handler is registered for job "${name}".`, { kind: 'internal' });
    const id = options.jobId ?? randomUUID();
    // The caller follows the job through `watch`; its failure is reported there by the handler.
    const done = this.run(name, input, { jobId: id }).catch(() => undefined);
    this.background.add(done);
    void done.then(() => this.background.delete(done));
    return Promise.resolve({ id });
  }

  watch(name: string, listener: Watcher): () => void {
    const set = this.watchers.get(name) ?? new Set();
    set.add(listener);
    this.watchers.set(name, set);
    return () => set.delete(listener);
  }

  async close(): Promise<void> {
    await Promise.all([...this.background]);
  }
}
