import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matrix, takeDataset } from '../../core/matrix.js';
import { AdaBoostClassifier, adaBoostDefaults } from './adaboost.js';
import { fitAdaBoostStumps, stumpsApply } from './adaboost-stumps.js';
import { PHISHING_CSV, parsePhishingCsv, randomSplit } from './phishing.test-helpers.js';

const all = parsePhishingCsv(readFileSync(PHISHING_CSV, 'utf8'));
const { test: pick } = randomSplit(all.X.rows, 0.15, 8);
const { X, y } = takeDataset(all, pick);

describe('fitAdaBoostStumps', () => {
  const cases = [
    { nEstimators: 40, learningRate: 0.1, criterion: 'gini' as const, randomState: 0 },
    { nEstimators: 25, learningRate: 1, criterion: 'entropy' as const, randomState: 7 },
    { nEstimators: 10, learningRate: 0.001, criterion: 'log_loss' as const, randomState: 3 },
  ];
  for (const c of cases) {
    it(`gives exactly the AdaBoostClassifier model (${JSON.stringify(c)})`, async () => {
      const p = { ...adaBoostDefaults, ...c };
      const ours = fitAdaBoostStumps(X, y, p)!;
      const ref = await new AdaBoostClassifier(p).fit(X, y);
      expect(ours).toEqual(ref.toState());
    });
  }

  it('stops early on a perfect stump, as the class does', async () => {
    const Xs = matrix(6, 2, Float64Array.of(0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0));
    const ys = Float64Array.of(-1, -1, -1, 1, 1, 1);
    const p = { ...adaBoostDefaults, nEstimators: 5 };
    const ours = fitAdaBoostStumps(Xs, ys, p)!;
    expect(ours.json.extra).toEqual({ nEstimators: 1 });
    expect(ours).toEqual((await new AdaBoostClassifier(p).fit(Xs, ys)).toState());
  });

  it('applies only to valid stump params', () => {
    expect(stumpsApply(adaBoostDefaults)).toBe(true);
    expect(stumpsApply({ ...adaBoostDefaults, maxDepth: 2 })).toBe(false);
    expect(stumpsApply({ ...adaBoostDefaults, learningRate: -1 })).toBe(false);
  });
});
