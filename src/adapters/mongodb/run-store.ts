/**
 * The run index in MongoDB (collection `ns_runs`), shared by every machine of an installation, and
 * its one-run-at-a-time lock as a lease document (`ns_run_lock`, `_id: "run"`).
 *
 * The lease: taking it is one conditional upsert — it matches the lease document only when that has
 * expired, and when a live lease exists the upsert's insert hits the `_id` and fails with a duplicate
 * key, so two processes can never both take it. Its holder renews it every third of `ttlMs`; a holder
 * that dies (SIGKILL, machine lost) stops renewing, and the lease is free `ttlMs` after its last
 * renewal. Expiry compares times written by different machines, so their clocks must agree to well
 * under `ttlMs`. Renewal, naming the run and release all match the holder's owner token, so a holder
 * whose lease expired cannot touch the next holder's.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Collection, Db } from 'mongodb';
import { NsError, runInProgress } from '../../core/errors.js';
import { watchLease } from '../../core/lease.js';
import type { RunLease, RunRecord, RunStore } from '../../ports/run-store.js';
import { unlessDuplicate } from './errors.js';
import type { MongoOp } from './state.js';

interface RunDoc {
  _id: string; status: RunRecord['status']; startedAt: string; finishedAt: string | null; lastStage: string | null;
  /** JSON text (see state.ts). */
  summary: string; error: string | null;
}
interface LeaseDoc { _id: 'run'; owner: string; pid: number; host: string; runId: string | null; expiresAt: number }

export class MongoRunStore implements RunStore {
  private readonly runs: Collection<RunDoc>;
  private readonly lease: Collection<LeaseDoc>;

  constructor(db: Db, private readonly op: MongoOp, private readonly ttlMs: number, private readonly now: () => number = Date.now) {
    this.runs = db.collection<RunDoc>('ns_runs');
    this.lease = db.collection<LeaseDoc>('ns_run_lock');
  }

  async acquireLock(): Promise<RunLease> {
    const holder: Omit<LeaseDoc, '_id' | 'expiresAt'> = { owner: randomUUID(), pid: process.pid, host: hostname(), runId: null };
    const taken = await this.op('taking the run lock', () => unlessDuplicate(() => this.lease.updateOne(
      { _id: 'run', expiresAt: { $lt: this.now() } },
      { $set: { ...holder, expiresAt: this.now() + this.ttlMs } },
      { upsert: true },
    )));
    // A take whose answer was lost and then retried finds its own lease: it holds it.
    const h = taken ? null : await this.op('reading the run lock', () => this.lease.findOne({ _id: 'run' }));
    if (!taken && h?.owner !== holder.owner) {
      throw runInProgress(h ?? undefined, this.ttlMs);
    }
    const mine = { _id: 'run' as const, owner: holder.owner };
    const watch = watchLease(this.ttlMs, this.now);
    // An update that matches no lease document of ours: it expired and was taken, or was removed.
    const renewing = (what: string, set: Partial<LeaseDoc>): Promise<void> =>
      watch.renewal(this.op(what, () => this.lease.updateOne(mine, { $set: { ...set, expiresAt: this.now() + this.ttlMs } })), (r) => r.matchedCount === 1);
    // Renewal starts at once, before the (possibly slow) marking below.
    const timer = setInterval(() => void renewing('renewing the run lock', {}).catch(() => undefined), Math.max(100, Math.floor(this.ttlMs / 3)));
    timer.unref();
    // Holding the lease proves no live process runs a pipeline: runs still "running" lost theirs.
    await this.op('marking interrupted runs', () => this.runs.updateMany({ status: 'running' }, { $set: { status: 'interrupted' } }));
    return {
      lost: watch.lost,
      setRun: (runId) => renewing('naming the run lock', { runId }),
      // A release that fails (MongoDB gone after the run) must not fail a finished run: the lease
      // then expires ttlMs after its last renewal.
      release: async () => {
        clearInterval(timer);
        await this.op('releasing the run lock', () => this.lease.deleteOne(mine)).catch(() => undefined);
      },
    };
  }

  async create(run: RunRecord): Promise<void> {
    // A retried insert whose first answer was lost finds its own record (same id and start): done.
    if (await this.op('recording a run', () => unlessDuplicate(() => this.runs.insertOne(toDoc(run))))) return;
    const existing = await this.get(run.id);
    if (existing?.startedAt !== run.startedAt) {
      throw new NsError('RUN_EXISTS', `A run with id ${run.id} is already recorded.`, { kind: 'conflict', hint: 'Start the run again; run ids are made from the time and a random part.' });
    }
  }

  async update(id: string, patch: Partial<Omit<RunRecord, 'id'>>): Promise<void> {
    const set: Partial<RunDoc> = {};
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.startedAt !== undefined) set.startedAt = patch.startedAt;
    if ('finishedAt' in patch) set.finishedAt = patch.finishedAt ?? null;
    if ('lastStage' in patch) set.lastStage = patch.lastStage ?? null;
    if (patch.summary !== undefined) set.summary = JSON.stringify(patch.summary);
    if ('error' in patch) set.error = patch.error ? JSON.stringify(patch.error) : null;
    if (Object.keys(set).length === 0) return;
    await this.op('updating a run', () => this.runs.updateOne({ _id: id }, { $set: set }));
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const doc = await this.op('reading a run', () => this.runs.findOne({ _id: id }));
    return doc ? toRecord(doc) : undefined;
  }

  async list(limit = 100): Promise<RunRecord[]> {
    const docs = await this.op('listing runs', () => this.runs.find({}).sort({ startedAt: -1, _id: -1 }).limit(limit).toArray());
    return docs.map(toRecord);
  }
}

function toDoc(run: RunRecord): RunDoc {
  return {
    _id: run.id, status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt, lastStage: run.lastStage,
    summary: JSON.stringify(run.summary), error: run.error ? JSON.stringify(run.error) : null,
  };
}

function toRecord(d: RunDoc): RunRecord {
  return {
    id: d._id, status: d.status, startedAt: d.startedAt, finishedAt: d.finishedAt, lastStage: d.lastStage,
    summary: JSON.parse(d.summary) as Record<string, unknown>, error: d.error ? (JSON.parse(d.error) as RunRecord['error']) : null,
  };
}
