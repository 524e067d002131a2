/**
 * A small pool of worker threads for CPU-bound model work (forest trees; later folds and trials).
 * A task is a registered handler name (see tasks.ts) plus a payload of numbers and typed arrays;
 * put large inputs in SharedArrayBuffers (`toShared`) so every task sees them without a copy.
 *
 * Workers start lazily and are unref'd whenever idle, so a pool never keeps the process alive; a
 * worker that crashes is replaced. Under TypeScript sources (vitest, tsx) the worker is started from
 * worker.ts with tsx's loader, from compiled dist/ it is worker.js.
 *
 * @example
 *   const trees = await sharedPool(2).run<TreeArrays[]>('forest.grow', task);
 */
import { Worker } from 'node:worker_threads';
import { NsError } from '../../core/errors.js';
import type { ErrorKind } from '../../core/errors.js';
import type { TypedArray } from '../estimator.js';

interface Job {
  id: number;
  type: string;
  payload: unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

/** What a worker posts back. */
export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string; kind: ErrorKind; hint?: string } };

/**
 * Compiled: worker.js. From TypeScript sources: Node 20 does not apply `--import tsx` loader hooks to a
 * worker's entry module, so a one-line bootstrap loads worker.ts through tsx's tsImport API.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker.js', here));
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', here).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}));`;
  return new Worker(boot, { eval: true });
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  /** Jobs whose callers went on without their answers (leave). */
  private readonly left = new Set<Promise<unknown>>();
  private nextId = 1;

  /** `size` = most workers alive at once. */
  constructor(public size: number) {}

  /** Runs a registered task on the next free worker. */
  run<R>(type: string, payload: unknown, signal?: AbortSignal): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (signal?.aborted) {
        reject(aborted());
        return;
      }
      // The abort listener goes when the job settles: a search runs hundreds of jobs under one signal.
      const onAbort = (): void => this.cancel(job);
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      const job: Job = {
        id: this.nextId++, type, payload, signal,
        resolve: (v) => { done(); resolve(v as R); },
        reject: (e: unknown) => { done(); reject(e instanceof Error ? e : new Error(String(e))); },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  /**
   * Lets the caller go on without `job`'s answer: for claim-style jobs (workers take chunks from a
   * shared counter) when the caller did every chunk itself, so the worker answers at once when it gets
   * to the job. That answer is only read when this thread's event loop turns, and until then the
   * worker's slot stays taken, so a later job would queue behind it; callers about to start
   * claim-style jobs call settle() first.
   */
  leave(job: Promise<unknown>): void {
    const settled = job.then(() => undefined, () => undefined);
    this.left.add(settled);
    void settled.then(() => this.left.delete(settled));
  }

  /** Reads the answers of jobs left by earlier callers, waiting at most `ms` (a worker still starting up). */
  async settle(ms = 50): Promise<void> {
    if (this.left.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    await Promise.race([Promise.all([...this.left]), limit]);
    clearTimeout(timer);
  }

  /**
   * Starts the missing workers now (they load their modules while the caller does other work), so
   * the first jobs do not wait for a thread to boot. Idle workers do not keep the process alive.
   */
  warm(): void {
    while (this.slots.length < this.size) this.spawn();
  }

  /** Terminates every worker; queued jobs fail. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new NsError('POOL_CLOSED', 'The worker pool was closed.', { kind: 'state', hint: 'Start a new pool.' }));
    const slots = this.slots.splice(0);
    await Promise.all(slots.map(async (s) => {
      s.job?.reject(new NsError('POOL_CLOSED', 'The worker pool was closed.', { kind: 'state', hint: 'Start a new pool.' }));
      await s.worker.terminate();
    }));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === undefined);
      if (slot === undefined) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, type: job.type, payload: job.payload });
    }
  }

  private spawn(): Slot {
    const worker = startWorker();
    const slot: Slot = { worker, job: undefined };
    worker.on('message', (reply: WorkerReply) => {
      const job = slot.job;
      if (job === undefined || job.id !== reply.id) return;
      slot.job = undefined;
      worker.unref();
      if (reply.ok) job.resolve(reply.result);
      else job.reject(new NsError(reply.error.code, reply.error.message, { kind: reply.error.kind, hint: reply.error.hint }));
      this.dispatch();
    });
    const fail = (err: unknown): void => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      slot.job?.reject(new NsError('WORKER_FAILED', `A worker thread failed: ${err instanceof Error ? err.message : String(err)}`, {
        kind: 'internal', cause: err, hint: 'This is a bug; run again with nJobs: 1 and report it.',
      }));
      slot.job = undefined;
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    // After the listeners: adding a 'message' listener refs the worker again, and a warmed worker
    // that never gets a job would then keep the process alive (a train whose ingest failed hung).
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private cancel(job: Job): void {
    const q = this.queue.indexOf(job);
    if (q >= 0) {
      this.queue.splice(q, 1);
      job.reject(aborted());
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (slot === undefined) return;
    // A running task cannot be interrupted in its thread: drop the worker; a fresh one replaces it.
    this.slots.splice(this.slots.indexOf(slot), 1);
    slot.job = undefined;
    job.reject(aborted());
    void slot.worker.terminate();
    this.dispatch();
  }
}

function aborted(): NsError {
  return new NsError('TASK_ABORTED', 'The task was cancelled.', { kind: 'state', hint: 'Start it again if it is still needed.' });
}

let pool: WorkerPool | undefined;

/** The process-wide pool, grown to at least `size` workers. */
export function sharedPool(size: number): WorkerPool {
  if (pool === undefined) pool = new WorkerPool(size);
  else if (pool.size < size) pool.size = size;
  return pool;
}

/** Terminates the process-wide pool (tests, shutdown). */
export async function closeSharedPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}

/** A copy of `a` on a SharedArrayBuffer, so posting it to workers shares instead of copying. */
export function toShared<T extends TypedArray>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const C = a.constructor as new (buf: SharedArrayBuffer) => T;
  const out = new C(new SharedArrayBuffer(a.byteLength));
  (out as unknown as { set(src: ArrayLike<number>): void }).set(a);
  return out;
}
