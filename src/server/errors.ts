/**
 * The one place where errors become HTTP responses. NsError keeps its code, status and hint; Fastify's
 * own errors (bad JSON, body too large, wrong content type, rate limit) get stable codes; anything else
 * is a 500 INTERNAL without details. Never a stack trace. The scoring protocols answer in their own
 * shapes: MLflow `{error_code, message}`, Open Inference Protocol `{error}`.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { NsError, isNsError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { redactUrlCredentials } from '../core/redact.js';
import { redactRequestUrl } from './request-log.js';

/** Which error body a route answers with. */
export type ErrorStyle = 'api' | 'mlflow' | 'oip';

declare module 'fastify' {
  interface FastifyContextConfig {
    errorStyle?: ErrorStyle;
    /** Route label for the Prometheus metrics (defaults to the URL pattern). */
    metricsRoute?: string;
  }
}

const fastifyCodes: Record<string, [string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['BODY_TOO_LARGE', 'Send a smaller body, or split the rows over several requests.'],
  FST_REQ_FILE_TOO_LARGE: ['UPLOAD_TOO_LARGE', 'Split the file into smaller parts.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'Send Content-Type: application/json (or text/csv where the endpoint takes CSV).'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['INVALID_JSON', 'Send a JSON body.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_CONTENT_LENGTH', 'Send a Content-Length that matches the body.'],
  FST_ERR_VALIDATION: ['INVALID_REQUEST', 'See the OpenAPI document at /api/v1/openapi.json.'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'Send multipart/form-data with a file field, or text/csv.'],
};

interface SchemaError { instancePath: string; keyword: string; params: Record<string, unknown>; message?: string }

const rowHint = 'Send each row as {"feature": value, …} with every feature of GET /api/v1/schema once and values -1, 0 or 1 (see the Row schema at /api/v1/openapi.json).';

/**
 * A body that failed its route's JSON schema, as the error the handler's own checks would give: the
 * row and feature named, with the same codes (UNKNOWN_FEATURES, MISSING_FEATURES, BAD_VALUE …).
 */
function schemaError(errors: readonly SchemaError[]): NsError {
  const e = errors[0]!;
  const m = /^\/(?:row|rows\/(\d+))(?:\/(.+))?$/.exec(e.instancePath);
  if (m) {
    const row = Number(m[1] ?? 0);
    if (m[2] !== undefined) {
      const feature = m[2].replace(/~1/g, '/').replace(/~0/g, '~');
      return new NsError('BAD_VALUE', `Row ${row}: feature ${feature} has a value that is not allowed; allowed are -1, 0 and 1.`, {
        hint: 'Encode every feature as -1, 0 or 1 (a number or its plain decimal text); write a missing value as null, "", "na" or "NaN".', details: { row, feature },
      });
    }
    if (e.keyword === 'additionalProperties') return new NsError('UNKNOWN_FEATURES', `Unknown feature names: ${String(e.params.additionalProperty)}.`, { hint: 'Use the feature names of GET /api/v1/schema.', details: { row, unknown: [e.params.additionalProperty] } });
    if (e.keyword === 'required') return new NsError('MISSING_FEATURES', `Row ${row} lacks feature ${String(e.params.missingProperty)}.`, { hint: rowHint, details: { row, missing: [e.params.missingProperty] } });
    if (e.keyword === 'oneOf') return new NsError('DUPLICATE_FEATURE', `Row ${row} gives a feature under two names.`, { hint: 'Give each feature once.', details: { row } });
    return new NsError('BAD_ROW', `Row ${row} is not an object of feature values.`, { hint: rowHint, details: { row } });
  }
  if (e.instancePath === '/rows' && e.keyword === 'minItems') return new NsError('EMPTY_INPUT', 'No rows were given.', { hint: 'Send at least one row.' });
  if (e.instancePath === '' && (e.keyword === 'oneOf' || e.keyword === 'required')) {
    return new NsError('BAD_REQUEST', 'Give exactly one of "row" (an object) and "rows" (a non-empty array of objects).', { hint: 'Send {"rows": [{"having_IP_Address": 1, …}]}.' });
  }
  return new NsError('BAD_REQUEST', `The body ${e.instancePath ? `field ${e.instancePath.slice(1)} ` : ''}${e.message ?? 'does not match the schema'}.`, { hint: 'See the OpenAPI document at /api/v1/openapi.json.' });
}

/** Any thrown value as an NsError with an HTTP status fit for a response. */
export function toHttpError(err: unknown): NsError {
  if (isNsError(err)) return err;
  const fe = err as Partial<FastifyError> & { status?: number; validation?: SchemaError[] };
  if (fe.code === 'FST_ERR_VALIDATION' && fe.validation?.length) return schemaError(fe.validation);
  const status = fe.statusCode ?? fe.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const known = fe.code ? fastifyCodes[fe.code] : undefined;
    if (err instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return new NsError('INVALID_JSON', 'The request body is not valid JSON.', { hint: 'Check the JSON syntax of the body.', httpStatus: 400 });
    }
    const code = known?.[0] ?? (status === 404 ? 'NOT_FOUND' : status === 413 ? 'BODY_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST');
    const message = status === 413 ? 'The request body is larger than this endpoint accepts.' : (fe.message ?? 'Bad request.');
    return new NsError(code, message, { httpStatus: status, ...(known ? { hint: known[1] } : {}) });
  }
  return new NsError('INTERNAL', 'The server failed to handle this request.', { kind: 'internal', hint: 'This is a bug; the server log has details.' });
}

const mlflowCodes: Record<number, string> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'RESOURCE_DOES_NOT_EXIST', 413: 'REQUEST_LIMIT_EXCEEDED',
  415: 'BAD_REQUEST', 429: 'REQUEST_LIMIT_EXCEEDED', 503: 'TEMPORARILY_UNAVAILABLE',
};

/**
 * The response body of an error in the given style. Our API's body carries the request id that finds
 * the request's log line; the scoring protocols keep their exact shapes (the id is in the
 * `x-request-id` header of every response).
 */
export function errorBody(e: NsError, style: ErrorStyle, requestId: string): Record<string, unknown> {
  if (style === 'mlflow') return { error_code: mlflowCodes[e.httpStatus] ?? (e.httpStatus >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'), message: e.message };
  if (style === 'oip') return { error: e.message };
  return { error: { ...e.toJSON(), requestId } };
}

/** Sends an error; used by the error and not-found handlers. */
export function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown, logger: Logger): FastifyReply {
  const e = toHttpError(err);
  // Expected unavailability (no model yet) is not logged as a failure; unexpected errors are, once, with
  // their stack, credentials in URLs masked (the request log's line for the request carries only the code).
  if (e.kind === 'internal') {
    const detail = err instanceof Error ? err.stack ?? err.message : String(err);
    logger.error('request failed', { requestId: request.id, url: redactRequestUrl(request.url), method: request.method, error: redactUrlCredentials(detail) });
  }
  const style = request.routeOptions.config?.errorStyle ?? (request.url.startsWith('/v2') ? 'oip' : request.url.startsWith('/invocations') ? 'mlflow' : 'api');
  return reply.code(e.httpStatus).type('application/json; charset=utf-8').send(errorBody(e, style, request.id));
}
