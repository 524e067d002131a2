/**
 * A training run in a worker thread of its own, so the server's event loop keeps answering while a run
 * started from the UI/API trains (the embedded default; with REDIS_URL runs go to queue workers). The
 * thread builds its own context from the same environment and runs the same training job; progress
 * events, log lines and the result come back as messages.
 */
import { Worker } from 'node:worker_threads';
import { fromWireError, NsError, type WireError } from '../core/errors.js';
import type { Logger, ProgressEvent } from '../core/logger.js';
import type { ResultSummary } from '../pipeline/summary.js';
import type { TrainJob } from './jobs.js';

/** Parent to thread: stop the run. */
export type ParentMessage = { type: 'stop' };

export type ThreadMessage =
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'log'; level: keyof Logger; message: string; fields?: Record<string, unknown> }
  | { type: 'done'; result: ResultSummary }
  | { type: 'error'; error: WireError };

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

/** A run training in its thread: its outcome, and how to stop it. */
export interface TrainingThread {
  /** Resolves with the run's summary, rejects with its NsError (INTERRUPTED when stopped). */
  done: Promise<ResultSummary>;
  /**
   * Stops the run: the thread aborts it (the pipeline marks it interrupted, ends its tracking run and
   * releases the run lock) and reports it; a run that has not ended within `graceMs` (a step that does
   * not check the abort signal) is cut short. The thread is terminated in both cases. Resolves with how the run ended.
   */
  stop(graceMs: number): Promise<'stopped' | 'terminated'>;
}

/** Runs `job` in a new thread. */
export function runTrainingInThread(job: TrainJob, onEvent: (e: ProgressEvent) => void, logger: Logger): TrainingThread {
  const worker = startThread('training-thread-entry', job);
  const exited = new Promise<void>((r) => worker.once('exit', () => r()));
  const done = new Promise<ResultSummary>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: ThreadMessage) => {
      if (m.type === 'progress') onEvent(m.event);
      else if (m.type === 'log') logger[m.level](m.message, m.fields);
      else {
        settled = true;
        if (m.type === 'done') resolve(m.result);
        else reject(fromWireError(m.error));
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
  return {
    done,
    async stop(graceMs) {
      worker.postMessage({ type: 'stop' } satisfies ParentMessage);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'terminated'>((r) => { timer = setTimeout(() => r('terminated'), graceMs); });
      // The run has ended once the thread reports its outcome (INTERRUPTED when it stopped in time);
      // the thread is ended either way, as the fitting threads it started may still be winding down.
      const how = await Promise.race([done.then(() => 'stopped' as const, () => 'stopped' as const), exited.then(() => 'stopped' as const), late]);
      clearTimeout(timer);
      await worker.terminate();
      return how;
    },
  };
}
