/**
 * Accuracy over repeated splits (the search bench's `splits` mode): how much of a single split's test F1
 * is the split itself. For the original split (random_state 42) and 20 more (random_state 0..19, made
 * as scikit-learn's train_test_split makes them), the test F1 of
 *  - our best single setting on the original split (boosting, learning rate 0.1, depth 10, 300 rounds),
 *  - a fixed soft vote of it with extra trees (300) and an RBF SVC (C 10, gamma 0.1), the subset with the
 *    best mean F1 over 20 inner 80/20 splits of the original training part (chosen without its test
 *    part),
 *  - the model chosen by 3-fold CV F1 (Result = 1 positive) on the split's training part alone, among the
 *    original's five grids (originalSearchSpaces, as `train --preset original` searches them) and the
 *    three fixed settings above (each family's best refit on the training part; the test part only
 *    scores the chosen one),
 * and, label only, how many test rows contradict the majority label of their identical training rows
 * (an error no model that agrees with the training data can avoid). The XGBoost twin of the boosting
 * setting runs on the same splits in bench/search/peer_repeated.py.
 */
import { takeDataset, type Dataset, type Matrix } from '../../src/core/matrix.js';
import { VotingClassifier } from '../../src/ml/ensemble/voting.js';
import type { Classifier } from '../../src/ml/estimator.js';
import { findClassifier, gridSearchCV, originalSearchSpaces, type GridSpace } from '../../src/ml/model-selection/index.js';
import { sklearnTrainTestSplit } from '../../src/ml/model-selection/sklearn-split.js';
import { f1Score } from '../../src/ml/trees/phishing.test-helpers.js';

export const SPLIT_SEEDS = [42, ...Array.from({ length: 20 }, (_, i) => i)];
const BOOSTING = { learningRate: 0.1, maxDepth: 10, maxIter: 300 };
const ET = { nEstimators: 300, nJobs: 2 };
const SVC = { kernel: 'rbf', C: 10, gamma: 0.1 };
const one = (kind: string, params: Record<string, unknown>): GridSpace => ({ kind, grid: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, [v]])) });
/** What the CV-chosen column searches on each split. */
export const CV_SPACES: GridSpace[] = [...originalSearchSpaces(), one('hist_gradient_boosting', BOOSTING), one('extra_trees', { nEstimators: 300 }), one('svc', SVC)];

const fit = (kind: string, params: Record<string, unknown>, d: Dataset): Promise<Classifier> => findClassifier(kind)!.create(params).fit(d.X, d.y);

/** Test rows whose label differs from the majority label of the training rows with the same features. */
function contradictedRows(X: Matrix, y: Float64Array, train: Int32Array, test: Int32Array): number {
  const key = (i: number): string => X.data.subarray(i * X.cols, (i + 1) * X.cols).join(',');
  const sum = new Map<string, number>();
  for (const i of train) {
    const k = key(i);
    sum.set(k, (sum.get(k) ?? 0) + y[i]!);
  }
  let n = 0;
  for (const i of test) {
    const s = sum.get(key(i));
    if (s !== undefined && s !== 0 && Math.sign(s) !== y[i]) n++;
  }
  return n;
}

/** Sum of test index x position, as the peer scripts compute it: the same split on both sides. */
export function indexChecksum(idx: Int32Array): number {
  let s = 0;
  idx.forEach((v, i) => (s += v * i));
  return s;
}

export interface SplitScore {
  seed: number;
  boosting: number;
  vote: number;
  /** Test F1 of the model chosen by CV on the split's training part (CV_SPACES), its kind and params. */
  cvChosen: number;
  cvChosenModel: string;
  contradicted: number;
  /** indexChecksum of the test rows, compared with peer_repeated.py's. */
  testChecksum: number;
}

/** Scores every split of `seeds` (default SPLIT_SEEDS); `log` gets one line per split. */
export async function repeatedSplits(all: Dataset, log: (m: string) => void, seeds: readonly number[] = SPLIT_SEEDS): Promise<SplitScore[]> {
  const out: SplitScore[] = [];
  for (const seed of seeds) {
    const s = sklearnTrainTestSplit(all.X.rows, 0.2, seed);
    const train = takeDataset(all, s.train);
    const test = takeDataset(all, s.test);
    const hgb = await fit('hist_gradient_boosting', BOOSTING, train);
    const et = await fit('extra_trees', ET, train);
    const svc = await fit('svc', SVC, train);
    const vote = VotingClassifier.ofFitted([hgb, et, svc]);
    const search = await gridSearchCV(CV_SPACES, train.X, train.y, { cv: 3, nJobs: 2, scoring: 'f1', posLabel: 1, seed: 0 });
    const row = {
      seed, boosting: f1Score(test.y, hgb.predict(test.X)), vote: f1Score(test.y, vote.predict(test.X)),
      cvChosen: f1Score(test.y, search.bestEstimator!.predict(test.X)), cvChosenModel: `${search.best.kind} ${JSON.stringify(search.best.params)}`,
      contradicted: contradictedRows(all.X, all.y, s.train, s.test),
      testChecksum: indexChecksum(s.test),
    };
    log(`split ${seed}: boosting ${row.boosting.toFixed(4)}, vote ${row.vote.toFixed(4)}, CV-chosen ${row.cvChosen.toFixed(4)} (${row.cvChosenModel}), contradicted rows ${row.contradicted}`);
    out.push(row);
  }
  return out;
}
