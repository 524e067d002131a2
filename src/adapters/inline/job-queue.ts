/**
 * The embedded JobQueue: runs each job in this process, right away.
 */
import { NsError } from '../../core/errors.js';
import type { JobHandler, JobQueue } from '../../ports/job-queue.js';

export class InlineJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();

  describe(): string {
    return 'inline';
  }

  register<I, O>(name: string, handler: JobHandler<I, O>): void {
    this.handlers.set(name, handler as JobHandler);
  }

  async run<I, O>(name: string, input: I, options: { onProgress?: (fraction: number) => void } = {}): Promise<O> {
    const handler = this.handlers.get(name);
    if (!handler) throw new NsError('JOB_UNKNOWN', `No handler is registered for job "${name}".`, { kind: 'internal' });
    return (await handler(input, options.onProgress ?? (() => {}))) as O;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
