/**
 * A training run in a worker thread of its own, so the server's event loop keeps answering while a run
 * started from the UI/API trains (the embedded default; with REDIS_URL runs go to queue workers). The
 * thread builds its own context from the same environment and runs the same training job; progress
 * events, log lines and the result come back as messages.
 */
import { Worker } from 'node:worker_threads';
import { NsError, type ErrorKind } from '../core/errors.js';
import type { Logger, ProgressEvent } from '../core/logger.js';
import type { ResultSummary } from '../pipeline/summary.js';
import type { TrainJob } from './jobs.js';

export type ThreadMessage =
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'log'; level: keyof Logger; message: string; fields?: Record<string, unknown> }
  | { type: 'done'; result: ResultSummary }
  | { type: 'error'; error: { code: string; message: string; kind: ErrorKind; hint?: string } };

/**
 * Starts the thread whose entry is `./<name>.js` next to this file. Compiled: the .js entry; from
 * TypeScript sources (tsx, vitest) the .ts entry is loaded through tsx's API.
 */
export function startThread(name: string, workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, here), { workerData });
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`./${name}.ts`, here).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}));`;
  return new Worker(boot, { eval: true, workerData });
}

/** Runs `job` in a new thread; resolves with its summary, rejects with its NsError. */
export function runTrainingInThread(job: TrainJob, onEvent: (e: ProgressEvent) => void, logger: Logger): Promise<ResultSummary> {
  return new Promise((resolve, reject) => {
    const worker = startThread('training-thread-entry', job);
    let settled = false;
    worker.on('message', (m: ThreadMessage) => {
      if (m.type === 'progress') onEvent(m.event);
      else if (m.type === 'log') logger[m.level](m.message, m.fields);
      else {
        settled = true;
        if (m.type === 'done') resolve(m.result);
        else reject(new NsError(m.error.code, m.error.message, { kind: m.error.kind, ...(m.error.hint ? { hint: m.error.hint } : {}) }));
      }
    });
    worker.on('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new NsError('TRAINING_THREAD_EXITED', `The training thread stopped (exit code ${code}) before the run ended.`, { kind: 'internal', hint: 'Run `networksecurity train` to resume the run.' }));
      settled = true;
    });
  });
}
