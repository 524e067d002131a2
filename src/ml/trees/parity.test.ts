// Decision tree and random forest predictions against scikit-learn's on the bundled data's original
// 80/20 split (train_test_split(random_state=42), reproduced index for index by sklearnTrainTestSplit;
// reference predictions from scripts/parity/make_fixtures.py, `npm run parity`). A tree on all
// features has no randomness in scikit-learn except the order in which equally good splits are met,
// so at least 99.5% of its predictions must be identical; a forest draws other bootstrap samples and
// features, so it is held to its agreement rate and test F1 instead.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/trees.json' with { type: 'json' };
import { parseNumericCsv } from '../fixtures/decode.js';
import { takeRows, takeValues } from '../../core/matrix.js';
import { treeClassifiers } from '../catalog-trees.js';
import { f1Score } from '../metrics/index.js';
import { sklearnTrainTestSplit } from '../model-selection/sklearn-split.js';

const { X, y } = parseNumericCsv(readFileSync(new URL('../../../data/phisingData.csv', import.meta.url), 'utf8'));
const split = sklearnTrainTestSplit(y.length, 0.2, 42);
const Xtr = takeRows(X, split.train);
const ytr = takeValues(y, split.train);
const Xte = takeRows(X, split.test);
const yte = takeValues(y, split.test);
const factory = (kind: string) => treeClassifiers.find((f) => f.kind === kind)!;

function agreement(ours: Float64Array, theirs: readonly number[]): number {
  let same = 0;
  for (let i = 0; i < ours.length; i++) if (ours[i] === theirs[i]) same++;
  return same / ours.length;
}

describe('tree predictions match scikit-learn on the original split', () => {
  it('uses the same test rows as the fixture', () => {
    expect(Array.from(split.test)).toEqual(fixture.test);
  });

  for (const [name, criterion] of [['decisionTree', 'gini'], ['decisionTreeEntropy', 'entropy']] as const) {
    it(`decision tree (${criterion}, all features): at least 99.5% identical predictions`, async () => {
      const model = await factory('decision_tree').create({ criterion }).fit(Xtr, ytr);
      const pred = model.predict(Xte);
      expect(agreement(pred, fixture[name].pred)).toBeGreaterThanOrEqual(0.995);
      expect(Math.abs(f1Score(yte, pred, 1) - fixture[name].f1Legit)).toBeLessThan(0.005);
    });
  }

  it('random forest (100 trees): at least 97% identical predictions and test F1 within 0.005', async () => {
    const model = await factory('random_forest').create({ nEstimators: 100, randomState: 0 }).fit(Xtr, ytr);
    const pred = model.predict(Xte);
    expect(agreement(pred, fixture.randomForest.pred)).toBeGreaterThanOrEqual(0.97);
    expect(Math.abs(f1Score(yte, pred, 1) - fixture.randomForest.f1Legit)).toBeLessThan(0.005);
  });
});
