/**
 * Opens (and creates the folder of) a SQLite database with the settings every local store uses:
 * WAL journal, a busy timeout so concurrent CLI and server processes wait instead of failing.
 *
 * An existing file that cannot be opened for writing — a read-only folder or disk, or a full disk
 * (WAL needs room for its shared-memory file even to read) — opens as a read-only copy in memory, so
 * the commands that only read it (runs, models list, predict, serve) still work; a write then fails
 * with the reason (NOT_WRITABLE or DISK_FULL). The copy is the file as last checkpointed.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { NsError, systemError } from '../../core/errors.js';

export type SqliteDb = Database.Database;

function openWritable(path: string): SqliteDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function diskFull(path: string): boolean {
  try {
    return statfsSync(dirname(path)).bavail === 0;
  } catch {
    return false;
  }
}

/** The typed reason a database could not be opened (or written). */
export function sqliteError(e: unknown, path: string): NsError {
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR') && diskFull(path)) return systemError({ code: 'ENOSPC' }, path)!;
  return systemError(e, path) ?? new NsError('SQLITE_OPEN', `Cannot open the local database ${path}: ${(e as Error).message}.`, {
    kind: 'config', cause: e, hint: 'Check that the folder is writable, or set NS_HOME to another folder.',
  });
}

/** A read-only copy of the file in memory whose writes fail with `reason`. */
function openReadOnlyCopy(path: string, reason: NsError): SqliteDb {
  const bytes = readFileSync(path);
  // Header bytes 18-19 say "WAL" (2); a copy in memory has no WAL, so mark it a rollback-journal file (1).
  if (bytes.length >= 20) bytes[18] = bytes[19] = 1;
  const db = new Database(bytes, { readonly: true });
  const rethrow = <T>(work: () => T): T => {
    try {
      return work();
    } catch (e) {
      throw (e as { code?: string }).code === 'SQLITE_READONLY' ? reason : e;
    }
  };
  const bound = (t: object, k: string | symbol): unknown => {
    const v = Reflect.get(t, k) as unknown;
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
  };
  const statement = (s: Database.Statement): Database.Statement =>
    new Proxy(s, { get: (t, k) => (k === 'run' ? (...args: unknown[]) => rethrow(() => t.run(...args)) : bound(t, k)) });
  return new Proxy(db, {
    get(t, k) {
      if (k === 'prepare') return (sql: string) => statement(t.prepare(sql));
      if (k === 'exec') return (sql: string) => rethrow(() => t.exec(sql));
      if (k === 'transaction') {
        return (fn: (...a: unknown[]) => unknown) => {
          const tx = t.transaction(fn);
          const wrap = (mode: 'deferred' | 'immediate' | 'exclusive') => (...a: unknown[]) => rethrow(() => tx[mode](...a));
          return Object.assign((...a: unknown[]) => rethrow(() => tx(...a)), { deferred: wrap('deferred'), immediate: wrap('immediate'), exclusive: wrap('exclusive') });
        };
      }
      return bound(t, k);
    },
  });
}

export function openSqlite(path: string): SqliteDb {
  try {
    return openWritable(path);
  } catch (e) {
    const err = sqliteError(e, path);
    if ((err.code === 'NOT_WRITABLE' || err.code === 'DISK_FULL') && existsSync(path)) {
      try {
        return openReadOnlyCopy(path, err);
      } catch {
        // fall through to the first error, which says why the file could not be opened for writing
      }
    }
    throw err;
  }
}
