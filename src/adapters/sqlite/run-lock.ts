/**
 * The one-run-at-a-time lock of a registry: one row in the state file (next to the registry whose
 * version numbers it protects), taken inside an IMMEDIATE transaction so two processes cannot both
 * see it free. A holder on this machine holds it while its process lives (pid plus the process's
 * start time, so a recycled pid does not count); a holder on another machine (a shared folder) while
 * its heartbeat is fresh. Taking the lock also marks every run still "running" as interrupted: with
 * the lock free, none of them has a live process.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { runInProgress } from '../../core/errors.js';
import { watchLease } from '../../core/lease.js';
import type { RunLease } from '../../ports/run-store.js';
import { settle } from '../tracking/db.js';
import type { SqliteDb } from './open.js';

export const LOCK_DDL = `CREATE TABLE IF NOT EXISTS pipeline_lock (id INTEGER PRIMARY KEY CHECK (id = 1), owner TEXT NOT NULL,
  pid INTEGER NOT NULL, host TEXT NOT NULL, proc_start TEXT NOT NULL, heartbeat_at INTEGER NOT NULL, run_id TEXT)`;

/** How often a holder refreshes its heartbeat, and when a holder on another machine counts as gone. */
export const HEARTBEAT_MS = 15_000;
export const STALE_MS = 120_000;

interface LockRow { owner: string; pid: number; host: string; proc_start: string; heartbeat_at: number; run_id: string | null }

export interface Holder { pid: number; host: string; procStart: string }

/** The start time of a process in clock ticks since boot (Linux /proc), '' where unknown. */
export function processStart(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const thisProcess = (): Holder => ({ pid: process.pid, host: hostname(), procStart: processStart(process.pid) });

function holderAlive(row: LockRow, me: Holder, now: number): boolean {
  if (row.host !== me.host) return now - row.heartbeat_at < STALE_MS;
  if (!processAlive(row.pid)) return false;
  return row.proc_start === '' || processStart(row.pid) === row.proc_start;
}

/**
 * Takes the lock or throws RUN_IN_PROGRESS naming the holder. `me` and `now` are for tests.
 *
 * @example
 *   const lease = acquireRunLock(db);   // throws RUN_IN_PROGRESS while another train runs
 *   try { ... } finally { lease.release(); }
 */
export function acquireRunLock(db: SqliteDb, me: Holder = thisProcess(), now: () => number = Date.now): RunLease {
  const owner = randomUUID();
  const take = db.transaction(() => {
    const row = db.prepare('SELECT * FROM pipeline_lock WHERE id = 1').get() as LockRow | undefined;
    if (row && holderAlive(row, me, now())) {
      throw runInProgress({ runId: row.run_id, pid: row.pid, host: row.host });
    }
    db.prepare(`INSERT INTO pipeline_lock (id, owner, pid, host, proc_start, heartbeat_at, run_id) VALUES (1, ?, ?, ?, ?, ?, NULL)
      ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host, proc_start = excluded.proc_start,
      heartbeat_at = excluded.heartbeat_at, run_id = NULL`).run(owner, me.pid, me.host, me.procStart, now());
    db.prepare("UPDATE pipeline_runs SET status = 'interrupted' WHERE status = 'running'").run();
  });
  take.immediate();
  // Holders on other machines count this one as gone STALE_MS after its last beat.
  const watch = watchLease(STALE_MS, now);
  const heartbeat = setInterval(() => {
    try {
      if (db.prepare('UPDATE pipeline_lock SET heartbeat_at = ? WHERE owner = ?').run(now(), owner).changes === 1) watch.confirmed();
      else watch.refused();
    } catch {
      // A busy or closed state file: the next beat tries again; only holders on other machines read it.
      watch.failed();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    lost: watch.lost,
    setRun: (runId) => settle(() => { db.prepare('UPDATE pipeline_lock SET run_id = ? WHERE owner = ?').run(runId, owner); }),
    release: () => settle(() => {
      clearInterval(heartbeat);
      db.prepare('DELETE FROM pipeline_lock WHERE owner = ?').run(owner);
    }),
  };
}
