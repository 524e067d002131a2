import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { takeRows, takeValues } from '../../core/matrix.js';
import { parseNumericCsv } from '../fixtures/decode.js';
import { findClassifier, stratifiedSplit } from './index.js';
import { stagedParam, truncateState } from './staged.js';

const all = parseNumericCsv(readFileSync(new URL('../../../data/phisingData.csv', import.meta.url), 'utf8'));
const { test: pick } = stratifiedSplit(all.y, { testSize: 1200 / all.y.length, seed: 4 });
const X = takeRows(all.X, pick);
const y = takeValues(all.y, pick);

describe('truncateState', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['random_forest', { nEstimators: 12, randomState: 3 }],
    ['extra_trees', { nEstimators: 12, randomState: 3 }],
    ['hist_gradient_boosting', { maxIter: 12, subsample: 0.7, learningRate: 0.3, randomState: 3 }],
    ['adaboost', { nEstimators: 12, learningRate: 0.5, randomState: 3 }],
  ];
  for (const [kind, params] of cases) {
    it(`cuts a ${kind} to exactly the model a smaller fit gives`, async () => {
      const factory = findClassifier(kind)!;
      const param = stagedParam(kind, params)!;
      const big = await factory.create(params).fit(X, y);
      for (const k of [1, 5]) {
        const small = await factory.create({ ...params, [param]: k }).fit(X, y);
        const cut = truncateState(big.toState(), param, k);
        expect(cut).toEqual(small.toState());
        expect(factory.fromState(cut).predictProba(X).data).toEqual(small.predictProba(X).data);
      }
      // The full model differs from a prefix, so the comparison above can fail.
      expect(truncateState(big.toState(), param, 5)).not.toEqual(big.toState());
    });
  }

  it('is only offered where prefixes are exact models', () => {
    expect(stagedParam('random_forest', { nEstimators: 8 })).toBe('nEstimators');
    expect(stagedParam('random_forest', { nEstimators: 8, oobScore: true })).toBeUndefined();
    expect(stagedParam('hist_gradient_boosting', { maxIter: 8, earlyStopping: true })).toBeUndefined();
    expect(stagedParam('decision_tree', { criterion: 'gini' })).toBeUndefined();
    expect(stagedParam('adaboost', {})).toBeUndefined();
  });
});
