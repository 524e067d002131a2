import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeSharedPool } from '../parallel/pool.js';
import type { FittedTrees } from './base.js';
import { scalarScores } from './flat-forest.js';
import { RandomForestClassifier } from './forest.js';
import { HistGradientBoostingClassifier } from './hist-gradient-boosting.js';
import { PHISHING_CSV, phishingSplit } from './phishing.test-helpers.js';
import { scoringForest } from './scoring-forest.js';

const { train, test } = phishingSplit(readFileSync(PHISHING_CSV, 'utf8'));
afterAll(closeSharedPool);
const fittedOf = (m: object): FittedTrees => (m as unknown as { fitted: FittedTrees }).fitted;

describe('scoringForest', () => {
  it('gives every boosting tree a value-0 leaf (its largest) and the same scores up to rounding', async () => {
    const gb = await new HistGradientBoostingClassifier({ maxIter: 30, maxDepth: 5, randomState: 1 }).fit(train.X, train.y);
    const { forest, mapper } = fittedOf(gb);
    const sf = scoringForest(forest, 'sigmoid');
    expect(sf).not.toBe(forest);
    expect(sf.base).not.toBe(forest.base);
    for (let t = 0; t < forest.roots.length; t++) {
      const end = t + 1 < forest.roots.length ? forest.roots[t + 1]! : forest.feature.length;
      let biggest = -1;
      for (let k = forest.roots[t]!; k < end; k++) if (forest.feature[k]! < 0 && (biggest < 0 || forest.cover[k]! > forest.cover[biggest]!)) biggest = k;
      expect(sf.value[biggest]).toBe(0);
    }
    const raw = scalarScores(forest, mapper, test.X);
    const shifted = scalarScores(sf, mapper, test.X);
    for (let i = 0; i < raw.length; i++) expect(Math.abs(shifted[i]! - raw[i]!)).toBeLessThan(1e-12);
    // The fitted model is untouched, and the form is cached and a fixed point.
    expect(forest.value.some((v) => v === 0)).toBe(false);
    expect(scoringForest(forest, 'sigmoid')).toBe(sf);
    expect(scoringForest(sf, 'sigmoid')).toBe(sf);
    expect(scoringForest({ ...sf }, 'sigmoid').value).toEqual(sf.value);
  });

  it('leaves probability models, and trees that already have a value-0 leaf, as they are', async () => {
    const rf = await new RandomForestClassifier({ nEstimators: 5, randomState: 2 }).fit(train.X, train.y);
    const { forest } = fittedOf(rf);
    expect(scoringForest(forest, 'sigmoid')).toBe(forest);
    // A shallow tree with no pure leaf would be shifted under a sigmoid link, but not as a probability.
    const dt = await new RandomForestClassifier({ nEstimators: 1, maxDepth: 1, bootstrap: false, maxFeatures: null, randomState: 3 }).fit(train.X, train.y);
    const shallow = fittedOf(dt).forest;
    expect(shallow.value.some((v) => v === 0)).toBe(false);
    expect(scoringForest(shallow, 'identity')).toBe(shallow);
    expect(scoringForest(shallow, 'sigmoid')).not.toBe(shallow);
  });

  it('is what every prediction path scores: predictProba and predictProbaAsync agree bit for bit', async () => {
    const gb = await new HistGradientBoostingClassifier({ maxIter: 20, maxDepth: 6, randomState: 3 }).fit(train.X, train.y);
    const { forest, mapper } = fittedOf(gb);
    const p = gb.predictProba(test.X).data;
    const scores = scalarScores(scoringForest(forest, 'sigmoid'), mapper, test.X);
    for (let i = 0; i < scores.length; i++) expect(p[2 * i + 1]).toBe(1 / (1 + Math.exp(-scores[i]!)));
    const big = { rows: 3 * test.X.rows, cols: test.X.cols, data: new Float64Array([...test.X.data, ...test.X.data, ...test.X.data]) };
    const sync = gb.predictProba(big).data;
    const async = (await gb.predictProbaAsync(big, { nJobs: 2 })).data;
    let differing = 0;
    for (let i = 0; i < sync.length; i++) if (!Object.is(sync[i], async[i])) differing++;
    expect(differing).toBe(0);
  });
});
