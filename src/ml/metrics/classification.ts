/**
 * Label-based metrics, after scikit-learn's sklearn.metrics: confusion matrix, precision, recall, F1
 * for a chosen positive label (zero when undefined, scikit-learn's zero_division=0 result), accuracy
 * and balanced accuracy. Labels are the raw class values (e.g. -1 / 1).
 *
 * @example
 *   f1Score(yTrue, yPred, 1); confusionMatrix(yTrue, yPred, [-1, 1]).counts;
 */
import { NsError } from '../../core/errors.js';

/** Throws BAD_SHAPE unless both arrays are non-empty and equally long. */
export function checkPair(a: ArrayLike<number>, b: ArrayLike<number>, who: string): void {
  if (a.length !== b.length || a.length === 0) {
    throw new NsError('BAD_SHAPE', `${who} got ${a.length} true values and ${b.length} predictions.`, {
      hint: 'Pass one prediction per true label, and at least one row.',
    });
  }
}

/** Rows = true label, columns = predicted label, in the order of `labels` (default: sorted union). */
export function confusionMatrix(yTrue: Float64Array, yPred: Float64Array, labels?: readonly number[]): { labels: number[]; counts: number[][] } {
  checkPair(yTrue, yPred, 'confusionMatrix');
  const labs = labels ? [...labels] : Array.from(new Set([...yTrue, ...yPred])).sort((a, b) => a - b);
  const index = new Map(labs.map((l, k) => [l, k]));
  const counts = labs.map(() => labs.map(() => 0));
  for (let i = 0; i < yTrue.length; i++) {
    const a = index.get(yTrue[i]!);
    const b = index.get(yPred[i]!);
    if (a !== undefined && b !== undefined) counts[a]![b]!++;
  }
  return { labels: labs, counts };
}

/** True/false positives and negatives for one positive label. */
export function binaryCounts(yTrue: Float64Array, yPred: Float64Array, posLabel: number): { tp: number; fp: number; fn: number; tn: number } {
  checkPair(yTrue, yPred, 'binaryCounts');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] === posLabel;
    const p = yPred[i] === posLabel;
    if (t && p) tp++;
    else if (p) fp++;
    else if (t) fn++;
    else tn++;
  }
  return { tp, fp, fn, tn };
}

/** tp / (tp + fp); 0 when nothing is predicted positive. */
export function precisionScore(yTrue: Float64Array, yPred: Float64Array, posLabel = 1): number {
  const { tp, fp } = binaryCounts(yTrue, yPred, posLabel);
  return tp + fp === 0 ? 0 : tp / (tp + fp);
}

/** tp / (tp + fn); 0 when there is no positive row. */
export function recallScore(yTrue: Float64Array, yPred: Float64Array, posLabel = 1): number {
  const { tp, fn } = binaryCounts(yTrue, yPred, posLabel);
  return tp + fn === 0 ? 0 : tp / (tp + fn);
}

/** Harmonic mean of precision and recall, 2tp / (2tp + fp + fn); 0 when undefined. */
export function f1Score(yTrue: Float64Array, yPred: Float64Array, posLabel = 1): number {
  const { tp, fp, fn } = binaryCounts(yTrue, yPred, posLabel);
  return tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** Fraction of rows predicted right. */
export function accuracyScore(yTrue: Float64Array, yPred: Float64Array): number {
  checkPair(yTrue, yPred, 'accuracyScore');
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** Mean over the classes present in yTrue of their recall. */
export function balancedAccuracyScore(yTrue: Float64Array, yPred: Float64Array): number {
  checkPair(yTrue, yPred, 'balancedAccuracyScore');
  const total = new Map<number, number>();
  const right = new Map<number, number>();
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    total.set(t, (total.get(t) ?? 0) + 1);
    if (yPred[i] === t) right.set(t, (right.get(t) ?? 0) + 1);
  }
  let s = 0;
  for (const [label, n] of total) s += (right.get(label) ?? 0) / n;
  return s / total.size;
}
