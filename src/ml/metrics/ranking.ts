/**
 * Score-based metrics, after scikit-learn: ROC curve (with its drop_intermediate thinning), ROC AUC
 * (equal scores form one threshold, so ties count half, as in scikit-learn), precision-recall curve
 * and average precision. All start from the same cumulative counts at each distinct score.
 *
 * @example
 *   rocAucScore(yTrue, probPositive, 1); rocCurve(yTrue, probPositive, 1).fpr;
 */
import { NsError } from '../../core/errors.js';
import { checkPair } from './classification.js';

/** Cumulative false / true positives at each distinct score, scores descending. */
export function countsAtThresholds(yTrue: Float64Array, score: Float64Array, posLabel = 1): { fps: Float64Array; tps: Float64Array; thresholds: Float64Array } {
  checkPair(yTrue, score, 'countsAtThresholds');
  const n = score.length;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(score[i]!)) throw new NsError('NAN_INPUT', `Scores contain NaN at row ${i}.`, { hint: 'Pass finite scores (probabilities).' });
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Descending by score; stable, so the order among equal scores does not depend on the sort.
  order.sort((a, b) => score[b]! - score[a]! || a - b);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (yTrue[i] === posLabel) tp++;
    if (k === n - 1 || score[order[k + 1]!] !== score[i]) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thresholds.push(score[i]!);
    }
  }
  return { fps: Float64Array.from(fps), tps: Float64Array.from(tps), thresholds: Float64Array.from(thresholds) };
}

function mustHaveBoth(tps: Float64Array, fps: Float64Array, who: string): void {
  if (tps[tps.length - 1] === 0 || fps[fps.length - 1] === 0) {
    throw new NsError('SINGLE_CLASS', `${who} is undefined when y holds only one class.`, { hint: 'Evaluate on data with both classes.' });
  }
}

/** ROC curve points; thresholds[0] is +Infinity (the (0, 0) point), like scikit-learn. */
export function rocCurve(yTrue: Float64Array, score: Float64Array, posLabel = 1, dropIntermediate = true): { fpr: Float64Array; tpr: Float64Array; thresholds: Float64Array } {
  let { fps, tps, thresholds } = countsAtThresholds(yTrue, score, posLabel);
  mustHaveBoth(tps, fps, 'rocCurve');
  if (dropIntermediate && fps.length > 2) {
    // Keep the ends and every corner (second differences of fps or tps non-zero).
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      if (fps[i - 1]! - 2 * fps[i]! + fps[i + 1]! !== 0 || tps[i - 1]! - 2 * tps[i]! + tps[i + 1]! !== 0) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = Float64Array.from(keep, (i) => fps[i]!);
    tps = Float64Array.from(keep, (i) => tps[i]!);
    thresholds = Float64Array.from(keep, (i) => thresholds[i]!);
  }
  const m = fps.length + 1;
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  const thr = new Float64Array(m);
  thr[0] = Infinity;
  const F = fps[fps.length - 1]!;
  const T = tps[tps.length - 1]!;
  for (let i = 1; i < m; i++) {
    fpr[i] = fps[i - 1]! / F;
    tpr[i] = tps[i - 1]! / T;
    thr[i] = thresholds[i - 1]!;
  }
  return { fpr, tpr, thresholds: thr };
}

/** Area under the ROC curve (trapezoids over distinct thresholds). */
export function rocAucScore(yTrue: Float64Array, score: Float64Array, posLabel = 1): number {
  const { fps, tps } = countsAtThresholds(yTrue, score, posLabel);
  mustHaveBoth(tps, fps, 'rocAucScore');
  const F = fps[fps.length - 1]!;
  const T = tps[tps.length - 1]!;
  let area = 0;
  let px = 0;
  let py = 0;
  for (let i = 0; i < fps.length; i++) {
    const x = fps[i]! / F;
    const y = tps[i]! / T;
    area += ((x - px) * (y + py)) / 2;
    px = x;
    py = y;
  }
  return area;
}

/**
 * Precision-recall curve, recall decreasing, ending at (recall 0, precision 1); thresholds ascending,
 * one fewer than the points — scikit-learn's layout.
 */
export function precisionRecallCurve(yTrue: Float64Array, score: Float64Array, posLabel = 1): { precision: Float64Array; recall: Float64Array; thresholds: Float64Array } {
  const { fps, tps, thresholds } = countsAtThresholds(yTrue, score, posLabel);
  const n = tps.length;
  const T = tps[n - 1]!;
  const precision = new Float64Array(n + 1);
  const recall = new Float64Array(n + 1);
  const thr = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = n - 1 - k;
    const ps = tps[i]! + fps[i]!;
    precision[k] = ps === 0 ? 0 : tps[i]! / ps;
    recall[k] = T === 0 ? 1 : tps[i]! / T;
    thr[k] = thresholds[i]!;
  }
  precision[n] = 1;
  recall[n] = 0;
  return { precision, recall, thresholds: thr };
}

/** Average precision: sum over thresholds of (R_n - R_{n-1}) P_n (no interpolation). */
export function averagePrecisionScore(yTrue: Float64Array, score: Float64Array, posLabel = 1): number {
  const { precision, recall } = precisionRecallCurve(yTrue, score, posLabel);
  let s = 0;
  for (let k = 0; k < precision.length - 1; k++) s -= (recall[k + 1]! - recall[k]!) * precision[k]!;
  return s;
}
