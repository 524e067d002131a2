/**
 * JobQueue: runs named, serialisable jobs (training runs, ETL loads; each name is its own queue).
 * Embedded default: in-process; production: BullMQ on Redis with `networksecurity worker` processes.
 */

/** What a job reports while it runs: a fraction 0..1 or a JSON object (a pipeline progress event). */
export type JobProgress = number | { [key: string]: unknown };

/** The job as its handler sees it: its id and how many times it was started before (a retry, a stalled job). */
export interface JobInfo {
  id: string;
  attemptsMade: number;
  /** Aborted when the worker shuts down: a handler that can stop at a safe point does, and the job is handed back. */
  signal?: AbortSignal;
}

export type JobHandler<I = unknown, O = unknown> = (input: I, progress: (update: JobProgress) => void, job: JobInfo) => Promise<O>;

export interface EnqueueOptions {
  /** A job id chosen by the caller (a run id); a second job with the same id is not added. */
  jobId?: string;
}

export interface JobQueue {
  describe(): string;
  register<I, O>(name: string, handler: JobHandler<I, O>): void;
  /** Enqueues a job and waits for its result. */
  run<I, O>(name: string, input: I, options?: EnqueueOptions & { onProgress?: (update: JobProgress) => void }): Promise<O>;
  /** Enqueues a job and returns its id at once; `watch` follows it. */
  enqueue<I>(name: string, input: I, options?: EnqueueOptions): Promise<{ id: string }>;
  /** Progress updates of every job of queue `name` (this process's or any worker's); returns the unsubscribe function. */
  watch(name: string, listener: (jobId: string, update: JobProgress) => void): () => void;
  close(): Promise<void>;
}

/** The states a queued job is listed in (`networksecurity jobs list`, the UI's Jobs view). */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** One queued job as `jobs list` and the Jobs page show it. */
export interface JobView {
  queue: string;
  id: string;
  state: JobState;
  /** Attempts made so far (a stalled job retaken counts again only when it fails). */
  attemptsMade: number;
  /** Why the last attempt failed (`CODE: message hint` for our errors). */
  failedReason: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** The run a training job runs, where there is one. */
  runId: string | null;
}
