/**
 * The training thread (see training-thread.ts): builds a context from the environment, runs the
 * training job in-process, and posts progress, log lines and the result to the server's thread.
 * On Linux it first lowers its own CPU priority (nice 19), so the serving thread wins the CPU
 * whenever both want it; the model-fitting pool threads it starts inherit that priority.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { toWireError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createContext } from './compose.js';
import { runTrainJob, type TrainJob } from './jobs.js';
import type { ParentMessage, ThreadMessage } from './training-thread.js';

const post = (m: ThreadMessage): void => parentPort!.postMessage(m);
const log = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>): void => post({ type: 'log', level, message, ...(fields ? { fields } : {}) });
const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };

/** Nice value of the training thread: a CFS weight of 15 against the serving thread's 1024 (serving first; training takes what serving leaves). */
const TRAINING_NICE = 19;

/**
 * Linux keeps a nice value per thread: /proc/thread-self names this thread's id, and setpriority on
 * that id changes this thread only. Elsewhere (or when refused) the thread keeps its priority.
 */
function yieldCpuToServing(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, TRAINING_NICE);
  } catch {
    // not Linux, or not allowed: train at the normal priority
  }
}

/** Aborted when the server stops (a 'stop' message): the run ends at its next check as interrupted. */
const stopping = new AbortController();
parentPort!.on('message', (m: ParentMessage) => {
  if (m.type === 'stop') stopping.abort();
});

async function main(): Promise<void> {
  yieldCpuToServing();
  const ctx = await createContext(logger);
  try {
    const job = workerData as TrainJob;
    const result = await runTrainJob(ctx, job, (update) => post({ type: 'progress', event: update as never }), { id: job.runId, signal: stopping.signal });
    post({ type: 'done', result });
  } catch (e) {
    post({ type: 'error', error: toWireError(e) });
  } finally {
    await ctx.close();
  }
}

// The message listener would keep the thread alive after the run: the port no longer holds it open.
void main().finally(() => {
  parentPort!.removeAllListeners('message');
  parentPort!.unref();
});
