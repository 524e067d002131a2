import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from './open.js';
import { acquireRunLock, processStart, STALE_MS, thisProcess } from './run-lock.js';
import { SqliteRunStore } from './run-store.js';
import { runStoreContract } from '../../ports/state-contract.test-helpers.js';

const opened: SqliteRunStore[] = [];
function store(path: string): SqliteRunStore {
  const s = new SqliteRunStore(path);
  opened.push(s);
  return s;
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

const stateFile = (): string => join(mkdtempSync(join(tmpdir(), 'ns-lock-')), 'state.db');

let contractPath = '';
runStoreContract('SQLite state file', {
  open: () => Promise.resolve(store(contractPath = stateFile())),
  second: () => Promise.resolve(store(contractPath)),
  closeAll: () => Promise.resolve(),
});

function writeHolder(path: string, row: { pid: number; host: string; procStart: string; heartbeatAt: number }): void {
  const db = openSqlite(path);
  db.prepare('INSERT INTO pipeline_lock (id, owner, pid, host, proc_start, heartbeat_at, run_id) VALUES (1, ?, ?, ?, ?, ?, ?)')
    .run('someone', row.pid, row.host, row.procStart, row.heartbeatAt, 'run-old');
  db.close();
}

const running = { status: 'running' as const, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null, lastStage: 'ingest', summary: {}, error: null };

describe('the one-run lock in the state file', () => {
  it('lets one holder in across two connections and refuses the other with RUN_IN_PROGRESS until released', async () => {
    const path = stateFile();
    const a = store(path);
    const b = store(path);
    const lease = await a.acquireLock();
    await lease.setRun('run-a');
    await expect(b.acquireLock()).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS', kind: 'conflict', details: { runId: 'run-a', pid: process.pid } });
    await lease.release();
    const second = await b.acquireLock();
    await expect(a.acquireLock()).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS' });
    await second.release();
  });

  it('is free when its holder process is dead, and marks the runs it left running as interrupted', async () => {
    const path = stateFile();
    const s = store(path);
    await s.create({ id: 'run-old', ...running });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeHolder(path, { pid: dead, host: thisProcess().host, procStart: '', heartbeatAt: Date.now() });
    const lease = await s.acquireLock();
    expect((await s.get('run-old'))?.status).toBe('interrupted');
    await lease.release();
  });

  it('does not count a recycled pid (same pid, another start time) as the holder', async () => {
    const path = stateFile();
    const s = store(path);
    expect(processStart(process.pid)).not.toBe('');
    writeHolder(path, { pid: process.pid, host: thisProcess().host, procStart: '1', heartbeatAt: Date.now() });
    await (await s.acquireLock()).release();
  });

  it('trusts a holder on another machine while its heartbeat is fresh, and not after', () => {
    const path = stateFile();
    store(path);
    const db = openSqlite(path);
    try {
      const now = 1_000_000_000;
      writeHolder(path, { pid: 1, host: 'other-host', procStart: '', heartbeatAt: now });
      expect(() => acquireRunLock(db, thisProcess(), () => now + STALE_MS - 1)).toThrow(/in progress/);
      const lease = acquireRunLock(db, thisProcess(), () => now + STALE_MS);
      void lease.release();
    } finally {
      db.close();
    }
  });
});
