/**
 * The index of pipeline runs in the local SQLite state file (status, last completed stage, summary).
 */
import type { RunLease, RunRecord, RunStore } from '../../ports/run-store.js';
import { settle } from '../tracking/db.js';
import { acquireRunLock, LOCK_DDL } from './run-lock.js';
import { openSqlite, type SqliteDb } from './open.js';

interface Row { id: string; status: RunRecord['status']; started_at: string; finished_at: string | null; last_stage: string | null; summary: string; error: string | null }

export class SqliteRunStore implements RunStore {
  private readonly db: SqliteDb;

  constructor(path: string) {
    this.db = openSqlite(path);
    this.db.exec(`CREATE TABLE IF NOT EXISTS pipeline_runs (id TEXT PRIMARY KEY, status TEXT NOT NULL, started_at TEXT NOT NULL,
      finished_at TEXT, last_stage TEXT, summary TEXT NOT NULL, error TEXT)`);
    this.db.exec(LOCK_DDL);
  }

  acquireLock(): Promise<RunLease> {
    return settle(() => acquireRunLock(this.db));
  }

  create(run: RunRecord): Promise<void> {
    this.db.prepare('INSERT INTO pipeline_runs VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      run.id, run.status, run.startedAt, run.finishedAt, run.lastStage, JSON.stringify(run.summary), run.error ? JSON.stringify(run.error) : null,
    );
    return Promise.resolve();
  }

  async update(id: string, patch: Partial<Omit<RunRecord, 'id'>>): Promise<void> {
    const current = await this.get(id);
    if (!current) return;
    const next = { ...current, ...patch };
    this.db.prepare('UPDATE pipeline_runs SET status = ?, finished_at = ?, last_stage = ?, summary = ?, error = ? WHERE id = ?').run(
      next.status, next.finishedAt, next.lastStage, JSON.stringify(next.summary), next.error ? JSON.stringify(next.error) : null, id,
    );
  }

  get(id: string): Promise<RunRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM pipeline_runs WHERE id = ?').get(id) as Row | undefined;
    return Promise.resolve(row ? toRecord(row) : undefined);
  }

  list(limit = 100): Promise<RunRecord[]> {
    const rows = this.db.prepare('SELECT * FROM pipeline_runs ORDER BY started_at DESC, id DESC LIMIT ?').all(limit) as Row[];
    return Promise.resolve(rows.map(toRecord));
  }

  close(): void {
    this.db.close();
  }
}

function toRecord(r: Row): RunRecord {
  return {
    id: r.id, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at, lastStage: r.last_stage,
    summary: JSON.parse(r.summary) as Record<string, unknown>, error: r.error ? (JSON.parse(r.error) as RunRecord['error']) : null,
  };
}
