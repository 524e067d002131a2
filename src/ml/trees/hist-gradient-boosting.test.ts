import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotFittedError } from '../../core/errors.js';
import { HistGradientBoostingClassifier, histGradientBoostingFactory } from './hist-gradient-boosting.js';
import { f1Score, PHISHING_CSV, phishingSplit } from './phishing.test-helpers.js';
import { oneInformativeFeature } from './toy.test-helpers.js';

const { train, test } = phishingSplit(readFileSync(PHISHING_CSV, 'utf8'));

describe('HistGradientBoostingClassifier', () => {
  it('throws NotFittedError before fit', () => {
    expect(() => new HistGradientBoostingClassifier().predictProba(test.X)).toThrow(NotFittedError);
  });

  it('starts from the log-odds of the class share and separates a clean feature', async () => {
    const { X, y } = oneInformativeFeature(300, 2);
    const gb = await new HistGradientBoostingClassifier({ maxIter: 50, maxDepth: 1, l2Regularization: 0 }).fit(X, y);
    const p = gb.predictProba(X).data;
    for (let i = 0; i < 300; i++) expect(p[2 * i + 1]! > 0.5).toBe(y[i] === 1);
    expect(gb.featureImportances()[2]).toBeCloseTo(1, 12);
  });

  it('scores F1 > 0.95 on a held-out split; explanations sum to the log-odds', async () => {
    const gb = await new HistGradientBoostingClassifier({ maxIter: 100, maxDepth: 6 }).fit(train.X, train.y);
    expect(f1Score(test.y, gb.predict(test.X))).toBeGreaterThan(0.95);
    const raw = gb.decisionFunction(test.X);
    const c = gb.contributions(test.X);
    for (let i = 0; i < 100; i++) {
      let s = 0;
      for (let j = 0; j < c.cols; j++) s += c.data[i * c.cols + j]!;
      expect(s).toBeCloseTo(raw[i]!, 9);
    }
    const again = histGradientBoostingFactory.fromState(gb.toState());
    expect(again.predictProba(test.X).data).toEqual(gb.predictProba(test.X).data);
  });

  it('stops early on a validation fold and is deterministic with subsampling', async () => {
    const params = { maxIter: 400, learningRate: 0.3, earlyStopping: true, nIterNoChange: 5, subsample: 0.7, randomState: 4 };
    const a = await new HistGradientBoostingClassifier(params).fit(train.X, train.y);
    const b = await new HistGradientBoostingClassifier(params).fit(train.X, train.y);
    expect(a.nIter).toBeLessThan(400);
    expect(b.nIter).toBe(a.nIter);
    expect(b.predictProba(test.X).data).toEqual(a.predictProba(test.X).data);
  });

  it('limits leaves with maxLeafNodes', async () => {
    const gb = await new HistGradientBoostingClassifier({ maxIter: 3, maxDepth: null, maxLeafNodes: 5 }).fit(train.X, train.y);
    const s = gb.toState();
    const feature = s.arrays.feature!;
    let leaves = 0;
    for (let k = 0; k < feature.length; k++) if (feature[k]! < 0) leaves++;
    expect(leaves).toBe(15);
  });
});
