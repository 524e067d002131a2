/**
 * Accuracy over repeated splits (the search bench's `splits` mode): how much of a single split's test F1
 * is the split itself. For the original split (random_state 42) and 20 more (random_state 0..19, made
 * as scikit-learn's train_test_split makes them), the test F1 of
 *  - our best single setting on the original split (boosting, learning rate 0.1, depth 10, 300 rounds),
 *  - a fixed soft vote of it with extra trees (300) and an RBF SVC (C 10, gamma 0.1), the subset with the
 *    best mean F1 over 20 inner 80/20 splits of the original training part (chosen without its test
 *    part),
 *  - two models chosen on the split's training part alone by the train stage's rule
 *    (src/pipeline/stages/train.ts): 3-fold CV of every setting, each family's best refit on the
 *    training part, then the soft vote of the top 2 or 3 families by CV on their out-of-fold
 *    probabilities (softVoteTopK), taken when it beats the best single family's CV F1. The candidates are
 *    the original's five grids (originalSearchSpaces, as `train --preset original` searches them) and the
 *    three fixed settings above. The two differ only in the folds and the class CV scores:
 *     - trainFolds (`train`'s own): leakage-aware folds (stratifiedGroupKFold over featureVectorGroups,
 *       seed 42, `train`'s default) scored by phishing F1 (Result = -1), as `train` does;
 *     - splitFolds: stratified 3-fold (seed 0), drawn like this row's test split (rows at random,
 *       identical rows may fall on both sides), scored by F1 with Result = 1 positive, the class the row
 *       reports (the folds and scoring this row used before the vote was added).
 *    Both differ from `train --preset original` in the three extra settings, the original split instead
 *    of the leakage-aware holdout and no preprocessing (`train`'s default imputer changes nothing on this
 *    data, which has no missing values; its default scaler is none). The test part only scores the chosen
 *    models, by F1 with Result = 1 positive; each one's best single family is scored too,
 * and, label only, how many test rows contradict the majority label of their identical training rows
 * (an error no model that agrees with the training data can avoid). The XGBoost twin of the boosting
 * setting runs on the same splits in bench/search/peer_repeated.py.
 */
import { takeDataset, type Dataset, type Matrix } from '../../src/core/matrix.js';
import { VotingClassifier } from '../../src/ml/ensemble/voting.js';
import type { Classifier } from '../../src/ml/estimator.js';
import { featureVectorGroups, findClassifier, gridSearchCV, originalSearchSpaces, softVoteTopK, stratifiedGroupKFold, stratifiedKFold, type GridSpace, type Split } from '../../src/ml/model-selection/index.js';
import { sklearnTrainTestSplit } from '../../src/ml/model-selection/sklearn-split.js';
import { f1Score } from '../../src/ml/trees/phishing.test-helpers.js';

export const SPLIT_SEEDS = [42, ...Array.from({ length: 20 }, (_, i) => i)];
const BOOSTING = { learningRate: 0.1, maxDepth: 10, maxIter: 300 };
const ET = { nEstimators: 300, nJobs: 2 };
const SVC = { kernel: 'rbf', C: 10, gamma: 0.1 };
const PHISHING = -1;
const LEGIT = 1;
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

export interface CvChoice {
  /** Test F1 (Result = 1 positive) of the chosen model, what it is, its CV F1 and every vote tried. */
  test: number;
  model: string;
  cvF1: number;
  votesTried: string;
  /** Test F1 of the best single family by the same CV, and what it is. */
  single: number;
  singleModel: string;
}

const said = (c: CvChoice): string => `${c.test.toFixed(4)} (${c.model}; ${c.votesTried}), best single ${c.single.toFixed(4)}`;

/**
 * The train stage's choice (src/pipeline/stages/train.ts) on a split's training part only: every
 * setting of CV_SPACES cross-validated on `folds` by F1 of `posLabel`, each family's best refit, then
 * softVoteTopK on the families' out-of-fold probabilities. The test part only scores the result.
 */
async function trainStageChoice(train: Dataset, test: Dataset, folds: readonly Split[], posLabel: number, negLabel: number): Promise<CvChoice> {
  const search = await gridSearchCV(CV_SPACES, train.X, train.y, { cv: folds, nJobs: 2, scoring: 'f1', posLabel, refit: 'perKind', oof: true });
  const ranked = Object.values(search.bestByKind!).sort((a, b) => b.trial.meanScore - a.trial.meanScore);
  const { tried, chosen } = softVoteTopK(ranked.map((b) => ({ meanScore: b.trial.meanScore, oof: b.trial.oof! })), train.y, folds, posLabel, negLabel);
  const single = ranked[0]!;
  const model = chosen ? VotingClassifier.ofFitted(ranked.slice(0, chosen.size).map((b) => b.estimator)) : single.estimator;
  const singleModel = `${single.trial.kind} ${JSON.stringify(single.trial.params)}`;
  return {
    test: f1Score(test.y, model.predict(test.X)),
    model: chosen ? `soft vote of ${ranked.slice(0, chosen.size).map((b) => b.trial.kind).join(' + ')}` : singleModel,
    cvF1: chosen ? chosen.mean : single.trial.meanScore,
    votesTried: `${tried.map((t) => `top ${t.size} ${t.mean.toFixed(4)}`).join(', ')} vs best single ${single.trial.meanScore.toFixed(4)}`,
    single: f1Score(test.y, single.estimator.predict(test.X)), singleModel,
  };
}

export interface SplitScore {
  seed: number;
  boosting: number;
  vote: number;
  /** The train stage's rule with its own folds, and with folds drawn like the test split. */
  trainFolds: CvChoice;
  splitFolds: CvChoice;
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
    const row = {
      seed, boosting: f1Score(test.y, hgb.predict(test.X)), vote: f1Score(test.y, vote.predict(test.X)),
      trainFolds: await trainStageChoice(train, test, stratifiedGroupKFold(train.y, featureVectorGroups(train.X), 3, { seed: 42 }), PHISHING, LEGIT),
      splitFolds: await trainStageChoice(train, test, stratifiedKFold(train.y, 3, { seed: 0 }), LEGIT, PHISHING),
      contradicted: contradictedRows(all.X, all.y, s.train, s.test),
      testChecksum: indexChecksum(s.test),
    };
    log(`split ${seed}: boosting ${row.boosting.toFixed(4)}, vote ${row.vote.toFixed(4)}, train folds ${said(row.trainFolds)}; split folds ${said(row.splitFolds)}; contradicted rows ${row.contradicted}`);
    out.push(row);
  }
  return out;
}
