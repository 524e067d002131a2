/**
 * MLflow scoring-server protocol: the request examples of MLflow's "deploy a model locally" page,
 * adapted to our 30 features, answer as `mlflow models serve` would (status codes and body shapes).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { fakeModel, fakeWorld, featureNames, type FakeWorld } from '../../src/server/fake-deps.test-helpers.js';
import { fromRows } from '../../src/core/matrix.js';

const legit = featureNames.map(() => 1);
const phish = featureNames.map(() => -1);
const expected = Array.from(fakeModel(1).predict(fromRows([legit, phish])).label);

let app: FastifyInstance;
let world: FakeWorld;
beforeAll(async () => { world = fakeWorld(); app = await buildServer(world.deps); });
afterAll(async () => { await app.close(); });

const invoke = (payload: unknown, type = 'application/json'): Promise<LightMyRequestResponse> =>
  app.inject({ method: 'POST', url: '/invocations', payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': type } });

describe('POST /invocations', () => {
  it.each([
    ['dataframe_split', { dataframe_split: { columns: featureNames, data: [legit, phish] } }],
    ['dataframe_split with index', { dataframe_split: { index: [0, 1], columns: featureNames, data: [legit, phish] } }],
    ['dataframe_records', { dataframe_records: [Object.fromEntries(featureNames.map((f, j) => [f, legit[j]])), Object.fromEntries(featureNames.map((f, j) => [f, phish[j]]))] }],
    ['instances (tensor rows)', { instances: [legit, phish] }],
    ['inputs (columns)', { inputs: Object.fromEntries(featureNames.map((f, j) => [f, [legit[j], phish[j]]])) }],
    ['inputs (tensor rows) with params', { inputs: [legit, phish], params: {} }],
  ])('answers {"predictions": [...]} for %s', async (_name, body) => {
    const res = await invoke(body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ predictions: expected });
  });

  it('accepts text/csv with a header row', async () => {
    const res = await invoke(`${featureNames.join(',')}\n${legit.join(',')}\n${phish.join(',')}\n`, 'text/csv');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ predictions: expected });
  });

  it('answers 400 {error_code, message} for bad input', async () => {
    for (const body of [{}, { dataframe_split: { columns: featureNames, data: [legit] }, instances: [legit] }, { instances: [[1, 2]] }, { dataframe_records: [{ nope: 1 }] }, '{not json']) {
      const res = await invoke(body);
      expect(res.statusCode).toBe(400);
      const err = res.json<{ error_code: string; message: string }>();
      expect(err.error_code).toBe('BAD_REQUEST');
      expect(typeof err.message).toBe('string');
    }
    const csv = await invoke(`${featureNames.join(',')}\n${legit.join(',').replace(/^1/, '5')}\n`, 'text/csv');
    expect(csv.statusCode).toBe(400);
    expect(csv.json<{ error_code: string }>().error_code).toBe('BAD_REQUEST');
  });

  it('answers 415 for other content types and parameters', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/json; format=pandas-records', 'application/json; charset=latin-1']) {
      const res = await invoke('{}', type);
      expect(res.statusCode).toBe(415);
      expect(res.json<{ error_code: string }>()).toHaveProperty('message');
    }
  });
});

describe('GET /ping, /health, /version', () => {
  it('answers 200 with a loaded model and 404 without', async () => {
    expect((await app.inject({ url: '/ping' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/version' })).body).toMatch(/^\d+\.\d+\.\d+/);
    world.setModel(undefined);
    expect((await app.inject({ url: '/ping' })).statusCode).toBe(404);
    world.setModel(fakeModel(1));
  });
});
