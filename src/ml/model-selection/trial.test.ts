import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { takeRows, takeValues } from '../../core/matrix.js';
import { HistGradientBoostingClassifier, histGradientBoostingFactory } from '../trees/index.js';
import { PHISHING_CSV, parsePhishingCsv, randomSplit } from '../trees/phishing.test-helpers.js';
import { runTrialTask, type TrialTask } from './trial.js';
import { f1Score } from '../metrics/index.js';

const all = parsePhishingCsv(readFileSync(PHISHING_CSV, 'utf8'));

describe('runTrialTask with boosting', () => {
  it('scores every setting on a fold exactly as a fresh fit does, also when the fold\'s binning is reused', async () => {
    const { test } = randomSplit(all.X.rows, 0.3, 7);
    // Two folds on the same data object: a cache keyed by the data alone would score fold 2 with fold 1's rows.
    const folds = [randomSplit(all.X.rows, 0.3, 7).train, randomSplit(all.X.rows, 0.3, 8).train];
    const task = (params: Record<string, unknown>, rows: Int32Array): TrialTask => ({
      ids: [0], kind: 'hist_gradient_boosting', params, train: rows, test, scoring: 'f1', posLabel: 1,
    });
    const settings = [{ maxIter: 15, learningRate: 0.1, subsample: 0.7, randomState: 3 }, { maxIter: 15, learningRate: 0.3, subsample: 1, randomState: 3 }];
    for (const train of folds) for (const params of settings) {
      // A copy of the row indices: the cache must match folds by content, not by object.
      const got = await runTrialTask(histGradientBoostingFactory, all.X, all.y, task(params, Int32Array.from(train)));
      const direct = await new HistGradientBoostingClassifier(params).fit(takeRows(all.X, train), takeValues(all.y, train));
      expect(got.results[0]!.score).toBe(f1Score(takeValues(all.y, test), direct.predict(takeRows(all.X, test)), 1));
    }
  });

  it('with out-of-fold probabilities, scores exactly as without them and returns the model\'s probabilities', async () => {
    const { train, test } = randomSplit(all.X.rows, 0.3, 7);
    const counts = [4, 9, 15];
    const base: TrialTask = {
      ids: [0, 1, 2], kind: 'hist_gradient_boosting', params: { learningRate: 0.1, subsample: 0.7, randomState: 3 }, train, test,
      scoring: 'f1', posLabel: -1, staged: { param: 'maxIter', counts },
    };
    const plain = await runTrialTask(histGradientBoostingFactory, all.X, all.y, base);
    const withOof = await runTrialTask(histGradientBoostingFactory, all.X, all.y, { ...base, oof: true });
    expect(withOof.results.map((r) => r.score)).toEqual(plain.results.map((r) => r.score));
    const Xt = takeRows(all.X, test);
    for (const [j, maxIter] of counts.entries()) {
      const direct = await new HistGradientBoostingClassifier({ ...base.params, maxIter }).fit(takeRows(all.X, train), takeValues(all.y, train));
      const P = direct.predictProba(Xt);
      const k = Array.from(direct.classes).indexOf(-1);
      expect(withOof.results[j]!.proba).toEqual(Float64Array.from({ length: Xt.rows }, (_, i) => P.data[2 * i + k]!));
      expect(withOof.results[j]!.score).toBe(f1Score(takeValues(all.y, test), direct.predict(Xt), -1));
    }
  });
});
