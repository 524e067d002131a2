/**
 * The token check of state-changing endpoints. The token comes as `Authorization: Bearer <token>` or
 * `X-API-Token: <token>` and is compared in constant time (both sides hashed to equal length first).
 * Without a configured token, only loopback clients may change state, and only with a JSON body
 * (`Content-Type: application/json`): a browser page of another site can send a form or text/plain
 * POST without asking, but not JSON (that needs a CORS preflight, which this server never grants).
 * A guarded read (`{ read: true }`, e.g. a model download) skips the JSON rule: another site's page
 * cannot read the answer to a GET (no CORS headers), and a GET has no body.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { NsError } from '../core/errors.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time string equality. */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function presentedToken(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const header = request.headers['x-api-token'];
  return typeof header === 'string' ? header.trim() : undefined;
}

const isJson = (request: FastifyRequest): boolean => /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '');

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Builds the preHandler that guards a state-changing route. */
export function requireToken(apiToken: string | undefined, opts: { read?: boolean } = {}): (request: FastifyRequest) => Promise<void> {
  return (request) => {
    if (apiToken === undefined) {
      if (!loopback.has(request.ip)) {
        return Promise.reject(new NsError('AUTH_NOT_CONFIGURED', 'This server has no API token, so it only accepts changes from its own machine.', {
          kind: 'auth', httpStatus: 403, hint: 'Set NS_API_TOKEN on the server and send it as a Bearer token.',
        }));
      }
      if (!opts.read && !isJson(request)) {
        return Promise.reject(new NsError('JSON_REQUIRED', 'Without an API token, changes are accepted only as JSON requests.', {
          httpStatus: 415, hint: 'Send Content-Type: application/json with a JSON body (e.g. {}), or set NS_API_TOKEN and send the token.',
        }));
      }
      return Promise.resolve();
    }
    const given = presentedToken(request);
    if (given === undefined || given === '') {
      return Promise.reject(new NsError('AUTH_REQUIRED', 'This endpoint changes state and needs the API token.', {
        kind: 'auth', httpStatus: 401, hint: 'Send the token as "Authorization: Bearer <token>".',
      }));
    }
    if (!tokensEqual(given, apiToken)) {
      return Promise.reject(new NsError('AUTH_INVALID', 'The API token is wrong.', { kind: 'auth', httpStatus: 403, hint: 'Use the token set in NS_API_TOKEN on the server.' }));
    }
    return Promise.resolve();
  };
}
