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

/** Wraps anything thrown into an NsError (unknown errors become INTERNAL). */
export function toNsError(e: unknown): NsError {
  if (e instanceof NsError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new NsError('INTERNAL', message, { kind: 'internal', cause: e, hint: 'This is a bug; run again with --verbose and report it.' });
}
