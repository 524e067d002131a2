/**
 * Classification metrics (public entry): label metrics, ranking metrics and curves, probability
 * metrics, plus `evaluateBinary`, the one-call summary the train and evaluate stages record (F1 first).
 *
 * @example
 *   const m = evaluateBinary(yTest, model.predictProba(XTest), model.classes, 1); m.f1;
 */
import { NsError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { accuracyScore, balancedAccuracyScore, binaryCounts } from './classification.js';
import { brierScore, logLoss } from './probabilistic.js';
import { averagePrecisionScore, rocAucScore } from './ranking.js';

export * from './classification.js';
export * from './probabilistic.js';
export * from './ranking.js';

export interface BinaryMetrics {
  f1: number;
  precision: number;
  recall: number;
  accuracy: number;
  balancedAccuracy: number;
  rocAuc: number;
  averagePrecision: number;
  logLoss: number;
  brier: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/**
 * All binary metrics from a probability matrix (column k = classes[k]) for the chosen positive label;
 * the predicted label is the most probable class (as `predict` does).
 */
export function evaluateBinary(yTrue: Float64Array, proba: Matrix, classes: Float64Array, posLabel = 1): BinaryMetrics {
  const k = Array.from(classes).indexOf(posLabel);
  if (k < 0 || classes.length !== 2 || proba.cols !== 2) {
    throw new NsError('BAD_LABEL', `Positive label ${posLabel} is not one of the two classes [${Array.from(classes).join(', ')}].`, {
      hint: 'Pass a binary model and one of its classes as the positive label.',
    });
  }
  const n = proba.rows;
  const pPos = new Float64Array(n);
  const yPred = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    pPos[i] = proba.data[2 * i + k]!;
    yPred[i] = proba.data[2 * i + 1]! > proba.data[2 * i]! ? classes[1]! : classes[0]!;
  }
  const c = binaryCounts(yTrue, yPred, posLabel);
  const bothClasses = c.tp + c.fn > 0 && c.fp + c.tn > 0;
  return {
    f1: c.tp + c.fp + c.fn === 0 ? 0 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn),
    precision: c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp),
    recall: c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn),
    accuracy: accuracyScore(yTrue, yPred),
    balancedAccuracy: balancedAccuracyScore(yTrue, yPred),
    rocAuc: bothClasses ? rocAucScore(yTrue, pPos, posLabel) : NaN,
    averagePrecision: bothClasses ? averagePrecisionScore(yTrue, pPos, posLabel) : NaN,
    logLoss: logLoss(yTrue, pPos, posLabel),
    brier: brierScore(yTrue, pPos, posLabel),
    ...c,
  };
}
export * from './mcnemar.js';
export * from './bootstrap.js';
