/**
 * The per-address request limit of one scoring endpoint: at most `max` requests in a window of
 * `windowMs` that starts at an address's first request (its count restarts when the window ends).
 * Over the limit the request ends with RATE_LIMITED (429) and a `retry-after` header; every answer
 * carries `x-ratelimit-limit` and `x-ratelimit-remaining`. It runs synchronously in the route's
 * onRequest hook; @fastify/rate-limit's chain of promises cost about 5 µs per one-row predict request
 * (17.7k against 19.3k requests/s without it, measured before requests were scored in batches).
 * Addresses are kept in memory per process; past `maxAddresses` the finished windows are dropped,
 * then the oldest.
 *
 * @example
 *   app.post('/api/v1/predict', { onRequest: rateLimit({ max: 600, windowMs: 60_000 }) }, handler);
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { NsError } from '../core/errors.js';

export interface RateLimitOptions {
  max: number;
  windowMs: number;
  /** Addresses remembered before old ones are dropped (default 10,000). */
  maxAddresses?: number;
  /** The clock (tests). */
  now?: () => number;
}

interface Window { count: number; endsAt: number }

export type RateLimitHook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

/** A fresh limiter (its own counts) as an onRequest hook. */
export function rateLimit(opts: RateLimitOptions): RateLimitHook {
  const { max, windowMs } = opts;
  const cap = opts.maxAddresses ?? 10_000;
  const now = opts.now ?? Date.now;
  const windows = new Map<string, Window>();
  const limit = String(max);

  const forget = (t: number): void => {
    for (const [k, w] of windows) if (w.endsAt <= t) windows.delete(k);
    for (const k of windows.keys()) {
      if (windows.size <= cap) break;
      windows.delete(k);
    }
  };

  return (request, reply, done) => {
    const t = now();
    let w = windows.get(request.ip);
    if (w === undefined || w.endsAt <= t) {
      // A new window goes to the end of the Map's order, so the oldest windows come first when trimming.
      if (w !== undefined) windows.delete(request.ip);
      w = { count: 0, endsAt: t + windowMs };
      windows.set(request.ip, w);
      if (windows.size > cap) forget(t);
    }
    w.count++;
    reply.header('x-ratelimit-limit', limit);
    reply.header('x-ratelimit-remaining', String(Math.max(0, max - w.count)));
    if (w.count <= max) { done(); return; }
    const seconds = Math.ceil((w.endsAt - t) / 1000);
    reply.header('retry-after', String(seconds));
    done(new NsError('RATE_LIMITED', `Too many requests to this endpoint: at most ${max} per ${windowMs === 60_000 ? 'minute' : `${windowMs / 1000} s`} from one address.`, {
      kind: 'limit', httpStatus: 429, hint: `Retry after ${seconds} s, or send many rows per request (the server's NS_RATE_LIMIT_PER_MINUTE sets the limit).`,
    }));
  };
}
