/**
 * Child process of the search bench (bench/search/index.ts), so its peak RSS is the search's own:
 *   node --import tsx bench/search/ours.ts DATA.csv search [--quick]
 *     The original project's whole search, as seed_baseline.py runs it: the original split
 *     (train_test_split(test_size=0.2, random_state=42), reproduced index for index), its five grids with
 *     3-fold CV scored by accuracy (scikit-learn's default), each family's best refit on the training
 *     part and scored by test F1 (Result = 1 positive), the final model = best test F1 (the original's
 *     rule). Also reports the model an honest rule picks (best mean CV accuracy) and its test F1.
 *   node --import tsx bench/search/ours.ts DATA.csv extras [--quick]
 *     Our logistic regression and SVC with defaults (twins of scikit-learn's), and stronger grids
 *     (extraSpaces: boosting, forests, extra trees, RBF SVC, k-NN) next to the original's, plus soft
 *     voting of every subset of the kinds' best (voting.ts), all chosen by CV F1 on the training part
 *     only; the chosen model's test F1.
 *   node --import tsx bench/search/ours.ts DATA.csv splits
 *     Test F1 of fixed settings over the original split and 20 more (repeated.ts).
 * Prints one JSON document on stdout, with process.resourceUsage().maxRSS (worker threads included).
 */
import { readFileSync } from 'node:fs';
import { takeDataset, type Dataset } from '../../src/core/matrix.js';
import { closeSharedPool } from '../../src/ml/parallel/pool.js';
import { findClassifier, gridSearchCV, originalSearchSpaces, type GridSpace, type SearchResult } from '../../src/ml/model-selection/index.js';
import { sklearnTrainTestSplit } from '../../src/ml/model-selection/sklearn-split.js';
import { VotingClassifier } from '../../src/ml/ensemble/voting.js';
import { f1Score, parsePhishingCsv } from '../../src/ml/trees/phishing.test-helpers.js';
import { indexChecksum, repeatedSplits } from './repeated.js';
import { votingByCv } from './voting.js';

const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;
const log = (m: string): void => void process.stderr.write(`[search] ${m}\n`);

/** Test F1 of each kind's refit best. */
function testF1(r: SearchResult, test: Dataset): Map<string, number> {
  return new Map(Object.entries(r.bestByKind!).map(([k, v]) => [k, f1Score(test.y, v.estimator.predict(test.X))]));
}

async function searchMode(train: Dataset, test: Dataset, quick: boolean): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  // Every family's best is refit on the training part (on the workers, as soon as its family is scored).
  const r: SearchResult = await gridSearchCV(originalSearchSpaces(quick), train.X, train.y, { cv: 3, nJobs: 2, scoring: 'accuracy', seed: 0, refit: 'perKind' });
  const f1 = testF1(r, test);
  const totalS = (performance.now() - t0) / 1000;
  log(`whole search ${totalS.toFixed(2)} s`);
  let byTest = '';
  for (const [k, v] of f1) if (byTest === '' || v > f1.get(byTest)!) byTest = k;
  const byKind = Object.entries(r.bestByKind!);
  return {
    total_s: round(totalS, 3), candidates: r.trials.length,
    refit_s: Object.fromEntries(byKind.map(([k, v]) => [k, round(v.fitSeconds, 3)])),
    best_params: Object.fromEntries(byKind.map(([k, v]) => [k, v.trial.params])),
    cv_accuracy: Object.fromEntries(byKind.map(([k, v]) => [k, round(v.trial.meanScore)])),
    test_f1: Object.fromEntries([...f1].map(([k, v]) => [k, round(v)])),
    best: byTest, best_f1: round(f1.get(byTest)!),
    cv_chosen: r.best.kind, cv_chosen_f1: round(f1.get(r.best.kind)!),
  };
}

/**
 * Stronger settings than the original grids, searched on the training part with CV F1 and fixed a
 * priori (before any result on this split): deeper boosting trees with more rounds, and smaller rates
 * with and without L2; forests with more trees, entropy and wider splits; extra trees; an RBF SVC over
 * C and gamma; k-nearest neighbours (Manhattan or Euclidean, uniform or distance weights).
 */
function extraSpaces(quick: boolean): GridSpace[] {
  if (quick) {
    return [
      { kind: 'hist_gradient_boosting', grid: { learningRate: [0.1], maxDepth: [8], maxIter: [300] } },
      { kind: 'extra_trees', grid: { nEstimators: [100] } },
      { kind: 'svc', grid: { kernel: ['rbf'], C: [10], gamma: [0.1] } },
      { kind: 'knn', grid: { nNeighbors: [5], weights: ['distance'], p: [1] } },
    ];
  }
  const trees = { nEstimators: [100, 300, 500], criterion: ['gini', 'entropy'], maxFeatures: ['sqrt', 0.5] };
  return [
    { kind: 'hist_gradient_boosting', grid: { learningRate: [0.1, 0.2], maxDepth: [6, 8, 10], maxIter: [100, 200, 300, 500, 800] } },
    { kind: 'hist_gradient_boosting', grid: { learningRate: [0.05, 0.1], maxDepth: [8, 12], l2Regularization: [0, 1], maxIter: [200, 300, 500, 700, 1000] } },
    { kind: 'random_forest', grid: trees },
    { kind: 'extra_trees', grid: trees },
    { kind: 'svc', grid: { kernel: ['rbf'], C: [1, 10, 100], gamma: ['scale', 0.1] } },
    { kind: 'knn', grid: { nNeighbors: [1, 3, 5, 7], weights: ['uniform', 'distance'], p: [1, 2] } },
  ];
}

async function extrasMode(train: Dataset, test: Dataset, quick: boolean): Promise<Record<string, unknown>> {
  const twins: Record<string, number> = {};
  for (const kind of ['logistic_regression', 'svc']) {
    const m = await findClassifier(kind)!.create({}).fit(train.X, train.y);
    twins[kind] = round(f1Score(test.y, m.predict(test.X)));
  }
  log('twins done; CV-chosen strong model');
  const t0 = performance.now();
  // The original's grids except boosting (one best per kind is kept; the boosting grid here is ours) and ours.
  const spaces = [...originalSearchSpaces(quick).filter((sp) => sp.kind !== 'hist_gradient_boosting'), ...extraSpaces(quick)];
  const r = await gridSearchCV(spaces, train.X, train.y, { cv: 3, nJobs: 2, scoring: 'f1', posLabel: 1, seed: 0, refit: 'perKind' });
  const f1 = testF1(r, test);
  const searchS = (performance.now() - t0) / 1000;
  log(`search ${searchS.toFixed(1)} s; soft voting of every subset of the kinds, judged by CV`);
  const voting = await votingByCv(r, train.X, train.y, 1);
  let chosen: Record<string, unknown> = { kind: r.best.kind, params: r.best.params, cvF1: round(r.best.meanScore), test_f1: round(f1.get(r.best.kind)!) };
  if (voting.chosen) {
    const ens = VotingClassifier.ofFitted(voting.chosen.members.map((k) => r.bestByKind![k]!.estimator));
    chosen = {
      kind: 'voting', members: Object.fromEntries(voting.chosen.members.map((k) => [k, r.bestByKind![k]!.trial.params])),
      cvF1: round(voting.chosen.cvF1, 5), bestSingleCvF1: round(r.best.meanScore, 5), test_f1: round(f1Score(test.y, ens.predict(test.X))),
    };
  }
  return {
    twins_f1: twins,
    voting_subsets: voting.tried.length,
    voting_top: voting.tried.slice(0, 5).map((t) => ({ members: t.members, cvF1: round(t.cvF1, 5) })),
    selection: 'best mean 3-fold CV F1 on the training part (single candidates, then soft voting of every subset of the kinds\' best on out-of-fold probabilities); test split used only to report',
    cv_f1: Object.fromEntries(Object.entries(r.bestByKind!).map(([k, v]) => [k, { params: v.trial.params, meanF1: round(v.trial.meanScore), testF1: round(f1.get(k)!) }])),
    chosen,
    search_seconds: round(searchS, 2),
    seconds: round((performance.now() - t0) / 1000, 2),
  };
}

async function main(): Promise<void> {
  const [csv, mode] = process.argv.slice(2);
  const quick = process.argv.includes('--quick');
  const all = parsePhishingCsv(readFileSync(csv!, 'utf8'));
  const split = sklearnTrainTestSplit(all.X.rows, 0.2, 42);
  const train = takeDataset(all, split.train);
  const test = takeDataset(all, split.test);
  try {
    const out = mode === 'splits' ? { splits: await repeatedSplits(all, log) }
      : mode === 'extras' ? await extrasMode(train, test, quick) : await searchMode(train, test, quick);
    process.stdout.write(`${JSON.stringify({ ...out, test_index_checksum: indexChecksum(split.test), max_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1) })}\n`);
  } finally {
    await closeSharedPool();
  }
}

await main();
