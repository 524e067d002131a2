/**
 * The installation's shared state in MongoDB (NS_STATE_URL): the run index and the registry that the
 * workers, servers and CLI on every machine read and write, instead of each home's `state.db`. One
 * client serves both; it connects on first use (the driver's own lazy connect), so a command that
 * never touches them never waits for the server.
 *
 * Values that are free-form JSON (a run's summary and error, a version's metrics) are stored as JSON
 * text: their keys come from our code and users' data, and MongoDB servers differ in which field
 * names they accept (FerretDB 1.x refuses `$` and `.` in keys).
 */
import { MongoClient, type Db } from 'mongodb';
import { toMongoNsError, withMongoRetry, type MongoErrorContext } from './errors.js';
import { MongoRegistry } from './registry.js';
import { MongoRunStore } from './run-store.js';
import { mongoDatabase, mongoHosts, mongoUrlSecrets, mongoWhere } from './url.js';

/** Runs one database operation with retries of transient errors, mapped to NsErrors (no password). */
export type MongoOp = <T>(doing: string, fn: () => Promise<T>) => Promise<T>;

export interface MongoStateOptions {
  /** Database when the URL names none; default "networksecurity". */
  defaultDatabase?: string;
  /** Lifetime of the run lock's lease without renewal (NS_JOB_LOCK_MS); default 30 s. */
  lockTtlMs?: number;
  /** How long the driver looks for a server before an operation fails; default 5000 ms. */
  serverSelectionTimeoutMS?: number;
}

export interface MongoState {
  runs: MongoRunStore;
  registry: MongoRegistry;
  describe(): string;
  close(): Promise<void>;
}

/**
 * Opens the shared state on `url`; throws MONGO_URL_INVALID for a URL the driver cannot parse.
 *
 * @example
 *   const state = openMongoState('mongodb://db.internal:27017/networksecurity', { lockTtlMs: 30_000 });
 *   await state.registry.list();
 */
export function openMongoState(url: string, options: MongoStateOptions = {}): MongoState {
  const ctx: MongoErrorContext = { hosts: mongoHosts(url), secrets: mongoUrlSecrets(url), variable: 'NS_STATE_URL' };
  let client: MongoClient;
  let db: Db;
  try {
    const timeout = options.serverSelectionTimeoutMS ?? 5000;
    client = new MongoClient(url, { serverSelectionTimeoutMS: timeout, connectTimeoutMS: timeout });
    db = client.db(mongoDatabase(url) ?? options.defaultDatabase ?? 'networksecurity');
  } catch (e) {
    throw toMongoNsError(e, ctx, 'parsing NS_STATE_URL');
  }
  const op: MongoOp = (doing, fn) => withMongoRetry(fn, { retries: 3, baseMs: 250 }, ctx, doing);
  const where = mongoWhere(url, db.databaseName);
  return {
    runs: new MongoRunStore(db, op, options.lockTtlMs ?? 30_000),
    registry: new MongoRegistry(db, op, where),
    describe: () => where,
    close: () => client.close(),
  };
}
