/**
 * Typed errors. Every error a user can cause carries a stable `code`, one sentence saying what to do
 * (`hint`), the CLI exit code and the HTTP status it maps to. One handler per surface (CLI, HTTP)
 * turns them into output; nothing else prints stack traces.
 *
 * @example
 *   throw new NsError('CSV_EMPTY', 'The file data.csv is empty.', { hint: 'Pass a CSV with a header row.' });
 */

/** Exit codes of the CLI: 0 ok, 1 internal error, 2 bad input or configuration, 3 done with rejected rows. */
export const ExitCode = { ok: 0, internal: 1, badInput: 2, rejectedRows: 3 } as const;

export type ErrorKind = 'input' | 'config' | 'not_found' | 'conflict' | 'auth' | 'limit' | 'unavailable' | 'state' | 'internal';

const statusByKind: Record<ErrorKind, number> = {
  input: 400, config: 400, not_found: 404, conflict: 409, auth: 401, limit: 413, unavailable: 503, state: 409, internal: 500,
};
const exitByKind: Record<ErrorKind, number> = {
  input: ExitCode.badInput, config: ExitCode.badInput, not_found: ExitCode.badInput, conflict: ExitCode.badInput,
  auth: ExitCode.badInput, limit: ExitCode.badInput, unavailable: ExitCode.internal, state: ExitCode.badInput, internal: ExitCode.internal,
};

export interface NsErrorOptions {
  kind?: ErrorKind;
  hint?: string;
  cause?: unknown;
  /** Extra machine-readable detail (line numbers, column names …); safe to show to users. */
  details?: Record<string, unknown>;
  httpStatus?: number;
}

export class NsError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly httpStatus: number;

  constructor(code: string, message: string, options: NsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NsError';
    this.code = code;
    this.kind = options.kind ?? 'input';
    this.hint = options.hint;
    this.details = options.details;
    this.httpStatus = options.httpStatus ?? statusByKind[this.kind];
  }

  get exitCode(): number {
    return exitByKind[this.kind];
  }

  /** One line for a terminal: message plus what to do. */
  toLine(): string {
    return this.hint ? `${this.code}: ${this.message} ${this.hint}` : `${this.code}: ${this.message}`;
  }

  toJSON(): { code: string; message: string; hint?: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** The estimator was used before `fit`. */
export class NotFittedError extends NsError {
  constructor(estimator: string) {
    super('NOT_FITTED', `${estimator} is not fitted yet.`, { kind: 'state', hint: 'Call fit(X, y) before predicting.' });
    this.name = 'NotFittedError';
  }
}

export function isNsError(e: unknown): e is NsError {
  return e instanceof NsError;
}

/**
 * Space a training run writes under NS_HOME, for the DISK_FULL hint: measured with the default preset
 * on the bundled 11,055 rows, the home grew from 8.2 MB to 68.7 MB (artifacts 32 MB, state.db 28 MB).
 */
export const RUN_SPACE_HINT = 'a default run on the bundled 11,055 rows writes about 60 MB under NS_HOME';

/**
 * A system error that the user can fix — a full disk, a read-only folder, a corrupt database file —
 * as a typed error (exit 2), found by its errno or SQLite code; undefined for anything else.
 * `subject` names the file or folder when the caller knows it.
 *
 * @example
 *   systemError(Object.assign(new Error('write failed'), { code: 'ENOSPC' }))?.code; // 'DISK_FULL'
 */
export function systemError(e: unknown, subject?: string): NsError | undefined {
  const code = typeof (e as { code?: unknown } | null)?.code === 'string' ? (e as { code: string }).code : '';
  const what = subject ?? (e as { path?: string }).path;
  const on = what ? ` (${what})` : '';
  const base = code.startsWith('SQLITE_') ? (/^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code) : code;
  switch (base) {
    case 'ENOSPC': case 'EDQUOT': case 'SQLITE_FULL':
      return new NsError('DISK_FULL', `The disk is full${on}; nothing was marked complete.`, {
        kind: 'state', httpStatus: 507, cause: e, hint: `Free space or point NS_HOME at a larger disk (${RUN_SPACE_HINT}), then run again.`,
      });
    case 'EROFS': case 'EACCES': case 'EPERM': case 'SQLITE_READONLY': case 'SQLITE_CANTOPEN':
      return new NsError('NOT_WRITABLE', `Cannot write${on}: the file or folder is read-only or not ours.`, {
        kind: 'state', httpStatus: 503, cause: e, hint: 'Make NS_HOME writable, or set NS_HOME to a folder you can write to.',
      });
    case 'SQLITE_CORRUPT': case 'SQLITE_NOTADB':
      return new NsError('DB_CORRUPT', `The database file${on} is not a valid SQLite database.`, {
        kind: 'state', httpStatus: 503, cause: e,
        hint: 'Move it aside and run again: a new one is created (the registry comes back from the published registry/index.json; records from a new etl).',
      });
    default:
      return undefined;
  }
}

/** Wraps anything thrown into an NsError (system errors the user can fix are typed, others INTERNAL). */
export function toNsError(e: unknown): NsError {
  if (e instanceof NsError) return e;
  const system = systemError(e);
  if (system) return system;
  const message = e instanceof Error ? e.message : String(e);
  return new NsError('INTERNAL', message, { kind: 'internal', cause: e, hint: 'This is a bug; run again with --verbose and report it.' });
}

/** An NsError as plain data, to cross a worker-thread boundary (structured clone drops the class). */
export interface WireError { code: string; message: string; kind: ErrorKind; httpStatus: number; hint?: string; details?: Record<string, unknown> }

/**
 * @example fromWireError(toWireError(new NsError('X', 'm.'))).code // 'X'
 */
export function toWireError(e: unknown): WireError {
  const err = toNsError(e);
  return { code: err.code, message: err.message, kind: err.kind, httpStatus: err.httpStatus, ...(err.hint ? { hint: err.hint } : {}), ...(err.details ? { details: err.details } : {}) };
}

export function fromWireError(e: WireError): NsError {
  return new NsError(e.code, e.message, { kind: e.kind, httpStatus: e.httpStatus, ...(e.hint ? { hint: e.hint } : {}), ...(e.details ? { details: e.details } : {}) });
}

/**
 * RUN_IN_PROGRESS naming the holder of a registry's one-run-at-a-time lock (SQLite, Redis or MongoDB).
 * `expiresWithinMs`: the lock frees itself that long after a dead holder's last renewal (omit for a
 * lock that is freed when its process is gone).
 */
export function runInProgress(holder: { runId: string | null; pid: number; host: string } | undefined, expiresWithinMs?: number): NsError {
  const hint = expiresWithinMs === undefined
    ? 'Wait for it to finish, or stop its process first; one run at a time per registry.'
    : `Wait for it to finish; one run at a time per registry (a holder that died frees the lock within ${Math.ceil(expiresWithinMs / 1000)} s).`;
  return new NsError('RUN_IN_PROGRESS', `${holder?.runId ? `Run ${holder.runId}` : 'Another run'} is in progress${holder ? ` (process ${holder.pid} on ${holder.host})` : ''}.`, {
    kind: 'conflict', details: holder ? { runId: holder.runId, pid: holder.pid, host: holder.host } : {}, hint,
  });
}
