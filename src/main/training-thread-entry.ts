/**
 * The training thread (see training-thread.ts): builds a context from the environment, runs the
 * training job in-process, and posts progress, log lines and the result to the server's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toNsError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createContext } from './compose.js';
import { runTrainJob, type TrainJob } from './jobs.js';
import type { ThreadMessage } from './training-thread.js';

const post = (m: ThreadMessage): void => parentPort!.postMessage(m);
const log = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>): void => post({ type: 'log', level, message, ...(fields ? { fields } : {}) });
const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };

async function main(): Promise<void> {
  const ctx = await createContext(logger);
  try {
    const job = workerData as TrainJob;
    const result = await runTrainJob(ctx, job, (update) => post({ type: 'progress', event: update as never }), { id: job.runId });
    post({ type: 'done', result });
  } catch (e) {
    const err = toNsError(e);
    post({ type: 'error', error: { code: err.code, message: err.message, kind: err.kind, ...(err.hint ? { hint: err.hint } : {}) } });
  } finally {
    await ctx.close();
  }
}

void main();
