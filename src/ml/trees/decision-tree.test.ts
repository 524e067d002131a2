import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotFittedError, NsError } from '../../core/errors.js';
import { fromRows, matrix } from '../../core/matrix.js';
import { DecisionTreeClassifier, decisionTreeFactory } from './decision-tree.js';
import { f1Score, PHISHING_CSV, phishingSplit } from './phishing.test-helpers.js';
import { oneInformativeFeature, xor } from './toy.test-helpers.js';

describe('DecisionTreeClassifier', () => {
  it('throws NotFittedError before fit', () => {
    const t = new DecisionTreeClassifier();
    expect(() => t.predictProba(fromRows([[1]]))).toThrow(NotFittedError);
    expect(() => t.classes).toThrow(NotFittedError);
  });

  it('stores params unchanged and validates them in fit', async () => {
    const t = new DecisionTreeClassifier({ maxDepth: 0 });
    expect(t.getParams().maxDepth).toBe(0);
    const { X, y } = oneInformativeFeature(50, 1);
    await expect(t.fit(X, y)).rejects.toMatchObject({ code: 'BAD_PARAM' });
  });

  it('finds the one informative feature with a stump', async () => {
    const { X, y } = oneInformativeFeature(300, 3);
    const t = await new DecisionTreeClassifier({ maxDepth: 1 }).fit(X, y);
    const s = t.toState();
    expect(s.arrays.feature![0]).toBe(2);
    expect(s.arrays.threshold![0]).toBe(0.5);
    expect(Array.from(t.classes)).toEqual([-1, 1]);
    expect(Array.from(t.predict(fromRows([[0, 0, 1, 0], [1, 1, 0, 1]])))).toEqual([1, -1]);
    const imp = t.featureImportances();
    expect(imp[2]).toBeCloseTo(1, 12);
  });

  it('learns XOR on real-valued features when grown fully', async () => {
    const { X, y } = xor(1000, 5);
    const t = await new DecisionTreeClassifier({ criterion: 'entropy' }).fit(X, y);
    expect(Array.from(t.predict(X))).toEqual(Array.from(y));
    const fresh = xor(500, 6);
    const acc = t.predict(fresh.X).reduce((a, p, i) => a + (p === fresh.y[i] ? 1 : 0), 0) / 500;
    expect(acc).toBeGreaterThan(0.9);
  });

  it('uses sample weights and class weights', async () => {
    const X = fromRows([[0], [0], [0], [1]]);
    const y = Float64Array.of(0, 0, 1, 1);
    const plain = await new DecisionTreeClassifier().fit(X, y);
    expect(plain.predictProba(fromRows([[0]])).data[1]).toBeCloseTo(1 / 3, 12);
    const weighted = await new DecisionTreeClassifier().fit(X, y, { sampleWeight: Float64Array.of(1, 1, 2, 1) });
    expect(weighted.predictProba(fromRows([[0]])).data[1]).toBeCloseTo(0.5, 12);
    const balanced = await new DecisionTreeClassifier({ classWeight: { 1: 2 } }).fit(X, y);
    expect(balanced.predictProba(fromRows([[0]])).data[1]).toBeCloseTo(0.5, 12);
  });

  it('gives typed errors for bad input', async () => {
    const t = new DecisionTreeClassifier();
    await expect(t.fit(fromRows([[1], [2]]), Float64Array.of(1, 1))).rejects.toMatchObject({ code: 'SINGLE_CLASS' });
    await expect(t.fit(fromRows([[NaN], [2]]), Float64Array.of(0, 1))).rejects.toMatchObject({ code: 'NON_FINITE_INPUT' });
    await expect(t.fit(fromRows([[1], [2]]), Float64Array.of(0, 1, 1))).rejects.toBeInstanceOf(NsError);
    await t.fit(fromRows([[1], [2]]), Float64Array.of(0, 1));
    expect(() => t.predict(matrix(1, 2))).toThrow(/columns/);
  });

  it('scores well on the bundled data, round-trips its state and explains predictions', async () => {
    const { train, test } = phishingSplit(readFileSync(PHISHING_CSV, 'utf8'));
    const t = await new DecisionTreeClassifier({ randomState: 7 }).fit(train.X, train.y);
    expect(f1Score(test.y, t.predict(test.X))).toBeGreaterThan(0.94);

    const again = decisionTreeFactory.fromState(t.toState());
    expect(again.predictProba(test.X).data).toEqual(t.predictProba(test.X).data);

    const c = t.contributions(test.X);
    const raw = t.decisionFunction(test.X);
    for (let i = 0; i < 50; i++) {
      let s = 0;
      for (let j = 0; j < c.cols; j++) s += c.data[i * c.cols + j]!;
      expect(s).toBeCloseTo(raw[i]!, 10);
    }
  });
});
