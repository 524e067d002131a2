/**
 * Turns MongoDB driver errors into NsErrors with one clear line (never the password), and retries
 * transient failures (network, server selection, primary stepping down) with exponential backoff.
 */
import { NsError } from '../../core/errors.js';
import { redactSecrets } from './url.js';

/** Where the error happened, for the message: hosts (no credentials) and the secrets to scrub. */
export interface MongoErrorContext {
  hosts: string;
  secrets: readonly string[];
  /** The variable holding the URL, named in hints; default MONGO_DB_URL. */
  variable?: string;
}

const transientCodes = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);
const authCodes = new Set([11, 13, 18]);
/** Socket errors that Node raises directly (the driver does not always wrap them). */
const socketCodes = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

interface DriverErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errorLabels?: unknown;
  hasErrorLabel?: (label: string) => boolean;
  cause?: unknown;
}

function shape(e: unknown): DriverErrorShape {
  return typeof e === 'object' && e !== null ? (e) : {};
}

function errorName(e: unknown): string {
  const n = shape(e).name;
  return typeof n === 'string' ? n : '';
}

/** True for errors worth retrying: the server may answer a moment later. */
export function isTransientMongoError(e: unknown): boolean {
  if (e instanceof NsError) return e.code === 'MONGO_UNAVAILABLE';
  const s = shape(e);
  const name = errorName(e);
  if (/^Mongo(Network|NetworkTimeout|ServerSelection|PoolCleared|TopologyClosed)Error$/.test(name)) return true;
  if (typeof s.code === 'number' && transientCodes.has(s.code)) return true;
  if (typeof s.code === 'string' && socketCodes.has(s.code)) return true;
  if (typeof s.hasErrorLabel === 'function') {
    return s.hasErrorLabel('RetryableWriteError') || s.hasErrorLabel('TransientTransactionError') || s.hasErrorLabel('ResetPool');
  }
  return false;
}

/** The lowest-level reason (ECONNREFUSED, ENOTFOUND …) inside a driver error, if any. */
function rootReason(e: unknown): string {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur; depth++) {
    const code = shape(cur).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    const msg = shape(cur).message;
    if (typeof msg === 'string') {
      const m = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|EPIPE)\b/.exec(msg);
      if (m?.[1]) return m[1];
    }
    cur = shape(cur).cause;
  }
  return '';
}

/**
 * Maps anything thrown by the driver to an NsError:
 * MONGO_URL_INVALID (config), MONGO_AUTH (auth), MONGO_UNAVAILABLE (unavailable) or MONGO_ERROR.
 */
export function toMongoNsError(e: unknown, ctx: MongoErrorContext, doing = 'talking to MongoDB'): NsError {
  if (e instanceof NsError) return e;
  const name = errorName(e);
  const s = shape(e);
  const raw = typeof s.message === 'string' ? s.message : String(e);
  const msg = redactSecrets(raw.split('\n')[0] ?? raw, ctx.secrets);
  if (name === 'MongoParseError' || name === 'MongoInvalidArgumentError' || name === 'MongoAPIError') {
    return new NsError('MONGO_URL_INVALID', `The MongoDB URL is not valid: ${msg}.`, {
      kind: 'config',
      hint: `Set ${ctx.variable ?? 'MONGO_DB_URL'} to mongodb://[user:password@]host:port/ (percent-encode special characters in the password).`,
    });
  }
  if ((typeof s.code === 'number' && authCodes.has(s.code)) || /auth(entication)? failed|unsupported authentication/i.test(raw)) {
    return new NsError('MONGO_AUTH', `MongoDB at ${ctx.hosts} refused the credentials: ${msg}.`, {
      kind: 'auth',
      hint: `Check the user name, password and authSource in ${ctx.variable ?? 'MONGO_DB_URL'}.`,
    });
  }
  if (isTransientMongoError(e)) {
    const reason = rootReason(e);
    const what = reason === 'ENOTFOUND' || reason === 'EAI_AGAIN' ? `host not found (${reason})` : reason || msg;
    return new NsError('MONGO_UNAVAILABLE', `MongoDB at ${ctx.hosts} is unreachable while ${doing}: ${what}.`, {
      kind: 'unavailable',
      hint: `Start the database or fix the host and port in ${ctx.variable ?? 'MONGO_DB_URL'}, then run again.`,
    });
  }
  return new NsError('MONGO_ERROR', `MongoDB at ${ctx.hosts} failed while ${doing}: ${msg}.`, {
    kind: 'internal',
    hint: 'See the database server log for the cause.',
  });
}

export interface RetryOptions {
  /** Attempts after the first one. */
  retries: number;
  /** First delay; doubled each time, with up to 25 % jitter. */
  baseMs: number;
  signal?: AbortSignal;
}

/** Runs `op`, retrying transient errors; the last error is mapped with toMongoNsError. */
export async function withMongoRetry<T>(op: () => Promise<T>, retry: RetryOptions, ctx: MongoErrorContext, doing: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      if (attempt >= retry.retries || !isTransientMongoError(e) || retry.signal?.aborted) throw toMongoNsError(e, ctx, doing);
      const delay = retry.baseMs * 2 ** attempt * (1 + Math.random() / 4);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** True for a duplicate-key error (code 11000): a unique index, `_id` included, refused a write. */
function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000;
}

/**
 * Runs a write that a unique key may refuse: true when it was made, false when the key was taken.
 * Used inside a retried operation, so the duplicate is seen before errors are mapped.
 */
export async function unlessDuplicate(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (e) {
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}
