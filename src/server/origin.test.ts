import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from './app.js';
import { fakeWorld, featureNames, type FakeDepsOptions, type FakeWorld } from './fake-deps.test-helpers.js';
import { allowedHostNames, hostAllowed } from './origin.js';

let app: FastifyInstance | undefined;
let world: FakeWorld;
afterEach(async () => { await app?.close(); app = undefined; });

/** Default configuration: no API token (loopback callers may change state). */
async function start(opts: FakeDepsOptions & { allowedHosts?: string[] } = {}): Promise<FastifyInstance> {
  world = fakeWorld(opts);
  app = await buildServer({ ...world.deps, apiToken: undefined, ...(opts.allowedHosts ? { allowedHosts: opts.allowedHosts } : {}) });
  return app;
}

async function promoteV2(): Promise<void> {
  await world.registry.register({ runId: 'r2', bundleKey: 'models/2.nsmb', bundleSha256: 'c'.repeat(64), modelKind: 'random_forest', metrics: { f1: 0.95 }, snapshotSha256: 'd'.repeat(64), schemaHash: 'fake-schema-hash' });
  await world.registry.setAlias('champion', 2, 1, 'test');
}

const json = { 'content-type': 'application/json' };
const code = (res: { json: <T>() => T }): string => res.json<{ error: { code: string } }>().error.code;
const rollback = (headers: Record<string, string>, payload: string | undefined = '{}'): InjectOptions => ({ method: 'POST', url: '/api/v1/models/rollback', headers, ...(payload === undefined ? {} : { payload }) });

describe('cross-site writes (no API token configured)', () => {
  it('refuses a rollback from another origin, and the champion stays', async () => {
    const a = await start();
    await promoteV2();
    const res = await a.inject(rollback({ ...json, origin: 'http://evil.example' }));
    expect(res.statusCode).toBe(403);
    expect(code(res)).toBe('CROSS_SITE_REQUEST');
    expect(world.registry.aliases.get('champion')).toBe(2);
  });

  it('refuses a run started by a cross-site fetch (Sec-Fetch-Site) and a null origin', async () => {
    const a = await start();
    const cross = await a.inject({ method: 'POST', url: '/api/v1/runs', headers: { ...json, 'sec-fetch-site': 'cross-site' }, payload: '{}' });
    expect(cross.statusCode).toBe(403);
    expect(code(cross)).toBe('CROSS_SITE_REQUEST');
    const nul = await a.inject({ method: 'POST', url: '/api/v1/runs', headers: { ...json, origin: 'null' }, payload: '{}' });
    expect(nul.statusCode).toBe(403);
    expect(await world.runs.list(10)).toHaveLength(0);
  });

  it('refuses a write that is not JSON (a form or text/plain POST needs no preflight)', async () => {
    const a = await start();
    await promoteV2();
    const text = await a.inject(rollback({ 'content-type': 'text/plain' }, 'x=1'));
    expect(text.statusCode).toBe(415);
    expect(code(text)).toBe('JSON_REQUIRED');
    expect((await a.inject(rollback({ 'content-type': 'application/x-www-form-urlencoded' }, 'x=1'))).statusCode).toBe(415);
    expect((await a.inject(rollback({}, undefined))).statusCode).toBe(415);
    expect(world.registry.aliases.get('champion')).toBe(2);
  });

  it('accepts the same-origin JSON write of the web UI', async () => {
    const a = await start();
    await promoteV2();
    const res = await a.inject(rollback({ ...json, host: '127.0.0.1:8501', origin: 'http://127.0.0.1:8501', 'sec-fetch-site': 'same-origin' }));
    expect(res.statusCode).toBe(200);
    expect(world.registry.aliases.get('champion')).toBe(1);
  });

  it('refuses scoring requests from another origin too, but not from clients without Origin', async () => {
    const a = await start();
    const row = Object.fromEntries(featureNames.map((f) => [f, 1]));
    const evil = await a.inject({ method: 'POST', url: '/api/v1/predict', headers: { ...json, origin: 'http://localhost:9999' }, payload: JSON.stringify({ row }) });
    expect(evil.statusCode).toBe(403);
    const plain = await a.inject({ method: 'POST', url: '/api/v1/predict', headers: json, payload: JSON.stringify({ row }) });
    expect(plain.statusCode).toBe(200);
  });
});

describe('Host header (DNS rebinding)', () => {
  it('answers only to IP literals, localhost and the configured names', async () => {
    const a = await start({ allowedHosts: allowedHostNames(' Phish.Example.org ,', 'serve.internal') });
    const get = (host: string): Promise<number> => a.inject({ url: '/api/v1/models', headers: { host } }).then((r) => r.statusCode);
    expect(await get('127.0.0.1:8501')).toBe(200);
    expect(await get('[::1]:8501')).toBe(200);
    expect(await get('localhost:8501')).toBe(200);
    expect(await get('phish.example.org')).toBe(200);
    expect(await get('serve.internal:8501')).toBe(200);
    const res = await a.inject({ url: '/api/v1/models', headers: { host: 'rebind.evil.example:8501' } });
    expect(res.statusCode).toBe(403);
    expect(code(res)).toBe('HOST_NOT_ALLOWED');
  });

  it('hostAllowed: * turns the check off; IPs in the list are not needed', () => {
    expect(hostAllowed('anything.example', ['*'])).toBe(true);
    expect(hostAllowed('10.1.2.3:80', [])).toBe(true);
    expect(hostAllowed('evil.example', [])).toBe(false);
    expect(allowedHostNames(undefined, '0.0.0.0')).toEqual([]);
  });
});
