import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { NotFittedError } from '../../core/errors.js';
import { matrix } from '../../core/matrix.js';
import { closeSharedPool } from '../parallel/pool.js';
import { ExtraTreesClassifier, extraTreesFactory, RandomForestClassifier, randomForestFactory } from './forest.js';
import { f1Score, PHISHING_CSV, phishingSplit } from './phishing.test-helpers.js';

const { train, test } = phishingSplit(readFileSync(PHISHING_CSV, 'utf8'));

afterAll(async () => {
  await closeSharedPool();
});

describe('RandomForestClassifier', () => {
  it('throws NotFittedError before fit', () => {
    expect(() => new RandomForestClassifier().predict(test.X)).toThrow(NotFittedError);
    expect(() => new RandomForestClassifier().oobScore).toThrow(NotFittedError);
  });

  it('scores F1 > 0.95 on a held-out split, with a plausible out-of-bag score', async () => {
    const rf = await new RandomForestClassifier({ nEstimators: 40, oobScore: true, randomState: 3 }).fit(train.X, train.y);
    expect(f1Score(test.y, rf.predict(test.X))).toBeGreaterThan(0.95);
    expect(rf.oobScore).toBeGreaterThan(0.93);
    expect(rf.oobScore).toBeLessThan(1);
    const p = rf.predictProba(test.X).data;
    for (let i = 0; i < test.X.rows; i++) expect(p[2 * i]! + p[2 * i + 1]!).toBeCloseTo(1, 12);
  });

  it('is deterministic for a seed and independent of nJobs (worker threads)', async () => {
    const a = await new RandomForestClassifier({ nEstimators: 12, randomState: 9 }).fit(train.X, train.y);
    const b = await new RandomForestClassifier({ nEstimators: 12, randomState: 9, nJobs: 2 }).fit(train.X, train.y);
    const c = await new RandomForestClassifier({ nEstimators: 12, randomState: 10 }).fit(train.X, train.y);
    expect(b.predictProba(test.X).data).toEqual(a.predictProba(test.X).data);
    expect(c.predictProba(test.X).data).not.toEqual(a.predictProba(test.X).data);
  });

  it('round-trips its state bit for bit and its contributions sum to the probability', async () => {
    const rf = await new RandomForestClassifier({ nEstimators: 10, maxDepth: 8 }).fit(train.X, train.y);
    const again = randomForestFactory.fromState(rf.toState());
    expect(again.predictProba(test.X).data).toEqual(rf.predictProba(test.X).data);
    const c = rf.contributions(test.X);
    const p = rf.predictProba(test.X).data;
    for (let i = 0; i < 100; i++) {
      let s = 0;
      for (let j = 0; j < c.cols; j++) s += c.data[i * c.cols + j]!;
      expect(s).toBeCloseTo(p[2 * i + 1]!, 10);
    }
    const imp = rf.featureImportances();
    expect(imp.length).toBe(train.X.cols);
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('scores large batches on worker threads with the same numbers as predictProba', async () => {
    const rf = await new RandomForestClassifier({ nEstimators: 8, randomState: 2 }).fit(train.X, train.y);
    const big = matrix(6000, train.X.cols);
    for (let i = 0; i < big.data.length; i++) big.data[i] = train.X.data[i % train.X.data.length]!;
    const parallel = await rf.predictProbaAsync(big, { nJobs: 2 });
    expect(parallel.data).toEqual(rf.predictProba(big).data);
  });

  it('rejects oobScore without bootstrap', async () => {
    await expect(new RandomForestClassifier({ bootstrap: false, oobScore: true }).fit(train.X, train.y)).rejects.toMatchObject({ code: 'BAD_PARAM' });
  });
});

describe('ExtraTreesClassifier', () => {
  it('scores F1 > 0.95 and round-trips', async () => {
    const et = await new ExtraTreesClassifier({ nEstimators: 30, randomState: 1 }).fit(train.X, train.y);
    expect(f1Score(test.y, et.predict(test.X))).toBeGreaterThan(0.95);
    const again = extraTreesFactory.fromState(et.toState());
    expect(again.predict(test.X)).toEqual(et.predict(test.X));
    expect(et.clone().getParams()).toEqual(et.getParams());
  });
});
