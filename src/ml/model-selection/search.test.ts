import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { takeRows, takeValues } from '../../core/matrix.js';
import { parseNumericCsv } from '../fixtures/decode.js';
import { f1Score } from '../metrics/index.js';
import { gridSearchCV, parameterGrid, randomizedSearchCV, refitCandidate, shareSearchData, stratifiedSplit, type GridSpace, type TrialResult } from './index.js';

const all = parseNumericCsv(readFileSync(new URL('../../../data/phisingData.csv', import.meta.url), 'utf8'));
// 1,500 rows keep the search fast while leaving real differences between candidates.
const { test: pick } = stratifiedSplit(all.y, { testSize: 1500 / all.y.length, seed: 3 });
const X = takeRows(all.X, pick);
const y = takeValues(all.y, pick);

describe('parameterGrid', () => {
  it('is the cartesian product in key order', () => {
    expect(parameterGrid({ b: [1, 2], a: ['x', 'y'] })).toEqual([{ a: 'x', b: 1 }, { a: 'x', b: 2 }, { a: 'y', b: 1 }, { a: 'y', b: 2 }]);
    expect(() => parameterGrid({ a: [] })).toThrow(/non-empty/);
  });
});

describe('gridSearchCV', () => {
  const spaces: GridSpace[] = [
    { kind: 'logistic_regression', grid: { C: [0.001, 1] } },
    { kind: 'knn', grid: { nNeighbors: [1, 15], weights: ['uniform', 'distance'] } },
  ];

  it('scores every candidate on every fold, picks the best mean and refits it', async () => {
    const seen: TrialResult[] = [];
    const folds: string[] = [];
    const r = await gridSearchCV(spaces, X, y, { cv: 3, seed: 0, onTrial: (t) => seen.push(t), onFold: (kind) => folds.push(kind) });
    expect(r.trials).toHaveLength(6);
    expect(seen).toHaveLength(6);
    // One call per (candidate, fold), with its kind, before the candidate's trial is reported.
    expect(folds).toHaveLength(18);
    expect([...folds].sort()).toEqual(r.trials.flatMap((t) => [t.kind, t.kind, t.kind]).sort());
    for (const t of r.trials) {
      expect(t.foldScores).toHaveLength(3);
      expect(t.meanScore).toBeCloseTo(t.foldScores.reduce((a, b) => a + b, 0) / 3, 12);
    }
    expect(r.best.meanScore).toBe(Math.max(...r.trials.map((t) => t.meanScore)));
    expect(r.bestEstimator?.kind).toBe(r.best.kind);
    expect(r.bestEstimator?.getParams()).toMatchObject(r.best.params);
    // A tiny C underfits: the strong penalty must lose to C = 1.
    expect(r.trials[1]!.meanScore).toBeGreaterThan(r.trials[0]!.meanScore);
  });

  it("gives the same scores and per-kind refits on 2 worker threads as in-process", async () => {
    const a = await gridSearchCV(spaces, X, y, { cv: 3, seed: 5, refit: 'perKind' });
    const b = await gridSearchCV(spaces, X, y, { cv: 3, seed: 5, refit: 'perKind', nJobs: 2 });
    expect(b.trials.map((t) => t.foldScores)).toEqual(a.trials.map((t) => t.foldScores));
    expect(b.best.index).toBe(a.best.index);
    expect(Object.keys(a.bestByKind!).sort()).toEqual(['knn', 'logistic_regression']);
    for (const kind of ['knn', 'logistic_regression']) {
      const ta = a.bestByKind![kind]!;
      expect(ta.trial.meanScore).toBe(Math.max(...a.trials.filter((t) => t.kind === kind).map((t) => t.meanScore)));
      expect(ta.estimator.getParams()).toMatchObject(ta.trial.params);
      expect(b.bestByKind![kind]!.estimator.predictProba(X).data).toEqual(ta.estimator.predictProba(X).data);
    }
    expect(a.bestEstimator).toBe(a.bestByKind![a.best.kind]!.estimator);
  });

  it('scores tree counts as prefixes of one fit exactly as separate fits (in-process and on workers)', async () => {
    const staged: GridSpace[] = [
      { kind: 'adaboost', grid: { learningRate: [0.5], nEstimators: [2, 9, 4] } },
      { kind: 'hist_gradient_boosting', grid: { maxIter: [3, 7], subsample: [0.7], maxDepth: [3] } },
    ];
    const separate = await gridSearchCV(staged, X, y, { cv: 3, seed: 2, refit: false, staged: false });
    const prefixes = await gridSearchCV(staged, X, y, { cv: 3, seed: 2, refit: false });
    const workers = await gridSearchCV(staged, X, y, { cv: 3, seed: 2, refit: false, nJobs: 2 });
    expect(prefixes.trials.map((t) => t.foldScores)).toEqual(separate.trials.map((t) => t.foldScores));
    expect(workers.trials.map((t) => t.foldScores)).toEqual(separate.trials.map((t) => t.foldScores));
    expect(prefixes.trials.map((t) => t.params)).toEqual(separate.trials.map((t) => t.params));
    expect(separate.bestEstimator).toBeUndefined();
    // Different counts do score differently, so the equality above is not vacuous.
    expect(new Set(separate.trials.map((t) => t.meanScore)).size).toBeGreaterThan(1);
  });

  it('keeps out-of-fold probabilities: the held-out fold model\'s, the same on workers, matching the fold scores', async () => {
    const grid: GridSpace[] = [{ kind: 'hist_gradient_boosting', grid: { maxIter: [4, 9], maxDepth: [3] } }, { kind: 'naive_bayes', grid: {} }];
    const here = await gridSearchCV(grid, X, y, { cv: 3, seed: 4, refit: false, oof: true, posLabel: -1 });
    const there = await gridSearchCV(grid, X, y, { cv: 3, seed: 4, refit: false, oof: true, posLabel: -1, nJobs: 2 });
    expect(there.trials.map((t) => Array.from(t.oof!))).toEqual(here.trials.map((t) => Array.from(t.oof!)));
    const { findClassifier } = await import('./index.js');
    for (const t of here.trials) {
      for (const [fi, f] of here.folds.entries()) {
        const fitted = await findClassifier(t.kind)!.create(t.params).fit(takeRows(X, f.train), takeValues(y, f.train));
        const P = fitted.predictProba(takeRows(X, f.test));
        const k = Array.from(fitted.classes).indexOf(-1);
        expect(Array.from(f.test, (i) => t.oof![i])).toEqual(Array.from(f.test, (_, r) => P.data[r * P.cols + k]));
        expect(t.foldScores[fi]).toBe(f1Score(takeValues(y, f.test), fitted.predict(takeRows(X, f.test)), -1));
      }
    }
    // A family with one setting is cross-validated like any other: three real fold scores.
    const nb = here.trials.find((t) => t.kind === 'naive_bayes')!;
    expect(nb.foldScores).toHaveLength(3);
    expect(new Set(nb.foldScores).size).toBeGreaterThan(1);
  });

  it('reports each kind\'s best as soon as its candidates are scored, and refitCandidate fits it as the search refits it', async () => {
    const reported: TrialResult[] = [];
    const scoredBefore: number[] = [];
    let scored = 0;
    const r = await gridSearchCV(spaces, X, y, {
      cv: 3, seed: 6, refit: 'perKind', nJobs: 2,
      onTrial: () => scored++,
      onKindScored: (best) => {
        reported.push(best);
        scoredBefore.push(scored);
      },
    });
    expect(reported.map((t) => t.kind).sort()).toEqual(['knn', 'logistic_regression']);
    for (const t of reported) expect(t).toBe(r.bestByKind![t.kind]!.trial);
    // The first kind is reported before the other kind's candidates are all scored.
    expect(scoredBefore[0]).toBeLessThan(r.trials.length);
    for (const nJobs of [1, 2]) {
      for (const t of reported) {
        const { estimator } = await refitCandidate(t, X, y, { nJobs });
        expect(estimator.kind).toBe(t.kind);
        expect(estimator.predictProba(X).data).toEqual(r.bestByKind![t.kind]!.estimator.predictProba(X).data);
      }
    }
  });

  it('sends shared data to the workers once for several searches, with the same results as a copy', async () => {
    const shared = shareSearchData(X, y);
    expect(shared.X.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    const grid: GridSpace = { kind: 'hist_gradient_boosting', grid: { maxIter: [5], maxDepth: [3] } };
    const [a, b] = await Promise.all([
      gridSearchCV(grid, shared.X, shared.y, { cv: 3, seed: 1, refit: false, nJobs: 2 }),
      gridSearchCV(spaces[0]!, shared.X, shared.y, { cv: 3, seed: 1, refit: false, nJobs: 2 }),
    ]);
    const c = await gridSearchCV(grid, X, y, { cv: 3, seed: 1, refit: false, nJobs: 2 });
    const d = await gridSearchCV(spaces[0]!, X, y, { cv: 3, seed: 1, refit: false, nJobs: 2 });
    expect(a.trials.map((t) => t.foldScores)).toEqual(c.trials.map((t) => t.foldScores));
    expect(b.trials.map((t) => t.foldScores)).toEqual(d.trials.map((t) => t.foldScores));
  });

  it('reports an unknown kind and a failing candidate as NsErrors', async () => {
    await expect(gridSearchCV({ kind: 'nope', grid: {} }, X, y)).rejects.toMatchObject({ code: 'UNKNOWN_MODEL' });
    await expect(gridSearchCV({ kind: 'logistic_regression', grid: { C: [-1] } }, X, y, { nJobs: 2 })).rejects.toMatchObject({ code: 'BAD_PARAM' });
  });
});

describe('randomizedSearchCV', () => {
  it('draws seeded candidates within their distributions', async () => {
    const space = { kind: 'logistic_regression', distributions: { C: { logUniform: [0.01, 100] as [number, number] }, fitIntercept: [true, false] } };
    const a = await randomizedSearchCV(space, 4, X, y, { seed: 9, refit: false });
    const b = await randomizedSearchCV(space, 4, X, y, { seed: 9, refit: false });
    expect(a.trials.map((t) => t.params)).toEqual(b.trials.map((t) => t.params));
    for (const t of a.trials) {
      expect(t.params.C).toBeGreaterThanOrEqual(0.01);
      expect(t.params.C).toBeLessThanOrEqual(100);
    }
  });
});

describe('originalSearchSpaces', () => {
  it('names only registered kinds and has the original 3 + 5 + 120 + 1 + 18 candidates', async () => {
    const { findClassifier, originalSearchSpaces } = await import('./index.js');
    const spaces = originalSearchSpaces();
    for (const s of spaces) expect(findClassifier(s.kind)?.kind).toBe(s.kind);
    expect(spaces.map((s) => parameterGrid(s.grid).length)).toEqual([3, 5, 120, 1, 18]);
    expect(parameterGrid(originalSearchSpaces(true)[2]!.grid)).toHaveLength(1);
  });
});
