/**
 * A small worker-thread pool for cross-validation tasks. Each worker gets the data once and then one
 * task at a time; results come back in any order and are put in place by task id, so the outcome does
 * not depend on scheduling. Workers stay referenced only while tasks run (so a script awaiting a
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
import type { TrialTask, TrialTaskResult } from './trial.js';

type Reply = { type: 'result'; results: TrialTaskResult[] } | { type: 'error'; error: { code: string; message: string; hint?: string; kind: ErrorKind } };

function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./search-worker.js', import.meta.url));
  // From sources: `execArgv: ['--import', 'tsx']` does not reach a worker's entry module on Node 20
  // (ERR_UNKNOWN_FILE_EXTENSION), so the worker registers tsx's in-thread require hook itself.
  const api = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const file = fileURLToPath(new URL('./search-worker.ts', import.meta.url));
  return new Worker(`require(${JSON.stringify(api)}).register(); require(${JSON.stringify(file)});`, { eval: true });
}

/** Runs the tasks on up to nJobs workers; resolves with every result by id, rejects on the first error. */
export function runTasksInWorkers(
  tasks: readonly TrialTask[],
  X: Matrix,
  y: Float64Array,
  nJobs: number,
  onResult: (r: TrialTaskResult) => void,
  signal?: AbortSignal,
): Promise<TrialTaskResult[]> {
  const results: TrialTaskResult[] = [];
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  let finished = false;
  return new Promise<TrialTaskResult[]>((resolve, reject) => {
    const stop = (err?: Error): void => {
      if (finished) return;
      finished = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(results);
    };
    const onAbort = (): void => stop(signal?.reason instanceof Error ? signal.reason : new NsError('ABORTED', 'The search was cancelled.', { kind: 'state' }));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    const feed = (w: Worker): void => {
      if (next < tasks.length) w.postMessage({ type: 'task', task: tasks[next++] });
    };
    const count = Math.max(1, Math.min(nJobs, tasks.length));
    for (let k = 0; k < count; k++) {
      const w = startWorker();
      workers.push(w);
      w.on('message', (msg: Reply) => {
        if (finished) return;
        if (msg.type === 'error') {
          stop(new NsError(msg.error.code, msg.error.message, { kind: msg.error.kind, hint: msg.error.hint }));
          return;
        }
        for (const r of msg.results) {
          results[r.id] = r;
          onResult(r);
        }
        if (++done === tasks.length) stop();
        else feed(w);
      });
      w.on('error', (e) => stop(new NsError('WORKER_FAILED', `A search worker failed: ${e.message}`, { kind: 'internal', cause: e })));
      w.on('exit', (code) => {
        if (!finished) stop(new NsError('WORKER_FAILED', `A search worker exited early (code ${code}).`, { kind: 'internal' }));
      });
      w.postMessage({ type: 'data', rows: X.rows, cols: X.cols, X: X.data, y });
      feed(w);
    }
  });
}
