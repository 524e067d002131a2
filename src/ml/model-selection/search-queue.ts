/**
 * Where the search's tasks run: in this thread one after another, or on the process-wide worker pool
 * (../parallel/pool.ts) with at most nJobs in flight. The queue may grow while tasks run (a refit once
 * its kind is scored goes ahead of the waiting tasks); outputs come back in any order and are put in
 * place by id, so the outcome does not depend on scheduling.
 */
import { NsError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import { sharedPool, toShared } from '../parallel/pool.js';
import type { SearchTaskPayload } from './search-worker.js';
import type { TaskOutput, TrialTask } from './trial.js';

/**
 * Tasks to run, in order; more can be pushed while others run. The run ends when the queue is closed,
 * empty and no task is in flight.
 */
export class TaskQueue {
  private readonly items: TrialTask[] = [];
  private closed = false;
  /** Set by the runner: called after every push or close. */
  listener: (() => void) | undefined;

  constructor(tasks: readonly TrialTask[] = []) {
    this.items.push(...tasks);
  }

  /** Adds a task at the end, or with `first` ahead of the waiting ones (refits, so they overlap the rest). */
  push(task: TrialTask, first = false): void {
    if (first) this.items.unshift(task);
    else this.items.push(task);
    this.listener?.();
  }

  /** No more tasks will be pushed. */
  close(): void {
    this.closed = true;
    this.listener?.();
  }

  take(): TrialTask | undefined {
    return this.items.shift();
  }

  get finished(): boolean {
    return this.closed && this.items.length === 0;
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the queue in this thread. Between tasks the event loop turns, so a caller that serves requests
 * or reports progress stays responsive, and the signal is checked.
 */
export async function runTasksInProcess(queue: TaskQueue, run: (t: TrialTask) => Promise<TaskOutput>, onOutput: (o: TaskOutput) => void, signal?: AbortSignal): Promise<void> {
  for (let task = queue.take(); task !== undefined; task = queue.take()) {
    await turn();
    signal?.throwIfAborted();
    onOutput(await run(task));
  }
}

/** Boots the worker threads a search with nJobs > 1 will use, ahead of it (e.g. while data loads). */
export function warmSearchWorkers(nJobs: number): void {
  if (nJobs > 1) sharedPool(nJobs).warm();
}

let nextDataId = 1;
/**
 * The payload data of each data set already in shared memory, by its feature array: searches over the
 * same shared X and y (e.g. one per family, see `shareSearchData`) send it under one `dataId`, so the
 * workers keep one data object for it (and its cached fold binning). Data not in shared memory is
 * copied for each search, as its owner may change it in between.
 */
const sentShared = new WeakMap<Float64Array, { y: Float64Array; data: Omit<SearchTaskPayload, 'task'> }>();

function payloadData(X: Matrix, y: Float64Array): Omit<SearchTaskPayload, 'task'> {
  const shared = X.data.buffer instanceof SharedArrayBuffer && y.buffer instanceof SharedArrayBuffer;
  const hit = shared ? sentShared.get(X.data) : undefined;
  if (hit !== undefined && hit.y === y && hit.data.rows === X.rows && hit.data.cols === X.cols) return hit.data;
  const data = { dataId: nextDataId++, rows: X.rows, cols: X.cols, X: toShared(X.data), y: toShared(y) };
  if (shared) sentShared.set(X.data, { y, data });
  return data;
}

/** X and y in shared memory, for several searches over the same data (they then share one dataId on the workers). */
export function shareSearchData(X: Matrix, y: Float64Array): { X: Matrix; y: Float64Array } {
  return { X: matrix(X.rows, X.cols, toShared(X.data)), y: toShared(y) };
}

/**
 * Runs the queue on the shared worker pool, at most nJobs tasks at a time; X and y go to the workers
 * on SharedArrayBuffers (no copy per task). Rejects on the first error (and cancels the tasks in
 * flight) or when the signal aborts.
 */
export function runTasksInWorkers(queue: TaskQueue, X: Matrix, y: Float64Array, nJobs: number, onOutput: (o: TaskOutput) => void, signal?: AbortSignal): Promise<void> {
  const pool = sharedPool(nJobs);
  const data = payloadData(X, y);
  const cancel = new AbortController();
  let inFlight = 0;
  let done = false;
  return new Promise<void>((resolve, reject) => {
    const stop = (err?: unknown): void => {
      if (done) return;
      done = true;
      queue.listener = undefined;
      signal?.removeEventListener('abort', onAbort);
      if (err === undefined) return resolve();
      cancel.abort();
      reject(err instanceof Error ? err : new NsError('WORKER_FAILED', 'A search task failed without an error object.', { kind: 'internal' }));
    };
    const onAbort = (): void => stop(signal?.reason instanceof Error ? signal.reason : new NsError('ABORTED', 'The search was cancelled.', { kind: 'state' }));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    const pump = (): void => {
      while (!done && inFlight < nJobs) {
        const task = queue.take();
        if (task === undefined) break;
        inFlight++;
        const payload: SearchTaskPayload = { ...data, task };
        pool.run<TaskOutput>('search.trial', payload, cancel.signal).then((o) => {
          if (done) return;
          inFlight--;
          onOutput(o);
          pump();
        }).catch(stop);
      }
      if (!done && queue.finished && inFlight === 0) stop();
    };
    queue.listener = pump;
    pump();
  });
}
