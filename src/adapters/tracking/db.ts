/**
 * The SQLite state file shared by the local tracker and the local registry. Their tables are prefixed
 * `tracking_` and `registry_`, so other stores can keep their own tables in the same file. WAL journal
 * and a busy timeout let the CLI, the server and workers use the file at the same time.
 */
import { openSqlite, type SqliteDb } from '../sqlite/open.js';

export type TrackingDb = SqliteDb;

const TRACKING_DDL = `
CREATE TABLE IF NOT EXISTS tracking_runs (
  id TEXT PRIMARY KEY, parent_id TEXT REFERENCES tracking_runs(id), name TEXT NOT NULL,
  status TEXT NOT NULL, start_time INTEGER NOT NULL, end_time INTEGER);
CREATE INDEX IF NOT EXISTS tracking_runs_parent ON tracking_runs (parent_id, start_time);
CREATE TABLE IF NOT EXISTS tracking_params (
  run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key));
CREATE TABLE IF NOT EXISTS tracking_tags (
  run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key));
CREATE TABLE IF NOT EXISTS tracking_metrics (
  id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, key TEXT NOT NULL,
  value REAL, step INTEGER NOT NULL, timestamp INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS tracking_metrics_run ON tracking_metrics (run_id, key, step);
CREATE TABLE IF NOT EXISTS tracking_artifacts (
  run_id TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
  body BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (run_id, path));
CREATE TABLE IF NOT EXISTS tracking_remote_runs (
  run_id TEXT PRIMARY KEY, remote_run_id TEXT, artifact_uri TEXT, state TEXT NOT NULL,
  metrics_sent_upto INTEGER NOT NULL DEFAULT 0, status_sent TEXT, last_error TEXT);
CREATE TABLE IF NOT EXISTS tracking_remote_sent (
  run_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (run_id, kind, key));
`;

const REGISTRY_DDL = `
CREATE TABLE IF NOT EXISTS registry_versions (
  version INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, created_at TEXT NOT NULL,
  bundle_key TEXT NOT NULL, bundle_sha256 TEXT NOT NULL, model_kind TEXT NOT NULL, metrics TEXT NOT NULL,
  snapshot_sha256 TEXT NOT NULL, schema_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS registry_aliases (alias TEXT PRIMARY KEY, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS registry_alias_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT, alias TEXT NOT NULL, from_version INTEGER, to_version INTEGER,
  at TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS registry_remote_versions (
  version INTEGER PRIMARY KEY, remote_name TEXT NOT NULL, remote_version TEXT NOT NULL);
`;

/** Opens (creating folder and tables as needed) the state file for tracking and/or registry tables. */
export function openTrackingDb(path: string, parts: { tracking?: boolean; registry?: boolean }): TrackingDb {
  const db = openSqlite(path);
  if (parts.tracking) db.exec(TRACKING_DDL);
  if (parts.registry) db.exec(REGISTRY_DDL);
  return db;
}

/** Runs synchronous store work as a promise, so its errors reject instead of throwing. */
export function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}
