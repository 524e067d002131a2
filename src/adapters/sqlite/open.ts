/**
 * Opens (and creates the folder of) a SQLite database with the settings every local store uses:
 * WAL journal, a busy timeout so concurrent CLI and server processes wait instead of failing.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { NsError, systemError } from '../../core/errors.js';

export type SqliteDb = Database.Database;

export function openSqlite(path: string): SqliteDb {
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (e) {
    throw systemError(e, path) ?? new NsError('SQLITE_OPEN', `Cannot open the local database ${path}: ${(e as Error).message}.`, {
      kind: 'config', cause: e, hint: 'Check that the folder is writable, or set NS_HOME to another folder.',
    });
  }
}
