/**
 * One cross-validation task — fit a classifier of some kind with some params on the training rows of a
 * fold and score it on the test rows — shared by the in-process path and the worker threads, so both
 * compute exactly the same numbers.
 */
import { NsError } from '../../core/errors.js';
import { takeRows, takeValues, type Matrix } from '../../core/matrix.js';
import type { ClassifierFactory } from '../estimator.js';
import { accuracyScore, balancedAccuracyScore, f1Score, rocAucScore } from '../metrics/index.js';

export type Scoring = 'f1' | 'accuracy' | 'balanced_accuracy' | 'roc_auc';

export interface TrialTask {
  /** Position in the task list (trial x fold), echoed back with the result. */
  id: number;
  kind: string;
  params: Record<string, unknown>;
  train: Int32Array;
  test: Int32Array;
  scoring: Scoring;
  posLabel: number;
}

export interface TrialTaskResult {
  id: number;
  score: number;
  fitSeconds: number;
}

/** Looks a kind up or throws UNKNOWN_MODEL. */
export function requireFactory(lookup: (kind: string) => ClassifierFactory | undefined, kind: string): ClassifierFactory {
  const f = lookup(kind);
  if (f === undefined) {
    throw new NsError('UNKNOWN_MODEL', `No classifier of kind "${kind}" is registered.`, { kind: 'config', hint: 'Use a kind listed in the model catalogs.' });
  }
  return f;
}

/** Fits on task.train and returns the score on task.test. */
export async function runTrialTask(factory: ClassifierFactory, X: Matrix, y: Float64Array, task: TrialTask): Promise<TrialTaskResult> {
  const t0 = performance.now();
  const model = await factory.create(task.params).fit(takeRows(X, task.train), takeValues(y, task.train));
  const fitSeconds = (performance.now() - t0) / 1000;
  const Xt = takeRows(X, task.test);
  const yt = takeValues(y, task.test);
  let score: number;
  if (task.scoring === 'roc_auc') {
    const k = Array.from(model.classes).indexOf(task.posLabel);
    const P = model.predictProba(Xt);
    score = rocAucScore(yt, Float64Array.from({ length: Xt.rows }, (_, i) => P.data[i * P.cols + k]!), task.posLabel);
  } else {
    const pred = model.predict(Xt);
    if (task.scoring === 'accuracy') score = accuracyScore(yt, pred);
    else if (task.scoring === 'balanced_accuracy') score = balancedAccuracyScore(yt, pred);
    else score = f1Score(yt, pred, task.posLabel);
  }
  return { id: task.id, score, fitSeconds };
}
