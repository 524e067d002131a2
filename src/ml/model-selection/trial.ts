/**
 * One cross-validation task — fit a classifier of some kind with some params on the training rows of a
 * fold and score it on the test rows — shared by the in-process path and the worker threads, so both
 * compute exactly the same numbers. A staged task (./staged.ts) fits the largest tree count of several
 * candidates once and scores each candidate's count as a prefix of that fit.
 */
import { NsError } from '../../core/errors.js';
import { takeRows, takeValues, type Matrix } from '../../core/matrix.js';
import type { Classifier, ClassifierFactory, ModelState } from '../estimator.js';
import { accuracyScore, balancedAccuracyScore, f1Score, rocAucScore } from '../metrics/index.js';
import { AdaBoostClassifier } from '../trees/adaboost.js';
import { fitAdaBoostStumps, stumpsApply } from '../trees/adaboost-stumps.js';
import type { BoostPrepared } from '../trees/boost-prepared.js';
import { prepareBoosting } from '../trees/boost-prepared.js';
import { TreeClassifierBase } from '../trees/base.js';
import { HistGradientBoostingClassifier } from '../trees/hist-gradient-boosting.js';
import { truncateState } from './staged.js';

export type Scoring = 'f1' | 'accuracy' | 'balanced_accuracy' | 'roc_auc';

export interface TrialTask {
  /** Result slots (trial x fold) this task fills, echoed back with the results: one per staged count, else one. */
  ids: number[];
  kind: string;
  params: Record<string, unknown>;
  train: Int32Array;
  test: Int32Array;
  scoring: Scoring;
  posLabel: number;
  /** Fit params[param] = max(counts) once, then score the prefix of each count (ids[j] <- counts[j]). */
  staged?: { param: string; counts: number[] };
  /** Refit candidate ids[0] on all rows (train / test unused) and hand the model back. */
  refit?: boolean;
  /** Also return the probability of posLabel for every test row (out-of-fold predictions). */
  oof?: boolean;
}

/** What a task produces: fold scores, or a refit model (its state when it crosses from a worker). */
export interface TaskOutput {
  results: TrialTaskResult[];
  refit?: { index: number; fitSeconds: number; model?: Classifier; state?: ModelState };
}

export interface TrialTaskResult {
  id: number;
  score: number;
  fitSeconds: number;
  /** With task.oof: the probability of posLabel per test row, in task.test order. */
  proba?: Float64Array;
}

/** Looks a kind up or throws UNKNOWN_MODEL. */
export function requireFactory(lookup: (kind: string) => ClassifierFactory | undefined, kind: string): ClassifierFactory {
  const f = lookup(kind);
  if (f === undefined) {
    throw new NsError('UNKNOWN_MODEL', `No classifier of kind "${kind}" is registered.`, { kind: 'config', hint: 'Use a kind listed in the model catalogs.' });
  }
  return f;
}

/**
 * Fits a model of the factory's kind. AdaBoost with stumps takes the faster fit of adaboost-stumps.ts,
 * which yields exactly the model AdaBoostClassifier.fit does (anything else, errors included, goes
 * through the class).
 */
async function fitModel(factory: ClassifierFactory, params: Record<string, unknown>, X: Matrix, y: Float64Array, prep?: () => BoostPrepared): Promise<Classifier> {
  const est = factory.create(params);
  if (est instanceof AdaBoostClassifier && stumpsApply(est.params)) {
    const state = fitAdaBoostStumps(X, y, est.getParams());
    if (state !== undefined) return factory.fromState(state);
  }
  if (est instanceof HistGradientBoostingClassifier && prep !== undefined) return est.fitPrepared(prep());
  return est.fit(X, y);
}

/**
 * The binned training rows of the last few folds this thread fitted boosting on: every boosting
 * setting of a grid on one fold shares one binning (same model as binning per fit; see
 * boost-prepared.ts). Keyed by the data object and the fold's row indices (compared in full).
 */
const boostCache: { X: Matrix; train: Int32Array; prep: BoostPrepared }[] = [];
const BOOST_CACHE_SIZE = 4;

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function preparedFold(X: Matrix, y: Float64Array, train: Int32Array): BoostPrepared {
  const hit = boostCache.find((e) => e.X === X && sameRows(e.train, train));
  if (hit !== undefined) return hit.prep;
  const prep = prepareBoosting(takeRows(X, train), takeValues(y, train));
  boostCache.unshift({ X, train, prep });
  boostCache.length = Math.min(boostCache.length, BOOST_CACHE_SIZE);
  return prep;
}

/** The task's score of a fitted model on the test rows Xt, yt; `P` = its predictProba(Xt) when already made. */
function scoreModel(model: Classifier, Xt: Matrix, yt: Float64Array, scoring: Scoring, posLabel: number, P?: Matrix): number {
  if (scoring === 'roc_auc') {
    const k = Array.from(model.classes).indexOf(posLabel);
    const p = P ?? model.predictProba(Xt);
    return rocAucScore(yt, Float64Array.from({ length: Xt.rows }, (_, i) => p.data[i * p.cols + k]!), posLabel);
  }
  const pred = P !== undefined && model instanceof TreeClassifierBase ? model.labelsOf(P) : model.predict(Xt);
  if (scoring === 'accuracy') return accuracyScore(yt, pred);
  if (scoring === 'balanced_accuracy') return balancedAccuracyScore(yt, pred);
  return f1Score(yt, pred, posLabel);
}

/**
 * The task's result for one fitted model: its score and, when asked, its out-of-fold probabilities
 * (one predictProba serves both).
 */
function resultOf(model: Classifier, task: TrialTask, Xt: Matrix, yt: Float64Array, id: number, fitSeconds: number): TrialTaskResult {
  const P = task.oof === true ? model.predictProba(Xt) : undefined;
  const out: TrialTaskResult = { id, score: scoreModel(model, Xt, yt, task.scoring, task.posLabel, P), fitSeconds };
  if (P !== undefined) {
    const k = Array.from(model.classes).indexOf(task.posLabel);
    out.proba = Float64Array.from({ length: Xt.rows }, (_, i) => (k < 0 ? 0 : P.data[i * P.cols + k]!));
  }
  return out;
}

/**
 * Fits on task.train and returns the score on task.test, one result per id. A staged task's single
 * fit time is shared out over its counts in proportion to the trees each one uses.
 */
export async function runTrialTask(factory: ClassifierFactory, X: Matrix, y: Float64Array, task: TrialTask): Promise<TaskOutput> {
  if (task.refit === true) {
    const t0 = performance.now();
    const model = await fitModel(factory, task.params, X, y);
    return { results: [], refit: { index: task.ids[0]!, fitSeconds: (performance.now() - t0) / 1000, model } };
  }
  const staged = task.staged;
  const params = staged ? { ...task.params, [staged.param]: Math.max(...staged.counts) } : task.params;
  const t0 = performance.now();
  const model = await fitModel(factory, params, takeRows(X, task.train), takeValues(y, task.train), () => preparedFold(X, y, task.train));
  const fitSeconds = (performance.now() - t0) / 1000;
  const Xt = takeRows(X, task.test);
  const yt = takeValues(y, task.test);
  if (!staged) return { results: [resultOf(model, task, Xt, yt, task.ids[0]!, fitSeconds)] };
  const state = model.toState();
  const max = Math.max(...staged.counts);
  const results = staged.counts.map((k, j) =>
    resultOf(k === max ? model : factory.fromState(truncateState(state, staged.param, k)), task, Xt, yt, task.ids[j]!, (fitSeconds * k) / max));
  return { results };
}
