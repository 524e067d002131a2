/**
 * The token check of state-changing endpoints. The token comes as `Authorization: Bearer <token>` or
 * `X-API-Token: <token>` and is compared in constant time (both sides hashed to equal length first).
 * Without a configured token, only loopback clients may change state.
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

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Builds the preHandler that guards a state-changing route. */
export function requireToken(apiToken: string | undefined): (request: FastifyRequest) => Promise<void> {
  return (request) => {
    if (apiToken === undefined) {
      if (loopback.has(request.ip)) return Promise.resolve();
      return Promise.reject(new NsError('AUTH_NOT_CONFIGURED', 'This server has no API token, so it only accepts changes from its own machine.', {
        kind: 'auth', httpStatus: 403, hint: 'Set NS_API_TOKEN on the server and send it as a Bearer token.',
      }));
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
