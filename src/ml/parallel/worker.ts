/**
 * Worker-thread entry: runs the named task of each message (tasks.ts) and posts the result back,
 * transferring result buffers; errors travel as NsError fields.
 */
import { parentPort } from 'node:worker_threads';
import { toNsError } from '../../core/errors.js';
import type { WorkerReply } from './pool.js';
import { taskHandlers } from './tasks.js';

if (parentPort === null) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;

port.on('message', (msg: { id: number; type: string; payload: unknown }) => void answer(msg));

async function answer(msg: { id: number; type: string; payload: unknown }): Promise<void> {
  try {
    const handler = taskHandlers[msg.type];
    if (handler === undefined) throw new Error(`unknown task type ${msg.type}`);
    const { result, transfer } = await handler(msg.payload);
    const reply: WorkerReply = { id: msg.id, ok: true, result };
    port.postMessage(reply, transfer);
  } catch (e) {
    const err = toNsError(e);
    const reply: WorkerReply = { id: msg.id, ok: false, error: { code: err.code, message: err.message, kind: err.kind, ...(err.hint ? { hint: err.hint } : {}) } };
    port.postMessage(reply);
  }
}
