/**
 * The gate when the carried split cannot keep a vector's side (rv #7): a vector the champion trained on
 * is missing from the last run's data, so when it comes back it is placed afresh and can land in the
 * test side. The champion must still be scored on none of its own training rows: evaluate drops every
 * test row whose feature vector is in the champion's training split, and the report counts them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/matrix.js';
import { decodeDataset } from '../../src/pipeline/dataset-io.js';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

interface TrainJson {
  runId: string; champion: number | null;
  gate: { rows: { test: number; excluded: number | null; scored: number }; reason: string };
  registered: { version: number } | null;
  data: { snapshotSha256: string; split: { carriedFrom: string | null } };
}

const home = tempHome('ns-gate-back-');
const vectorsOf = (runId: string, side: 'train' | 'test'): string[] => {
  const path = join(home, 'artifacts', runId, `${side}.nsds`);
  const ds: Dataset = decodeDataset(new Uint8Array(readFileSync(path)), path);
  const d = ds.X.cols;
  return Array.from({ length: ds.X.rows }, (_, i) => ds.X.data.subarray(i * d, (i + 1) * d).join(','));
};
async function cli(args: string[]): Promise<string> {
  const r = await runCli(args, home);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}
const train = async (...args: string[]): Promise<TrainJson> => JSON.parse(await cli(['train', '--json', '--preset', 'quick', ...args])) as TrainJson;

describe('a returning vector of the champion', () => {
  it('is never a row the champion is scored on, and the report counts it', async () => {
    // The bundled rows in three parts with no feature vector in two parts: B (base), R (returns), Q (new).
    const lines = readFileSync(bundledCsv, 'utf8').trim().split('\n');
    const part = new Map<string, 'B' | 'R' | 'Q'>();
    const parts: Record<'B' | 'R' | 'Q', string[]> = { B: [], R: [], Q: [] };
    for (const line of lines.slice(1)) {
      const vector = line.slice(0, line.lastIndexOf(','));
      if (!part.has(vector)) part.set(vector, part.size % 4 === 1 ? 'R' : part.size % 4 === 2 ? 'Q' : 'B');
      parts[part.get(vector)!].push(line);
    }
    const csv = (name: string, rows: string[]): string => {
      writeFileSync(join(home, name), [lines[0]!, ...rows].join('\n') + '\n');
      return join(home, name);
    };
    await cli(['etl', '--source', csv('b.csv', parts.B)]);
    const base = await train();
    await cli(['etl', '--source', csv('r.csv', parts.R)]);
    const withR = await train();
    expect(withR.data.split.carriedFrom).toBe(base.runId);
    await cli(['models', 'promote', String(withR.registered!.version)]);
    // The last run's data lacks R: a reproduction of the base snapshot.
    await train('--snapshot', base.data.snapshotSha256);
    await cli(['models', 'promote', String(withR.registered!.version)]);
    await cli(['etl', '--source', csv('q.csv', parts.Q)]);
    const back = await train('--full');
    // The gate compared with the champion that trained on R.
    expect(back.gate.reason).toContain(`vs champion v${withR.registered!.version} `);

    // Some of R that the champion trained on is in this run's test side now.
    const championTrain = new Set(vectorsOf(withR.runId, 'train'));
    const test = vectorsOf(back.runId, 'test');
    const trainedOn = test.filter((v) => championTrain.has(v)).length;
    expect(trainedOn).toBeGreaterThan(0);
    expect(back.gate.rows).toEqual({ test: test.length, excluded: trainedOn, scored: test.length - trainedOn });
    expect(back.gate.reason).toContain(`${trainedOn} test rows it trained on excluded`);
  }, 900_000);
});
