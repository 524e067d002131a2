/**
 * Issue 12's gate from the CLI, on one NS_HOME: appending a resample of stored rows leaves every
 * feature vector on its side of the split; the champion is scored on no row of its own training split
 * and the report says how many test rows that excluded; a tie keeps the champion and the candidate
 * becomes the challenger; `train --from train` leaves the bundles of registered versions intact, so a
 * rollback and predict still work.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/matrix.js';
import { decodeDataset } from '../../src/pipeline/dataset-io.js';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

interface Gate {
  accepted: boolean; reason: string; candidateF1: number; championF1: number | null;
  rows: { test: number; excluded: number | null; scored: number };
  mcnemar: { candidateOnlyCorrect: number; championOnlyCorrect: number; pValue: number } | null;
}
interface TrainJson {
  runId: string; champion: number | null; gate: Gate;
  registered: { version: number; promoted: boolean; challenger: boolean; reused: boolean } | null;
  data: { rows: number; newRecords: number; split: { carriedFrom: string | null; phishingShare: { whole: number; train: number; test: number } } };
}
interface ModelsJson { champion: number | null; challenger: number | null; versions: { version: number; runId: string }[] }

const home = tempHome('ns-gate-');
const split = (runId: string, side: 'train' | 'test'): Dataset => {
  const path = join(home, 'artifacts', runId, `${side}.nsds`);
  return decodeDataset(new Uint8Array(readFileSync(path)), path);
};
const vectors = (ds: Dataset): Set<string> => {
  const d = ds.X.cols;
  return new Set(Array.from({ length: ds.X.rows }, (_, i) => ds.X.data.subarray(i * d, (i + 1) * d).join(',')));
};
async function train(args: string[]): Promise<TrainJson> {
  const r = await runCli(['train', '--json', '--preset', 'quick', ...args], home);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as TrainJson;
}
const models = async (): Promise<ModelsJson> => JSON.parse((await runCli(['models', 'list', '--json'], home)).stdout) as ModelsJson;

describe('the gate on a growing store', () => {
  let first: TrainJson;
  let reseeded: TrainJson;

  it('appending a resample of stored rows leaves every feature vector on its side (the split is carried forward); class shares stay within a point', async () => {
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    first = await train([]);
    expect(first.champion).toBe(1);

    // The bundled rows plus 3,000 of them drawn again: the file holds one copy more of each drawn row
    // than the store, so exactly the resample is added.
    const lines = readFileSync(bundledCsv, 'utf8').trim().split('\n');
    const rows = lines.slice(1);
    const resample = Array.from({ length: 3000 }, (_, k) => rows[(k * 7919 + 13) % rows.length]!);
    writeFileSync(join(home, 'resample.csv'), [lines[0]!, ...rows, ...resample].join('\n') + '\n');
    const etl = await runCli(['etl', '--source', join(home, 'resample.csv'), '--json'], home);
    expect(JSON.parse(etl.stdout)).toMatchObject({ inserted: 3000 });

    const second = await train([]);
    expect(second.data.newRecords).toBe(3000);
    expect(first.data.split.carriedFrom).toBeNull();
    expect(second.data.split.carriedFrom).toBe(first.runId);
    const [train1, test1, train2, test2] = [split(first.runId, 'train'), split(first.runId, 'test'), split(second.runId, 'train'), split(second.runId, 'test')].map(vectors);
    expect(test2).toEqual(test1!);
    expect(train2).toEqual(train1!);
    for (const s of [first, second]) {
      const share = s.data.split.phishingShare;
      expect(Math.abs(share.test - share.whole)).toBeLessThan(0.01);
      expect(Math.abs(share.train - share.whole)).toBeLessThan(0.01);
    }
    // The champion (v1) trained with the same seed: none of the test rows is its training row.
    const testRows = split(second.runId, 'test').X.rows;
    expect(second.gate.rows).toEqual({ test: testRows, excluded: 0, scored: testRows });
    expect(second.gate.championF1).toBeGreaterThan(0.9);
    expect(second.gate.mcnemar?.pValue).toBeGreaterThan(0);
    expect(second.gate.reason).toMatch(/McNemar p = /);
  }, 900_000);

  it('a champion from another split is scored on no row of its training split, and the report counts those excluded', async () => {
    const champion = (await models()).champion!;
    const championRun = (await models()).versions.find((v) => v.version === champion)!.runId;
    reseeded = await train(['--seed', '7']);
    // No run with seed 7 before: split afresh, each class's share still within a point.
    expect(reseeded.data.split.carriedFrom).toBeNull();
    expect(Math.abs(reseeded.data.split.phishingShare.test - reseeded.data.split.phishingShare.whole)).toBeLessThan(0.01);
    const seen = vectors(split(championRun, 'train'));
    const test = split(reseeded.runId, 'test');
    const d = test.X.cols;
    let trainedOn = 0;
    for (let i = 0; i < test.X.rows; i++) if (seen.has(test.X.data.subarray(i * d, (i + 1) * d).join(','))) trainedOn++;
    expect(trainedOn).toBeGreaterThan(100);
    expect(reseeded.gate.rows).toEqual({ test: test.X.rows, excluded: trainedOn, scored: test.X.rows - trainedOn });
    expect(reseeded.gate.reason).toContain(`${trainedOn} test rows it trained on excluded`);
    expect(reseeded.registered?.version).toBe(3);
  }, 900_000);

  it('a tie keeps the champion, the candidate becomes the challenger, and train --from train leaves v3 loadable', async () => {
    if ((await models()).champion !== 3) expect((await runCli(['models', 'promote', '3'], home)).code).toBe(0);
    // Retraining run 3 with an option that changes nothing in the model: a new version, the same predictions.
    const tie = await train(['--seed', '7', '--from', 'train', '--max-bad-row-share', '0.02']);
    expect(tie.runId).toBe(reseeded.runId);
    expect(tie.gate.accepted).toBe(false);
    expect(tie.gate.reason).toMatch(/a tie keeps the champion/);
    expect(tie.gate.candidateF1).toBe(tie.gate.championF1);
    expect(tie.gate.mcnemar).toMatchObject({ candidateOnlyCorrect: 0, championOnlyCorrect: 0, pValue: 1 });
    expect(tie.registered).toEqual({ version: 4, promoted: false, challenger: true, reused: false });
    expect(await models()).toMatchObject({ champion: 3, challenger: 4 });

    // Run 3's model.nsm was rewritten by the retraining; v3's registered bundle was not.
    expect((await runCli(['predict', '--input', bundledCsv, '--output', join(home, 'v3.csv'), '--model', '3'], home)).code).toBe(0);
    expect((await runCli(['models', 'promote', '4'], home)).code).toBe(0);
    expect((await runCli(['models', 'rollback'], home)).code).toBe(0);
    expect((await models()).champion).toBe(3);
    const scored = await runCli(['predict', '--input', bundledCsv, '--output', join(home, 'champion.csv'), '--json'], home);
    expect(scored.code, scored.stderr).toBe(0);
    expect(JSON.parse(scored.stdout)).toMatchObject({ model: 3, predicted: 11055 });

    // The same run again with the same settings: v4 is reused, not copied.
    const again = await train(['--seed', '7', '--from', 'train', '--max-bad-row-share', '0.02']);
    expect(again.registered).toMatchObject({ version: 4, reused: true });
    expect((await models()).versions).toHaveLength(4);
  }, 900_000);
});
