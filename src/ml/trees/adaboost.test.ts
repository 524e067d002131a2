import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotFittedError } from '../../core/errors.js';
import { fromRows } from '../../core/matrix.js';
import { AdaBoostClassifier, adaBoostFactory } from './adaboost.js';
import { f1Score, PHISHING_CSV, phishingSplit } from './phishing.test-helpers.js';

describe('AdaBoostClassifier', () => {
  it('throws NotFittedError before fit', () => {
    expect(() => new AdaBoostClassifier().predict(fromRows([[1]]))).toThrow(NotFittedError);
  });

  it('stops at a perfect stump and reports probability sigmoid(1)', async () => {
    const X = fromRows([[0], [0], [1], [1]]);
    const ada = await new AdaBoostClassifier({ nEstimators: 10 }).fit(X, Float64Array.of(0, 0, 1, 1));
    const p = ada.predictProba(X).data;
    expect(p[5]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12); // row 2, class 1
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(1)), 12); // row 0, class 1
  });

  it('scores F1 > 0.9 on a held-out split and round-trips', async () => {
    const { train, test } = phishingSplit(readFileSync(PHISHING_CSV, 'utf8'));
    const ada = await new AdaBoostClassifier({ nEstimators: 50 }).fit(train.X, train.y);
    expect(f1Score(test.y, ada.predict(test.X))).toBeGreaterThan(0.9);
    const again = adaBoostFactory.fromState(ada.toState());
    expect(again.predictProba(test.X).data).toEqual(ada.predictProba(test.X).data);
    const c = ada.contributions(test.X);
    const raw = ada.decisionFunction(test.X);
    let s = 0;
    for (let j = 0; j < c.cols; j++) s += c.data[j]!;
    expect(s).toBeCloseTo(raw[0]!, 10);
  });
});
