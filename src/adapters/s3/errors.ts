/**
 * Maps AWS SDK errors to NsErrors: ARTIFACT_NOT_FOUND / S3_OBJECT_NOT_FOUND, S3_BUCKET_NOT_FOUND,
 * S3_AUTH (credentials refused; the message never contains a secret), S3_UNAVAILABLE (endpoint down or
 * unreachable) and S3_ERROR for the rest.
 */
import { NsError } from '../../core/errors.js';

export interface S3ErrorContext {
  /** What was being done, e.g. "reading s3://bucket/key". */
  doing: string;
  endpoint: string;
  secrets: readonly string[];
  /** Code for a missing object; default ARTIFACT_NOT_FOUND. */
  notFoundCode?: string;
}

const authNames = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'ExpiredToken', 'InvalidToken',
  'CredentialsProviderError', 'UnrecognizedClientException', 'InvalidClientTokenId', 'AuthorizationHeaderMalformed']);
const netCodes = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE)\b/;

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
  errors?: unknown;
}

function shape(e: unknown): SdkErrorShape {
  return typeof e === 'object' && e !== null ? (e) : {};
}

/** The socket-level reason (ECONNREFUSED …) anywhere in the error, its causes or aggregated errors. */
function networkReason(e: unknown, depth = 0): string {
  if (depth > 4 || !e) return '';
  const s = shape(e);
  if (typeof s.code === 'string' && netCodes.test(s.code)) return s.code;
  const m = typeof s.message === 'string' ? netCodes.exec(s.message) : null;
  if (m?.[1]) return m[1];
  if (Array.isArray(s.errors)) for (const inner of s.errors) { const r = networkReason(inner, depth + 1); if (r) return r; }
  return networkReason(s.cause, depth + 1);
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/** The NsError for anything thrown by the S3 client. */
export function toS3NsError(e: unknown, ctx: S3ErrorContext): NsError {
  if (e instanceof NsError) return e;
  const s = shape(e);
  const name = typeof s.name === 'string' ? s.name : '';
  const status = s.$metadata?.httpStatusCode;
  const raw = typeof s.message === 'string' && s.message ? s.message : name || String(e);
  const msg = scrub(raw.split('\n')[0] ?? raw, ctx.secrets);
  if (name === 'NoSuchBucket') {
    return new NsError('S3_BUCKET_NOT_FOUND', `The bucket does not exist while ${ctx.doing}.`, {
      kind: 'config', hint: 'Create the bucket or fix S3_BUCKET.',
    });
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return new NsError(ctx.notFoundCode ?? 'ARTIFACT_NOT_FOUND', `Nothing found while ${ctx.doing}.`, {
      kind: 'not_found', hint: 'Check the key; list the prefix to see what is there.',
    });
  }
  if (authNames.has(name) || status === 403 || status === 401) {
    return new NsError('S3_AUTH', `S3 at ${ctx.endpoint} refused the credentials while ${ctx.doing} (${name || status}).`, {
      kind: 'auth', hint: 'Check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) or the role, and the bucket policy.',
    });
  }
  const reason = networkReason(e);
  if (reason || name === 'TimeoutError' || name === 'RequestTimeout' || (status !== undefined && status >= 500)) {
    return new NsError('S3_UNAVAILABLE', `S3 at ${ctx.endpoint} is unavailable while ${ctx.doing}: ${reason || msg}.`, {
      kind: 'unavailable', hint: 'Start the S3 service or fix S3_ENDPOINT, then run again.',
    });
  }
  return new NsError('S3_ERROR', `S3 at ${ctx.endpoint} failed while ${ctx.doing}: ${msg}.`, {
    kind: 'internal', hint: 'See the S3 service log for the cause.',
  });
}
