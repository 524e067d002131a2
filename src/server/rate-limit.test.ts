import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { NsError } from '../core/errors.js';
import { rateLimit, type RateLimitOptions } from './rate-limit.js';

let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

/** Two endpoints, each with its own limiter, and a clock the test moves. */
function server(opts: Omit<RateLimitOptions, 'now'>): { app: FastifyInstance; clock: { t: number } } {
  const clock = { t: 1_000_000 };
  const a = Fastify();
  a.setErrorHandler((err, _req, reply) => {
    const e = err as NsError;
    void reply.code(e.httpStatus).send({ error: { code: e.code, message: e.message, hint: e.hint } });
  });
  a.post('/one', { onRequest: rateLimit({ ...opts, now: () => clock.t }) }, () => ({ ok: 1 }));
  a.post('/two', { onRequest: rateLimit({ ...opts, now: () => clock.t }) }, () => ({ ok: 2 }));
  app = a;
  return { app: a, clock };
}

const post = (a: FastifyInstance, url: string, ip = '10.0.0.1') => a.inject({ method: 'POST', url, remoteAddress: ip });

describe('rateLimit', () => {
  it('answers 429 RATE_LIMITED with retry-after past the limit, per address and per endpoint', async () => {
    const { app: a, clock } = server({ max: 2, windowMs: 60_000 });
    const first = await post(a, '/one');
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('2');
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    expect((await post(a, '/one')).statusCode).toBe(200);
    clock.t += 15_500;
    const over = await post(a, '/one');
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBe('45');
    expect(over.headers['x-ratelimit-remaining']).toBe('0');
    const body = over.json<{ error: { code: string; message: string; hint: string } }>();
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toBe('Too many requests to this endpoint: at most 2 per minute from one address.');
    expect(body.error.hint).toMatch(/^Retry after 45 s/);
    // Another address, another endpoint: their own counts.
    expect((await post(a, '/one', '10.0.0.2')).statusCode).toBe(200);
    expect((await post(a, '/two')).statusCode).toBe(200);
  });

  it('restarts an address\'s count when its window ends', async () => {
    const { app: a, clock } = server({ max: 1, windowMs: 60_000 });
    expect((await post(a, '/one')).statusCode).toBe(200);
    expect((await post(a, '/one')).statusCode).toBe(429);
    clock.t += 59_999;
    expect((await post(a, '/one')).statusCode).toBe(429);
    clock.t += 1;
    expect((await post(a, '/one')).statusCode).toBe(200);
  });

  it('forgets old addresses past maxAddresses, so memory stays bounded', async () => {
    const { app: a } = server({ max: 1, windowMs: 60_000, maxAddresses: 3 });
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) expect((await post(a, '/one', ip)).statusCode).toBe(200);
    expect((await post(a, '/one', '10.0.0.3')).statusCode).toBe(429);
    // A fourth address pushes out the oldest (10.0.0.1), whose count starts again; 10.0.0.3 is still limited.
    expect((await post(a, '/one', '10.0.0.4')).statusCode).toBe(200);
    expect((await post(a, '/one', '10.0.0.1')).statusCode).toBe(200);
    expect((await post(a, '/one', '10.0.0.3')).statusCode).toBe(429);
  });
});
