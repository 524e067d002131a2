/**
 * A real Open Inference Protocol client — Python's tritonclient[http] from PyPI — gets predictions
 * and probabilities from our server over loopback. The Python comes from test/protocols/ensure-venv.sh.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRows } from '../../src/core/matrix.js';
import { buildServer } from '../../src/server/app.js';
import { fakeModel, fakeWorld, featureNames } from '../../src/server/fake-deps.test-helpers.js';

const here = new URL('.', import.meta.url).pathname;
const rows = [featureNames.map(() => 1), featureNames.map(() => -1), featureNames.map((_, j) => [-1, 0, 1][j % 3]!)];

let app: FastifyInstance;
let address: string;
beforeAll(async () => {
  app = await buildServer(fakeWorld().deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  address = typeof a === 'object' && a ? `127.0.0.1:${a.port}` : '';
});
afterAll(async () => { await app.close(); });

describe('tritonclient[http] against our /v2 endpoints', () => {
  it('gets labels and probabilities equal to the model\'s', async () => {
    const python = execFileSync('bash', [join(here, 'ensure-venv.sh')], { encoding: 'utf8' }).trim();
    const dir = mkdtempSync(join(tmpdir(), 'ns-triton-'));
    writeFileSync(join(dir, 'rows.json'), JSON.stringify(rows));
    const out = await new Promise<string>((resolve, reject) => {
      // execFile (async) so the server in this process keeps answering while Python runs.
      import('node:child_process').then(({ execFile }) => {
        execFile(python, [join(here, 'triton_client_check.py'), address, join(dir, 'rows.json')], { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
          if (err) reject(new Error(`${err.message}\n${stderr}`)); else resolve(stdout);
        });
      }, reject);
    });
    const result = JSON.parse(out) as { live: boolean; ready: boolean; metadata_name: string; id: string; predict: number[]; predict_json: number[]; predict_proba: number[][] };
    const truth = fakeModel(1).predict(fromRows(rows));
    expect(result).toMatchObject({ live: true, ready: true, metadata_name: 'networksecurity', id: 'triton-check' });
    expect(result.predict).toEqual(Array.from(truth.label));
    expect(result.predict_json).toEqual(Array.from(truth.label));
    result.predict_proba.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(truth.probPhishing[i]!, 12);
      expect(p[1]).toBeCloseTo(1 - truth.probPhishing[i]!, 12);
    });
  }, 180_000);
});
