/**
 * JobQueue: runs named, serialisable jobs (pipeline stages, grid-search trials, batch-scoring shards).
 * Embedded default: in-process; production: BullMQ on Redis with `networksecurity worker` processes.
 */
export type JobHandler<I = unknown, O = unknown> = (input: I, progress: (fraction: number) => void) => Promise<O>;

export interface JobQueue {
  describe(): string;
  register<I, O>(name: string, handler: JobHandler<I, O>): void;
  /** Enqueues a job and waits for its result. */
  run<I, O>(name: string, input: I, options?: { onProgress?: (fraction: number) => void }): Promise<O>;
  close(): Promise<void>;
}
