/**
 * One meaning of a value on every API surface (src/data/values.ts): -1/0/1 as numbers or plain
 * decimal text; empty, "na", "NaN" (and JSON null) are missing, imputed and counted; every other
 * spelling ("0x1", "0b1", "1e0", " 1 ", "+1", "NA") is refused. The ETL side is in records.test.ts.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseValue } from '../data/values.js';
import { buildServer } from './app.js';
import { fakeWorld, featureNames } from './fake-deps.test-helpers.js';

const refused = ['0x1', '0b1', '1e0', ' 1 ', '+1', '1.0', 'NA', 'null'];
const missing = ['', 'na', 'NaN'];

let app: FastifyInstance;
beforeAll(async () => { app = await buildServer(fakeWorld().deps); });
afterAll(async () => { await app.close(); });

const rowWith = (v: unknown): Record<string, unknown> => ({ ...Object.fromEntries(featureNames.map((f) => [f, 1])), SFH: v });

describe('parseValue', () => {
  it('reads plain decimal numbers, three spellings of missing, and nothing else', () => {
    expect(['-1', '0', '1', -1, 0, 1].map((v) => parseValue(v))).toEqual([-1, 0, 1, -1, 0, 1]);
    expect([...missing, null].map((v) => parseValue(v))).toEqual([NaN, NaN, NaN, NaN]);
    expect([...refused, true, 0.5, '0.5'].map((v) => parseValue(v))).toEqual(refused.map(() => undefined).concat([undefined, undefined, undefined]));
    expect(parseValue('0.25', false)).toBe(0.25);
  });
});

describe('the rule on each API surface', () => {
  it('POST /api/v1/predict: other spellings are 400 BAD_VALUE; missing values are imputed and counted', async () => {
    for (const v of refused) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/predict', payload: { rows: [rowWith(v)] } });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('BAD_VALUE');
    }
    const res = await app.inject({ method: 'POST', url: '/api/v1/predict', payload: { rows: [...missing, null].map(rowWith).concat([rowWith('1')]) } });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ missingValues: number; predictions: { probPhishing: number }[] }>();
    expect(body.missingValues).toBe(4);
    expect(body.predictions.every((p) => Number.isFinite(p.probPhishing))).toBe(true);
  });

  it('POST /api/v1/predict/csv: other spellings are row errors; missing values are scored and counted', async () => {
    const lines = [...refused, ...missing, '-1'].map((v) => featureNames.map((f) => (f === 'SFH' ? (v.includes(' ') ? `"${v}"` : v) : '1')).join(','));
    const res = await app.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: `${featureNames.join(',')}\n${lines.join('\n')}\n`, headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-row-errors']).toBe(String(refused.length));
    expect(res.headers['x-missing-values']).toBe(String(missing.length));
    const out = res.body.trimEnd().split('\n').slice(1);
    expect(out.slice(0, refused.length).every((l) => /,,,"?line \d+: SFH: '.*' is not a number"?$/.test(l))).toBe(true);
    expect(out.slice(refused.length).every((l) => /,-?1,0\.\d+,$/.test(l))).toBe(true);
  });

  it('/v2 infer and /invocations refuse the same spellings', async () => {
    for (const v of ['0x1', '1e0', ' 1 ']) {
      const data = featureNames.map((f) => (f === 'SFH' ? v : 1));
      const oip = await app.inject({ method: 'POST', url: '/v2/models/networksecurity/infer', payload: { inputs: [{ name: 'input-0', shape: [1, 30], datatype: 'FP64', data }] } });
      expect(oip.statusCode).toBe(400);
      const mlflow = await app.inject({ method: 'POST', url: '/invocations', payload: { dataframe_split: { columns: featureNames, data: [data] } } });
      expect(mlflow.statusCode).toBe(400);
    }
  });
});
