/**
 * A small worker-thread pool for cross-validation tasks. Each worker gets the data once and then one
 * task at a time from a queue that may grow while tasks run; results come back in any order and are
 * put in place by id, so the outcome does not depend on scheduling. Workers stay referenced only while tasks run (so a script awaiting a
 * search does not exit early) and are terminated as soon as the last result arrives, an error occurs or
 * the signal aborts — they never keep the process alive afterwards. From compiled dist/*.js the
 * worker is search-worker.js; from .ts sources (vitest, tsx) it is search-worker.ts loaded through
 * tsx's require hook.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { NsError, type ErrorKind } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import type { TaskOutput, TrialTask } from './trial.js';

type Reply = { type: 'result'; output: TaskOutput } | { type: 'error'; error: { code: string; message: string; hint?: string; kind: ErrorKind } };

/**
 * Tasks to run, in order; more can be pushed while others run (a refit once its kind's trials are
 * scored). The run ends when the queue is closed, empty and no task is in flight.
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
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./search-worker.js', import.meta.url));
  // From sources: `execArgv: ['--import', 'tsx']` does not reach a worker's entry module on Node 20
  // (ERR_UNKNOWN_FILE_EXTENSION), so the worker registers tsx's in-thread require hook itself.
  const api = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const file = fileURLToPath(new URL('./search-worker.ts', import.meta.url));
  return new Worker(`require(${JSON.stringify(api)}).register(); require(${JSON.stringify(file)});`, { eval: true });
}

/**
 * Runs the queue's tasks on nJobs workers, calling onOutput with each task's output (which may push
 * more tasks or close the queue); resolves when the queue is finished, rejects on the first error.
 */
export function runTasksInWorkers(
  queue: TaskQueue,
  X: Matrix,
  y: Float64Array,
  nJobs: number,
  onOutput: (o: TaskOutput) => void,
  signal?: AbortSignal,
): Promise<void> {
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  let inFlight = 0;
  let finished = false;
  return new Promise<void>((resolve, reject) => {
    const stop = (err?: Error): void => {
      if (finished) return;
      finished = true;
      queue.listener = undefined;
      signal?.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve();
    };
    const onAbort = (): void => stop(signal?.reason instanceof Error ? signal.reason : new NsError('ABORTED', 'The search was cancelled.', { kind: 'state' }));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    const feed = (w: Worker): void => {
      const task = queue.take();
      if (task === undefined) {
        idle.push(w);
        return;
      }
      inFlight++;
      w.postMessage({ type: 'task', task });
    };
    const settle = (): void => {
      while (!finished && idle.length > 0 && !queue.finished) {
        const before = inFlight;
        feed(idle.pop()!);
        if (inFlight === before) break;
      }
      if (!finished && queue.finished && inFlight === 0) stop();
    };
    queue.listener = settle;
    for (let k = 0; k < Math.max(1, nJobs); k++) {
      const w = startWorker();
      workers.push(w);
      w.on('message', (msg: Reply) => {
        if (finished) return;
        if (msg.type === 'error') {
          stop(new NsError(msg.error.code, msg.error.message, { kind: msg.error.kind, hint: msg.error.hint }));
          return;
        }
        inFlight--;
        try {
          onOutput(msg.output);
        } catch (e) {
          stop(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        feed(w);
        settle();
      });
      w.on('error', (e) => stop(new NsError('WORKER_FAILED', `A search worker failed: ${e.message}`, { kind: 'internal', cause: e })));
      w.on('exit', (code) => {
        if (!finished) stop(new NsError('WORKER_FAILED', `A search worker exited early (code ${code}).`, { kind: 'internal' }));
      });
      w.postMessage({ type: 'data', rows: X.rows, cols: X.cols, X: X.data, y });
      feed(w);
    }
    settle();
  });
}
