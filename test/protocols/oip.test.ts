/**
 * Open Inference Protocol (KServe v2 / MLServer / Triton): the request shapes of the protocol's
 * documentation answer with the documented status codes and bodies.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRows } from '../../src/core/matrix.js';
import { buildServer } from '../../src/server/app.js';
import { fakeModel, fakeWorld, featureNames, type FakeWorld } from '../../src/server/fake-deps.test-helpers.js';

const legit = featureNames.map(() => 1);
const phish = featureNames.map((_, j) => (j % 2 === 0 ? -1 : 0));
const truth = fakeModel(1).predict(fromRows([legit, phish]));
const url = '/v2/models/networksecurity/infer';

let app: FastifyInstance;
let world: FakeWorld;
beforeAll(async () => { world = fakeWorld(); app = await buildServer(world.deps); });
afterAll(async () => { await app.close(); });

interface InferResponse { model_name: string; model_version: string; id?: string; outputs: { name: string; shape: number[]; datatype: string; data: number[] }[] }
const infer = async (body: unknown): Promise<{ status: number; body: InferResponse & { error?: string } }> => {
  const res = await app.inject({ method: 'POST', url, payload: body as Record<string, unknown> });
  return { status: res.statusCode, body: res.json() };
};

describe('health and metadata', () => {
  it('answers server and model metadata, liveness and readiness', async () => {
    expect((await app.inject({ url: '/v2' })).json()).toMatchObject({ name: 'networksecurity', extensions: [] });
    expect((await app.inject({ url: '/v2/health/live' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/v2/health/ready' })).json()).toEqual({ ready: true });
    const meta = (await app.inject({ url: '/v2/models/networksecurity' })).json<{ name: string; versions: string[]; inputs: { shape: number[] }[]; outputs: { name: string }[] }>();
    expect(meta.name).toBe('networksecurity');
    expect(meta.versions).toEqual(['1']);
    expect(meta.inputs[0]!.shape).toEqual([-1, 30]);
    expect(meta.outputs.map((o) => o.name)).toEqual(['predict', 'predict_proba']);
    expect((await app.inject({ url: '/v2/models/networksecurity/ready' })).json()).toEqual({ name: 'networksecurity', ready: true });
    const missing = await app.inject({ url: '/v2/models/resnet/ready' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ error: string }>().error).toMatch(/resnet/);
    world.setModel(undefined);
    expect((await app.inject({ url: '/v2/health/ready' })).statusCode).toBe(503);
    world.setModel(fakeModel(1));
  });
});

describe('POST /v2/models/networksecurity/infer', () => {
  it('scores one [N, 30] tensor with nested data and echoes the id', async () => {
    const { status, body } = await infer({ id: '42', inputs: [{ name: 'input-0', shape: [2, 30], datatype: 'FP64', data: [legit, phish] }] });
    expect(status).toBe(200);
    expect(body).toMatchObject({ model_name: 'networksecurity', model_version: '1', id: '42' });
    expect(body.outputs[0]).toEqual({ name: 'predict', datatype: 'INT64', shape: [2, 1], data: Array.from(truth.label) });
    const proba = body.outputs[1]!;
    expect(proba).toMatchObject({ name: 'predict_proba', datatype: 'FP64', shape: [2, 2] });
    expect(proba.data[0]).toBeCloseTo(truth.probPhishing[0]!, 12);
    expect(proba.data[2]! + proba.data[3]!).toBeCloseTo(1, 12);
  });

  it('scores flat data and one input per column, returning only the requested output', async () => {
    const flat = await infer({ inputs: [{ name: 'input-0', shape: [2, 30], datatype: 'INT32', data: [...legit, ...phish] }], outputs: [{ name: 'predict_proba' }] });
    expect(flat.status).toBe(200);
    expect(flat.body.outputs.map((o) => o.name)).toEqual(['predict_proba']);
    expect(flat.body.id).toBeUndefined();
    const perColumn = await infer({
      id: 'cols', inputs: featureNames.map((f, j) => ({ name: j === 10 ? 'port_no' : f, shape: [2], datatype: 'INT64', data: [legit[j], phish[j]] })), outputs: [{ name: 'predict' }],
    });
    expect(perColumn.status).toBe(200);
    expect(perColumn.body.outputs).toEqual([{ name: 'predict', datatype: 'INT64', shape: [2, 1], data: Array.from(truth.label) }]);
  });

  it('answers 400 {error} for shape mismatches, bad values, unknown outputs and missing inputs', async () => {
    const bad = [
      { inputs: [{ name: 'input-0', shape: [3, 30], datatype: 'FP64', data: [legit, phish] }] },
      { inputs: [{ name: 'input-0', shape: [1, 29], datatype: 'FP64', data: legit.slice(1) }] },
      { inputs: [{ name: 'input-0', shape: [1, 30], datatype: 'FP64', data: [legit.map(() => 3)] }] },
      { inputs: [{ name: 'input-0', shape: [1, 30], datatype: 'BYTES', data: [legit] }] },
      { inputs: [{ name: 'input-0', shape: [1, 30], datatype: 'FP64', data: [legit] }], outputs: [{ name: 'logits' }] },
      { inputs: [] },
      { inputs: featureNames.slice(1).map((f) => ({ name: f, shape: [1], datatype: 'FP64', data: [1] })) },
      { id: 7, inputs: [{ name: 'input-0', shape: [1, 30], datatype: 'FP64', data: [legit] }] },
    ];
    for (const body of bad) {
      const res = await infer(body);
      expect(res.status).toBe(400);
      expect(typeof res.body.error).toBe('string');
    }
    const notJson = await app.inject({ method: 'POST', url, payload: '{"inputs": [', headers: { 'content-type': 'text/plain' } });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json<{ error: string }>().error).toMatch(/JSON/);
    const wrongModel = await app.inject({ method: 'POST', url: '/v2/models/other/infer', payload: { inputs: [] } });
    expect(wrongModel.statusCode).toBe(404);
    expect(Object.keys(wrongModel.json<Record<string, unknown>>())).toEqual(['error']);
  });

  it('answers 400 naming the empty shape for a [0, 30] tensor or [0] inputs', async () => {
    for (const inputs of [
      [{ name: 'input-0', shape: [0, 30], datatype: 'FP64', data: [] }],
      featureNames.map((f) => ({ name: f, shape: [0], datatype: 'INT64', data: [] })),
    ]) {
      const res = await infer({ inputs });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/no rows to score/);
    }
  });

  it('serves the version path of the current model only', async () => {
    const ok = await app.inject({ method: 'POST', url: '/v2/models/networksecurity/versions/1/infer', payload: { inputs: [{ name: 'x', shape: [1, 30], datatype: 'FP64', data: legit }] } });
    expect(ok.statusCode).toBe(200);
    const old = await app.inject({ method: 'POST', url: '/v2/models/networksecurity/versions/9/infer', payload: { inputs: [{ name: 'x', shape: [1, 30], datatype: 'FP64', data: legit }] } });
    expect(old.statusCode).toBe(404);
  });
});
