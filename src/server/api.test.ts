import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from './app.js';
import { fakeBundleBytes, fakeChosen, fakeModel, fakeWorld, featureNames, type FakeDepsOptions, type FakeWorld } from './fake-deps.test-helpers.js';

const token = 'test-token-123';
const auth = { authorization: `Bearer ${token}` };
const row = (v = 1): Record<string, number> => Object.fromEntries(featureNames.map((f) => [f, v]));

let app: FastifyInstance | undefined;
let world: FakeWorld;
afterEach(async () => { await app?.close(); app = undefined; });

async function start(opts: FakeDepsOptions = {}): Promise<FastifyInstance> {
  world = fakeWorld({ apiToken: token, ...opts });
  app = await buildServer(world.deps);
  return app;
}

/** Asserts a JSON error with a code, then that the server still answers. */
async function expectError(a: FastifyInstance, req: InjectOptions, status: number, code: string): Promise<void> {
  const res = await a.inject(req);
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  const body = res.json<{ error: { code: string; message: string } }>();
  expect(body.error.code).toBe(code);
  expect(body.error.message).not.toMatch(/\n\s+at /);
  expect((await a.inject({ url: '/healthz' })).statusCode).toBe(200);
}

describe('POST /api/v1/predict', () => {
  it('scores one row with contributions that add up to the phishing score', async () => {
    const a = await start();
    const res = await a.inject({ method: 'POST', url: '/api/v1/predict', payload: { row: row(-1), contributions: true } });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ modelVersion: number; contributionSpace: string; predictions: { label: number; verdict: string; probPhishing: number; contributions: Record<string, number>; base: number }[] }>();
    expect(body.modelVersion).toBe(1);
    // The fake model is logistic: base + contributions is the log-odds of phishing.
    expect(body.contributionSpace).toBe('log-odds');
    const p = body.predictions[0]!;
    expect(p.label).toBe(-1);
    expect(p.verdict).toBe('phishing');
    const score = p.base + Object.values(p.contributions).reduce((s, v) => s + v, 0);
    expect(p.probPhishing).toBeCloseTo(1 / (1 + Math.exp(-score)), 9);
    expect(Object.keys(p.contributions)).toEqual(featureNames);
  });

  it('scores many rows, accepts the alias port_no and ignores the target column', async () => {
    const a = await start();
    const { port, ...rest } = row(1);
    const res = await a.inject({ method: 'POST', url: '/api/v1/predict', payload: { rows: [row(1), { ...rest, port_no: port, Result: 1 }, row(-1)] } });
    expect(res.statusCode).toBe(200);
    const preds = res.json<{ predictions: { label: number; contributions?: unknown }[] }>().predictions;
    expect(preds.map((p) => p.label)).toEqual([1, 1, -1]);
    expect(preds[0]!.contributions).toBeUndefined();
  });

  it('rejects malformed JSON, unknown and missing features, bad values and bad shapes', async () => {
    const a = await start();
    const post = (payload: unknown, headers: Record<string, string> = {}): InjectOptions =>
      ({ method: 'POST', url: '/api/v1/predict', payload: payload as string, headers: { 'content-type': 'application/json', ...headers } });
    await expectError(a, post('{"rows": ['), 400, 'INVALID_JSON');
    await expectError(a, post({ rows: [{ ...row(), extra: 1 }] }), 400, 'UNKNOWN_FEATURES');
    const { URL_Length: _drop, ...missing } = row();
    await expectError(a, post({ rows: [missing] }), 400, 'MISSING_FEATURES');
    await expectError(a, post({ rows: [{ ...row(), SFH: 2 }] }), 400, 'BAD_VALUE');
    await expectError(a, post({ rows: [{ ...row(), SFH: 'x' }] }), 400, 'BAD_VALUE');
    await expectError(a, post({ rows: [{ ...row(), SFH: true }] }), 400, 'BAD_VALUE');
    await expectError(a, post({ rows: [] }), 400, 'EMPTY_INPUT');
    await expectError(a, post({ rows: [[1, 2]] }), 400, 'BAD_ROW');
    await expectError(a, post({ something: 1 }), 400, 'BAD_REQUEST');
    await expectError(a, post([1, 2]), 400, 'BAD_REQUEST');
    await expectError(a, post({ row: row(), contributions: 'yes' }), 400, 'BAD_REQUEST');
    await expectError(a, { method: 'POST', url: '/api/v1/predict', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 for a body over the limit and 503 without a model', async () => {
    const a = await start({ limits: { jsonBodyBytes: 2048 } });
    await expectError(a, { method: 'POST', url: '/api/v1/predict', payload: { rows: Array.from({ length: 20 }, () => row()) } }, 413, 'BODY_TOO_LARGE');
    world.setModel(undefined);
    await expectError(a, { method: 'POST', url: '/api/v1/predict', payload: { row: row() } }, 503, 'MODEL_NOT_READY');
  });

  it('rate-limits predict calls with 429', async () => {
    const a = await start({ limits: { predictPerMinute: 2 } });
    for (let i = 0; i < 2; i++) expect((await a.inject({ method: 'POST', url: '/api/v1/predict', payload: { row: row() } })).statusCode).toBe(200);
    await expectError(a, { method: 'POST', url: '/api/v1/predict', payload: { row: row() } }, 429, 'RATE_LIMITED');
  });

  it('finishes a request on the model it started with when the champion is swapped', async () => {
    const a = await start();
    const old = fakeModel(1);
    let swapped = false;
    world.setModel({ ...old, predict: (X) => { world.setModel(fakeModel(9)); swapped = true; return old.predict(X); } });
    const res = await a.inject({ method: 'POST', url: '/api/v1/predict', payload: { row: row() } });
    expect(swapped).toBe(true);
    expect(res.json<{ modelVersion: number }>().modelVersion).toBe(1);
    expect((await a.inject({ method: 'POST', url: '/api/v1/predict', payload: { row: row() } })).json<{ modelVersion: number }>().modelVersion).toBe(9);
  });
});

describe('POST /api/v1/predict/csv', () => {
  const header = featureNames.join(',');
  const line = (v: number): string => featureNames.map(() => String(v)).join(',');

  it('returns the CSV with prediction columns, per-row errors and formula escaping', async () => {
    const a = await start();
    const csv = `id,${header.replace('port', 'port_no')},Result\r\nA,${line(1)},1\r\n=cmd|' /C calc'!A0,${line(-1)},-1\r\nC,${line(1).replace(/^1/, '7')},1\r\nD,1,1\r\n`;
    const res = await a.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['x-rows']).toBe('4');
    expect(res.headers['x-row-errors']).toBe('2');
    const lines = res.body.trimEnd().split('\n');
    expect(lines[0]).toBe(`id,${header.replace('port', 'port_no')},Result,prediction,phishing_probability,error`);
    expect(lines[1]).toMatch(/^A,.*,1,1,0\.\d+,$/);
    expect(lines[2]!.startsWith("'=cmd|' /C calc'!A0,")).toBe(true);
    expect(lines[2]).toMatch(/,-1,-1,0\.\d+,$/);
    expect(lines[3]).toMatch(/,,,"line 4: having_IP_Address: value 7 is not allowed \(allowed: -1, 0, 1\)"$/);
    expect(lines[4]).toBe('D,1,1,,,"line 5: expected 32 values, found 3 (short row)"');
  });

  it('accepts a multipart upload', async () => {
    const a = await start();
    const boundary = '----nsboundary';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n${header}\n${line(1)}\n\r\n--${boundary}--\r\n`;
    const res = await a.inject({ method: 'POST', url: '/api/v1/predict/csv', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(res.statusCode).toBe(200);
    expect(res.body.split('\n')[1]).toMatch(/,1,0\.\d+,$/);
  });

  it('rejects empty, header-only, incomplete, oversized and non-CSV uploads', async () => {
    const a = await start({ limits: { csvUploadBytes: 4096 } });
    const post = (payload: string, type = 'text/csv'): InjectOptions => ({ method: 'POST', url: '/api/v1/predict/csv', payload, headers: { 'content-type': type } });
    await expectError(a, post(''), 400, 'CSV_EMPTY');
    await expectError(a, post(`${header}\n`), 400, 'CSV_NO_ROWS');
    await expectError(a, post(`having_IP_Address\n1\n`), 400, 'CSV_MISSING_COLUMNS');
    await expectError(a, post(`${header}\n${Array.from({ length: 100 }, () => line(1)).join('\n')}`), 413, 'UPLOAD_TOO_LARGE');
    await expectError(a, post('{}', 'application/json'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectError(a, post(`--b\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n${header}\n`, 'multipart/form-data; boundary=b'), 400, 'BAD_UPLOAD');
  });
});

describe('runs', () => {
  it('needs the token to start a run: missing → 401, wrong → 403', async () => {
    const a = await start();
    await expectError(a, { method: 'POST', url: '/api/v1/runs', payload: {} }, 401, 'AUTH_REQUIRED');
    await expectError(a, { method: 'POST', url: '/api/v1/runs', payload: {}, headers: { authorization: 'Bearer wrong-token' } }, 403, 'AUTH_INVALID');
    await expectError(a, { method: 'POST', url: '/api/v1/runs', payload: {}, headers: { 'x-api-token': `${token}x` } }, 403, 'AUTH_INVALID');
    expect(world.runs.runs.size).toBe(0);
  });

  it('refuses changes from other machines when no token is configured', async () => {
    world = fakeWorld({});
    app = await buildServer(world.deps);
    await expectError(app, { method: 'POST', url: '/api/v1/runs', payload: {}, remoteAddress: '10.1.2.3' }, 403, 'AUTH_NOT_CONFIGURED');
    expect((await app.inject({ method: 'POST', url: '/api/v1/runs', payload: {} })).statusCode).toBe(202);
  });

  it('starts a run, streams its stages as server-sent events, then lists it with reports', async () => {
    const a = await start({ stageDelayMs: 2 });
    const started = await a.inject({ method: 'POST', url: '/api/v1/runs', payload: { full: true }, headers: auth });
    expect(started.statusCode).toBe(202);
    const { runId } = started.json<{ runId: string }>();
    const events = await a.inject({ url: `/api/v1/runs/${runId}/events` });
    expect(events.headers['content-type']).toMatch(/text\/event-stream/);
    const names = [...events.body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names[0]).toBe('snapshot');
    expect(names).toContain('stage_started');
    expect(names.filter((n) => n === 'stage_finished')).toHaveLength(6);
    expect(names.at(-1)).toBe('run_finished');
    await world.finished(runId);
    const list = (await a.inject({ url: '/api/v1/runs' })).json<{ runs: { id: string; status: string }[] }>().runs;
    expect(list[0]).toMatchObject({ id: runId, status: 'succeeded' });
    const one = await a.inject({ url: `/api/v1/runs/${runId}` });
    const summary = one.json<{ summary: { candidates: unknown[]; best: string } }>().summary;
    expect(summary.best).toBe(fakeChosen);
    expect(summary.candidates).toHaveLength(10);
    const curves = await a.inject({ url: `/api/v1/runs/${runId}/reports/curves` });
    expect(Object.keys(curves.json<Record<string, unknown>>())).toContain(fakeChosen);
    const drift = await a.inject({ url: '/api/v1/reports/drift/latest' });
    expect(drift.json<{ runId: string }>().runId).toBe(runId);
    const ended = await a.inject({ url: `/api/v1/runs/${runId}/events` });
    expect([...ended.body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1])).toEqual(['snapshot', 'end']);
    const snaps = (await a.inject({ url: '/api/v1/snapshots' })).json<{ snapshots: { runId: string }[] }>().snapshots;
    expect(snaps[0]!.runId).toBe(runId);
  });

  it('streams a finished run whose subscription replays its events synchronously', async () => {
    const a = await start({ stageDelayMs: 1 });
    const { runId } = (await a.inject({ method: 'POST', url: '/api/v1/runs', payload: {}, headers: auth })).json<{ runId: string }>();
    await world.finished(runId);
    world.deps.subscribe = (_id, listener) => {
      for (const type of ['stage_started', 'stage_finished', 'run_finished'] as const) listener({ type, runId, stage: 'ingest', at: new Date().toISOString() });
      return () => undefined;
    };
    const res = await a.inject({ url: `/api/v1/runs/${runId}/events` });
    expect([...res.body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1])).toEqual(['stage_started', 'stage_finished', 'run_finished']);
    expect((await a.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('answers 404 JSON for unknown runs and reports, 400 for bad bodies and limits', async () => {
    const a = await start();
    await expectError(a, { url: '/api/v1/runs/nope' }, 404, 'RUN_NOT_FOUND');
    await expectError(a, { url: '/api/v1/runs/nope/events' }, 404, 'RUN_NOT_FOUND');
    await expectError(a, { url: '/api/v1/runs/nope/reports/secrets' }, 404, 'REPORT_UNKNOWN');
    await expectError(a, { url: '/api/v1/reports/drift/latest' }, 404, 'REPORT_NOT_FOUND');
    await expectError(a, { url: '/api/v1/runs?limit=0' }, 400, 'BAD_REQUEST');
    await expectError(a, { method: 'POST', url: '/api/v1/runs', payload: { full: 'yes' }, headers: auth }, 400, 'BAD_REQUEST');
    await expectError(a, { method: 'POST', url: '/api/v1/runs', payload: { preset: 'huge' }, headers: auth }, 400, 'BAD_REQUEST');
    await expectError(a, { url: '/no/such/route' }, 404, 'NOT_FOUND');
  });

  it('starts a run on the preset the body names', async () => {
    const a = await start();
    const { runId } = (await a.inject({ method: 'POST', url: '/api/v1/runs', payload: { preset: 'quick' }, headers: auth })).json<{ runId: string }>();
    await world.finished(runId);
    const run = (await a.inject({ url: `/api/v1/runs/${runId}` })).json<{ summary: { options: { preset: string } } }>();
    expect(run.summary.options.preset).toBe('quick');
  });
});

describe('notes on runs and versions', () => {
  it('saves a note with the token, reads it back, lists it, and removes it with an empty text', async () => {
    const a = await start();
    const { runId } = (await a.inject({ method: 'POST', url: '/api/v1/runs', payload: {}, headers: auth })).json<{ runId: string }>();
    await world.finished(runId);
    expect((await a.inject({ url: `/api/v1/runs/${runId}/note` })).json()).toEqual({ kind: 'run', id: runId, text: '', updatedAt: null });
    await expectError(a, { method: 'POST', url: `/api/v1/runs/${runId}/note`, payload: { text: 'x' } }, 401, 'AUTH_REQUIRED');
    await expectError(a, { method: 'POST', url: `/api/v1/runs/${runId}/note`, payload: { text: 5 }, headers: auth }, 400, 'BAD_REQUEST');
    await expectError(a, { method: 'POST', url: `/api/v1/runs/${runId}/note`, payload: { text: 'x'.repeat(10_001) }, headers: auth }, 400, 'NOTE_TOO_LONG');
    await expectError(a, { method: 'POST', url: '/api/v1/runs/nope/note', payload: { text: 'x' }, headers: auth }, 404, 'RUN_NOT_FOUND');
    await expectError(a, { method: 'POST', url: '/api/v1/models/99/note', payload: { text: 'x' }, headers: auth }, 404, 'MODEL_VERSION_NOT_FOUND');
    const saved = await a.inject({ method: 'POST', url: `/api/v1/runs/${runId}/note`, payload: { text: '  more trees  ' }, headers: auth });
    expect(saved.json()).toMatchObject({ kind: 'run', id: runId, text: 'more trees' });
    await a.inject({ method: 'POST', url: '/api/v1/models/1/note', payload: { text: 'the baseline' }, headers: auth });
    expect((await a.inject({ url: `/api/v1/runs/${runId}/note` })).json<{ text: string }>().text).toBe('more trees');
    expect((await a.inject({ url: '/api/v1/notes/version' })).json<{ notes: { id: string; text: string }[] }>().notes).toMatchObject([{ id: '1', text: 'the baseline' }]);
    await expectError(a, { url: '/api/v1/notes/other' }, 400, 'BAD_REQUEST');
    await a.inject({ method: 'POST', url: `/api/v1/runs/${runId}/note`, payload: { text: '' }, headers: auth });
    expect((await a.inject({ url: `/api/v1/runs/${runId}/note` })).json<{ text: string }>().text).toBe('');
  });

  it('refuses a note from another site', async () => {
    const a = await start();
    await expectError(a, { method: 'POST', url: '/api/v1/models/1/note', payload: { text: 'x' }, headers: { ...auth, origin: 'http://evil.example', host: '127.0.0.1' } }, 403, 'CROSS_SITE_REQUEST');
  });
});

describe('model download', () => {
  it('sends the bundle bytes with its sha256, only with the token', async () => {
    const a = await start();
    await expectError(a, { url: '/api/v1/models/1/bundle' }, 401, 'AUTH_REQUIRED');
    await expectError(a, { url: '/api/v1/models/1/bundle', headers: { authorization: 'Bearer wrong' } }, 403, 'AUTH_INVALID');
    await expectError(a, { url: '/api/v1/models/99/bundle', headers: auth }, 404, 'MODEL_VERSION_NOT_FOUND');
    await expectError(a, { url: '/api/v1/models/x/bundle', headers: auth }, 400, 'BAD_REQUEST');
    const res = await a.inject({ url: '/api/v1/models/1/bundle', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe('attachment; filename="networksecurity-model-v1.nsm"');
    const expected = fakeBundleBytes('models/1.nsmb');
    expect(res.rawPayload.equals(Buffer.from(expected))).toBe(true);
    expect(res.headers['x-bundle-sha256']).toBe((await world.registry.get(1))!.bundleSha256);
  });

  it('without a token configured, serves this machine only, and needs no JSON content type', async () => {
    world = fakeWorld({});
    app = await buildServer(world.deps);
    expect((await app.inject({ url: '/api/v1/models/1/bundle' })).statusCode).toBe(200);
    await expectError(app, { url: '/api/v1/models/1/bundle', remoteAddress: '10.1.2.3' }, 403, 'AUTH_NOT_CONFIGURED');
  });
});

describe('registry', () => {
  it('promotes with compare-and-set and rolls back, with the token', async () => {
    const a = await start({ stageDelayMs: 1 });
    const { runId } = (await a.inject({ method: 'POST', url: '/api/v1/runs', payload: {}, headers: auth })).json<{ runId: string }>();
    await world.finished(runId);
    let models = (await a.inject({ url: '/api/v1/models' })).json<{ champion: number; serving: number; versions: { version: number }[] }>();
    expect(models.champion).toBe(2);
    expect(models.versions.map((v) => v.version)).toEqual([2, 1]);
    await expectError(a, { method: 'POST', url: '/api/v1/models/1/promote', payload: { expected: 2 } }, 401, 'AUTH_REQUIRED');
    await expectError(a, { method: 'POST', url: '/api/v1/models/1/promote', payload: { expected: 1 }, headers: auth }, 409, 'ALIAS_CONFLICT');
    await expectError(a, { method: 'POST', url: '/api/v1/models/7/promote', payload: {}, headers: auth }, 404, 'MODEL_VERSION_NOT_FOUND');
    await expectError(a, { method: 'POST', url: '/api/v1/models/x/promote', payload: {}, headers: auth }, 400, 'BAD_REQUEST');
    const promoted = await a.inject({ method: 'POST', url: '/api/v1/models/1/promote', payload: { expected: 2 }, headers: auth });
    expect(promoted.json<{ champion: number; serving: number }>()).toMatchObject({ champion: 1, serving: 1 });
    await expectError(a, { method: 'POST', url: '/api/v1/models/rollback', headers: { authorization: 'Bearer nope-nope' } }, 403, 'AUTH_INVALID');
    models = (await a.inject({ method: 'POST', url: '/api/v1/models/rollback', headers: auth })).json();
    expect(models).toMatchObject({ champion: 2, serving: 2 });
    expect((await a.inject({ url: '/api/v1/models/2' })).json<{ runId: string }>().runId).toBe(runId);
    await expectError(a, { url: '/api/v1/models/99' }, 404, 'MODEL_VERSION_NOT_FOUND');
  });
});

describe('operations', () => {
  it('reports health, readiness, schema, model and Prometheus metrics', async () => {
    const a = await start();
    expect((await a.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await a.inject({ url: '/readyz' })).json()).toEqual({ ready: true, modelVersion: 1 });
    expect((await a.inject({ url: '/api/v1/schema' })).json<{ features: string[] }>().features).toEqual(featureNames);
    expect((await a.inject({ url: '/api/v1/model' })).json()).toMatchObject({ version: 1, explains: true });
    await a.inject({ method: 'POST', url: '/api/v1/predict', payload: { rows: [row(1), row(-1), row(-1)] } });
    const text = (await a.inject({ url: '/metrics' })).body;
    expect(text).toContain('ns_http_requests_total{method="POST",route="/api/v1/predict",status="200"} 1');
    expect(text).toContain('ns_http_request_duration_seconds_bucket{le="+Inf",route="/api/v1/predict"} 1');
    expect(text).toContain('ns_predictions_total{class="phishing"} 2');
    expect(text).toContain('ns_predictions_total{class="legitimate"} 1');
    expect(text).toContain('ns_model_version 1');
    world.setModel(undefined);
    const notReady = await a.inject({ url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json<{ error: { code: string } }>().error.code).toBe('MODEL_NOT_READY');
  });

  it('serves the OpenAPI document and the docs page, with no CORS headers', async () => {
    const a = await start();
    const doc = (await a.inject({ url: '/api/v1/openapi.json' })).json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/predict', '/api/v1/predict/csv', '/api/v1/runs/{id}/events', '/api/v1/models/{version}/promote', '/api/v1/models/{version}/bundle', '/api/v1/runs/{id}/note', '/api/v1/models/{version}/note', '/api/v1/notes/{kind}']));
    expect(Object.keys(doc.paths)).toContain('/api/v1/models/rollback');
    const page = await a.inject({ url: '/api/docs', headers: { origin: 'https://evil.example' } });
    expect(page.body).toContain('swagger-initializer.js');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('hides internal errors behind a 500 INTERNAL without a stack', async () => {
    const a = await start();
    world.deps.runs.list = () => Promise.reject(new Error('disk on fire'));
    const res = await a.inject({ url: '/api/v1/runs' });
    expect(res.statusCode).toBe(500);
    expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'INTERNAL' });
    expect(res.body).not.toContain('disk on fire');
  });
});
