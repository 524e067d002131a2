/**
 * The request log (issue 17): one pino JSON line per request with its id, the id in the
 * `x-request-id` header and in error bodies, runs started from the API logged, secrets never written.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from './app.js';
import { fakeWorld } from './fake-deps.test-helpers.js';
import { redactRequestUrl, type RequestLogOptions } from './request-log.js';

let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

async function start(log: Omit<RequestLogOptions, 'stream'> = {}): Promise<{ app: FastifyInstance; lines: string[] }> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildServer({ ...fakeWorld({ apiToken: 'sekret-token-1' }).deps, requestLog: { ...log, stream } });
  return { app, lines };
}

type Line = { level: number; reqId: string; msg: string; req?: { method: string; url: string }; res?: { statusCode: number }; responseTime?: number; runId?: string };
const parse = (lines: string[]): Line[] => lines.map((l) => JSON.parse(l) as Line);

describe('request log', () => {
  it('one JSON line per request, with the id sent back in x-request-id', async () => {
    const { app: a, lines } = await start();
    const res = await a.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const logged = parse(lines);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 30, reqId: id, msg: 'request completed', req: { method: 'GET', url: '/healthz' }, res: { statusCode: 200 } });
    expect(typeof logged[0]!.responseTime).toBe('number');
  });

  it('keeps a well-formed incoming x-request-id and replaces a malformed one', async () => {
    const { app: a, lines } = await start();
    expect((await a.inject({ url: '/healthz', headers: { 'x-request-id': 'client-42.a:b' } })).headers['x-request-id']).toBe('client-42.a:b');
    const bad = await a.inject({ url: '/healthz', headers: { 'x-request-id': 'x y {"level":60}' } });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(parse(lines).map((l) => l.reqId)).toEqual(['client-42.a:b', bad.headers['x-request-id']]);
  });

  it('API error bodies carry the request id; the scoring protocols keep their shapes and have it in the header', async () => {
    const { app: a, lines } = await start();
    const api = await a.inject({ method: 'POST', url: '/api/v1/predict', payload: { nope: 1 } });
    expect(api.statusCode).toBe(400);
    expect(api.json<{ error: { requestId: string } }>().error.requestId).toBe(api.headers['x-request-id']);
    const mlflow = await a.inject({ method: 'POST', url: '/invocations', payload: { nope: 1 } });
    expect(Object.keys(mlflow.json<object>())).toEqual(['error_code', 'message']);
    expect(mlflow.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await a.inject({ url: '/no/such/route' });
    expect(missing.json<{ error: { requestId: string } }>().error.requestId).toBe(missing.headers['x-request-id']);
    expect(parse(lines).map((l) => [l.reqId, l.res?.statusCode])).toEqual([[api.headers['x-request-id'], 400], [mlflow.headers['x-request-id'], 400], [missing.headers['x-request-id'], 404]]);
  });

  it('a run started from the API is logged with its run id under the request id', async () => {
    const { app: a, lines } = await start();
    const res = await a.inject({ method: 'POST', url: '/api/v1/runs', headers: { authorization: 'Bearer sekret-token-1' }, payload: {} });
    expect(res.statusCode).toBe(202);
    const started = parse(lines).find((l) => l.msg === 'run started');
    expect(started).toMatchObject({ reqId: res.headers['x-request-id'], runId: res.json<{ runId: string }>().runId });
  });

  it('never writes tokens, authorization headers or credentials in URLs', async () => {
    const { app: a, lines } = await start();
    await a.inject({
      method: 'POST', url: '/api/v1/runs?token=sekret-query&api_key=sekret-key&next=https://bob:sekret-pw@example.com/x',
      headers: { authorization: 'Bearer sekret-token-1', 'x-api-token': 'sekret-token-1', cookie: 'sid=sekret-cookie' }, payload: {},
    });
    const text = lines.join('\n');
    expect(text).toContain('token=***');
    expect(text).toContain('bob%3A***%40example.com');
    expect(text).not.toMatch(/sekret/);
  });

  it('an internal error is logged once, with credentials in its message masked', async () => {
    const errors: string[] = [];
    const lines: string[] = [];
    const stream = new Writable({ write(chunk: Buffer, _e, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
    const world = fakeWorld();
    const logger = { ...world.deps.logger, error(msg: string, fields?: Record<string, unknown>) { errors.push(JSON.stringify({ msg, ...fields })); } };
    app = await buildServer({ ...world.deps, logger, jobs: () => Promise.reject(new Error('lost mongodb://bob:sekret-pw@h/db')), requestLog: { stream } });
    const res = await app.inject({ url: '/api/v1/jobs' });
    expect(res.statusCode).toBe(500);
    const all = [...errors, ...lines];
    expect(all.filter((l) => l.includes('lost mongodb'))).toHaveLength(1);
    expect(errors[0]).toContain('mongodb://bob:***@h/db');
    expect(all.join('\n')).not.toMatch(/sekret/);
    expect(parse(lines).map((l) => [l.level, l.res?.statusCode])).toEqual([[50, 500]]);
  });

  it('--pretty: readable lines without colour codes when colour is off', async () => {
    const { app: a, lines } = await start({ pretty: true, colour: false });
    const res = await a.inject({ url: '/healthz' });
    const text = lines.join('\n');
    expect(() => JSON.parse(lines[0]!) as unknown).toThrow();
    expect(text).toContain('request completed');
    expect(text).toContain(String(res.headers['x-request-id']));
    expect(text).not.toContain('\u001b[');
  });
});

describe('redactRequestUrl', () => {
  it.each([
    ['/api/v1/runs', '/api/v1/runs'],
    ['/x?token=abc&limit=5', '/x?token=***&limit=5'],
    ['/x?password=p&SessionId=s&sig=z', '/x?password=***&SessionId=***&sig=***'],
    ['/x?u=mongodb://a:b@h/', '/x?u=mongodb%3A%2F%2Fa%3A***%40h%2F'],
  ])('%s → %s', (url, expected) => {
    expect(redactRequestUrl(url)).toBe(expected);
  });
});
