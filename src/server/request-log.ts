/**
 * Request logs with Fastify's own logger (pino): one JSON line per finished request carrying its
 * request id, method, URL, status and time, at `error` level for 5xx (`warn` for 503). The id comes from a well-formed
 * incoming `x-request-id` header or is a fresh UUID; it is sent back in the `x-request-id` header and
 * in error bodies, so a user's report finds its line. Secrets never reach a line: only chosen request
 * fields are logged (never headers), URL query parameters named like secrets and credentials in URLs
 * are masked, and pino's redaction censors token / authorization fields logged by other code.
 * `pretty` renders lines for people (pino-pretty) instead of JSON.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pinoPretty from 'pino-pretty';
import { redactUrlCredentials } from '../core/redact.js';

export interface RequestLogOptions {
  /** Where the lines go (default: stdout). */
  stream?: NodeJS.WritableStream;
  /** Human-readable lines (pino-pretty) instead of JSON. */
  pretty?: boolean;
  /** ANSI colours in pretty lines. */
  colour?: boolean;
}

const wellFormedId = /^[A-Za-z0-9._:-]{1,128}$/;
const secretParam = /token|key|secret|pass|auth|sig|credential|session/i;

/** The request id: the caller's `x-request-id` when it is well formed, else a fresh UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && wellFormedId.test(given) ? given : randomUUID();
}

/** The URL as logged: secret-looking query parameters as `***`, credentials in URLs masked. */
export function redactRequestUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return redactUrlCredentials(url);
  const params = new URLSearchParams(url.slice(q + 1));
  for (const [k, v] of [...params]) params.set(k, secretParam.test(k) ? '***' : redactUrlCredentials(v));
  return `${redactUrlCredentials(url.slice(0, q))}?${params.toString()}`;
}

/** One line per request, when it is finished (Fastify's default is two: incoming and completed). */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    // The error's code only: its message and stack are logged once, redacted, by errors.ts.
    const code = error ? (error as { code?: unknown }).code : undefined;
    const fields = { req: request, res: reply, responseTime: Math.round(reply.elapsedTime * 10) / 10, ...(error ? { errorCode: typeof code === 'string' ? code : 'INTERNAL' } : {}) };
    // 503 is the expected "no model yet / shutting down" answer: a warning, not a failure.
    if (error || (reply.statusCode >= 500 && reply.statusCode !== 503)) reply.log.error(fields, 'request completed');
    else if (reply.statusCode === 503) reply.log.warn(fields, 'request completed');
    else reply.log.info(fields, 'request completed');
  }
}

const serializers = {
  req: (req: FastifyRequest) => ({ method: req.method, url: redactRequestUrl(req.url), remoteAddress: req.ip, userAgent: req.headers['user-agent'] }),
  res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
};

const redact = {
  paths: ['headers.authorization', 'headers["x-api-token"]', 'headers.cookie', 'req.headers.authorization', 'req.headers["x-api-token"]', 'req.headers.cookie', 'token', 'apiToken', 'password', '*.token', '*.apiToken', '*.password'],
  censor: '***',
};

/** Fastify options for request ids and (when `log` is given) the request log. */
export function requestLogOptions(log: RequestLogOptions | undefined): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'logController'> {
  if (!log) return { logger: false, genReqId: requestId };
  const stream = log.pretty
    ? pinoPretty({ colorize: log.colour ?? false, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination: log.stream ?? 1, sync: true })
    : log.stream;
  return {
    logger: { level: 'info', serializers, redact, ...(stream ? { stream } : {}) } as FastifyServerOptions['logger'],
    genReqId: requestId,
    logController: new OneLinePerRequest(),
  };
}
