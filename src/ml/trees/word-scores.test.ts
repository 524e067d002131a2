import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AdaBoostClassifier } from './adaboost.js';
import type { FittedTrees } from './base.js';
import { forestScores, scalarScores, withPacked, wordScores } from './flat-forest.js';
import { RandomForestClassifier } from './forest.js';
import { HistGradientBoostingClassifier } from './hist-gradient-boosting.js';
import { maskPlan } from './mask-scores.js';
import { marginalRows, PHISHING_CSV, phishingSplit } from './phishing.test-helpers.js';

const { train } = phishingSplit(readFileSync(PHISHING_CSV, 'utf8'));
const fittedOf = (m: object): FittedTrees => (m as unknown as { fitted: FittedTrees }).fitted;


/** Rows whose bits differ (Object.is also tells 0 from -0). */
const differing = (a: Float64Array, b: Float64Array): number => a.reduce((n, v, i) => n + (Object.is(v, b[i]) ? 0 : 1), 0);

describe('wordScores (the one-word walk for small batches)', () => {
  it('gives bit-identical scores to the scalar walk for forest, boosting and AdaBoost, at and around 32 rows', async () => {
    const models = [
      await new RandomForestClassifier({ nEstimators: 12, randomState: 1 }).fit(train.X, train.y),
      await new HistGradientBoostingClassifier({ maxIter: 40, maxDepth: 6, randomState: 2 }).fit(train.X, train.y),
      await new AdaBoostClassifier({ nEstimators: 20, randomState: 3 }).fit(train.X, train.y),
    ];
    for (const model of models) {
      const { forest, mapper } = fittedOf(model);
      const plan = maskPlan(forest, mapper)!;
      for (const n of [1, 8, 31, 32, 33, 70, 95]) {
        const X = marginalRows(train.X, n, n);
        expect(differing(wordScores(forest, mapper, plan, X), scalarScores(forest, mapper, X))).toBe(0);
        expect(differing(forestScores(forest, mapper, X), scalarScores(forest, mapper, X))).toBe(0);
      }
    }
  });

  it('sends each row down its own path: one changed leaf changes exactly the rows that reach it', async () => {
    const gb = await new HistGradientBoostingClassifier({ maxIter: 10, maxDepth: 4, randomState: 5 }).fit(train.X, train.y);
    const { forest, mapper } = fittedOf(gb);
    const X = marginalRows(train.X, 32, 6);
    const leaf = forest.feature.findIndex((f) => f < 0);
    const value = forest.value.slice();
    value[leaf] = value[leaf]! + 1;
    const edited = withPacked({ ...forest, value });
    const before = wordScores(forest, mapper, maskPlan(forest, mapper)!, X);
    const after = wordScores(edited, mapper, maskPlan(edited, mapper)!, X);
    const scalarAfter = scalarScores(edited, mapper, X);
    expect(differing(after, scalarAfter)).toBe(0);
    const changed = differing(before, after);
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(32);
  });
});
