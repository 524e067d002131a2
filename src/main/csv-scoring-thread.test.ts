/**
 * CSV uploads scored in the scoring thread: the API route with deps.scoreCsvUpload (what `serve` wires)
 * gives the same answer as the route scoring on its own event loop, byte for byte, with the same
 * headers and the same 4xx for bad files, and the served model is never run on the serving thread.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../core/hash.js';
import { parseSchema } from '../data/schema.js';
import { encodeBundle } from '../ml/bundle.js';
import { classifierFactory } from '../ml/catalog.js';
import { contractData } from '../ml/contract.js';
import { Predictor } from '../pipeline/predictor.js';
import { buildServer } from '../server/app.js';
import { fakeWorld } from '../server/fake-deps.test-helpers.js';
import { csvScoringThread, type CsvScoringThread } from './csv-scoring-thread.js';

const schema = parseSchema(readFileSync(new URL('../../config/schema.yaml', import.meta.url), 'utf8'));
const lines = readFileSync(new URL('../../data/phisingData.csv', import.meta.url), 'utf8').trimEnd().split('\n').map((l) => l.trim());
const header = lines[0]!;
const rows = lines.slice(1);

let bytes: Uint8Array;
let thread: CsvScoringThread;
let inLoop: FastifyInstance;
let offLoop: FastifyInstance;
let mainThreadPredicts = 0;

beforeAll(async () => {
  const data = contractData(300, schema.features.length, 3);
  const model = await classifierFactory('logistic_regression').create({}).fit(data.X, data.y);
  bytes = encodeBundle({
    featureNames: schema.features, schemaHash: schema.hash, trainingDataHash: 'd', metrics: {},
    libraryVersion: 'test', createdAt: '2026-01-01T00:00:00.000Z', preprocessors: [], model: model.toState(),
  });
  const predictor = Predictor.fromVersion(bytes, { version: 4, bundleSha256: sha256(bytes) }, schema.hash);
  const served = { version: 4, kind: 'logistic_regression', featureNames: schema.features, predict: (X: Parameters<Predictor['predict']>[0]) => { mainThreadPredicts++; return predictor.predict(X); } };
  thread = csvScoringThread(schema, (version) => Promise.resolve(version === 4 ? { bytes, bundleSha256: sha256(bytes) } : Promise.reject(new Error('no such version'))));
  const make = async (withThread: boolean): Promise<FastifyInstance> => {
    const world = fakeWorld({ limits: { csvUploadBytes: 1 << 20 } });
    world.deps.schema = schema;
    world.setModel(served);
    if (withThread) world.deps.scoreCsvUpload = (m, source) => thread.score(m.version, source);
    return buildServer(world.deps);
  };
  inLoop = await make(false);
  offLoop = await make(true);
});
afterAll(async () => {
  await thread.close();
  await inLoop.close();
  await offLoop.close();
});

const upload = (app: FastifyInstance, payload: string, type = 'text/csv') => app.inject({ method: 'POST', url: '/api/v1/predict/csv', payload, headers: { 'content-type': type } });

describe('CSV uploads scored in the scoring thread', () => {
  it('give the same scored CSV and headers as scoring on the event loop, without running the model on it', async () => {
    const text = `${[header, ...rows.slice(0, 3000), `=HYPERLINK("x"),${rows[0]!.split(',').slice(1).join(',')}`, rows[1]!.split(',').slice(0, 4).join(',')].join('\n')}\n`;
    const before = mainThreadPredicts;
    const off = await upload(offLoop, text);
    expect(mainThreadPredicts).toBe(before);
    const on = await upload(inLoop, text);
    expect(mainThreadPredicts).toBeGreaterThan(before);
    expect(off.statusCode).toBe(200);
    expect(off.body).toBe(on.body);
    for (const h of ['x-rows', 'x-row-errors', 'x-missing-values', 'x-model-version', 'content-type']) expect(off.headers[h]).toBe(on.headers[h]);
    expect(off.headers['x-rows']).toBe('3002');
    expect(off.headers['x-row-errors']).toBe('2');
  });

  it('give the same 4xx for a bad header, an overlong field and an upload over the size limit', async () => {
    const cases = [
      `${header.split(',').slice(2).join(',')}\n${rows[0]}\n`,
      `${header}\n${'x'.repeat(70_000)},${rows[0]!.split(',').slice(1).join(',')}\n`,
      `${header}\n${`${rows[0]}\n`.repeat(Math.ceil((1 << 20) / rows[0]!.length))}`,
    ];
    const codes: string[] = [];
    for (const text of cases) {
      const off = await upload(offLoop, text);
      const on = await upload(inLoop, text);
      expect(off.statusCode).toBe(on.statusCode);
      const error = (res: typeof off): unknown => ({ ...res.json<{ error: object }>().error, requestId: undefined });
      expect(error(off)).toEqual(error(on));
      codes.push(`${off.statusCode} ${off.json<{ error: { code: string } }>().error.code}`);
    }
    expect(codes).toEqual(['400 CSV_MISSING_COLUMNS', '413 CSV_FIELD_TOO_LONG', '413 UPLOAD_TOO_LARGE']);
    // The thread is still usable after the failed uploads.
    const ok = await upload(offLoop, `${header}\n${rows[0]}\n`);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['x-rows']).toBe('1');
  });

  it('refuse a bundle whose bytes do not match the registry, as predict does', async () => {
    const bad = csvScoringThread(schema, () => Promise.resolve({ bytes, bundleSha256: 'f'.repeat(64) }));
    try {
      await expect(bad.score(4, Readable.from([Buffer.from(`${header}\n${rows[0]}\n`)]))).rejects.toMatchObject({ code: 'BUNDLE_CHECKSUM' });
    } finally {
      await bad.close();
    }
  });
});
