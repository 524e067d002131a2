/**
 * Metrics on predicted probabilities of the positive class, after scikit-learn: log loss (clipped to
 * [eps, 1 - eps], eps = machine epsilon), Brier score, and calibration-curve points (uniform bins).
 *
 * @example
 *   logLoss(yTrue, probPositive, 1); calibrationCurve(yTrue, probPositive, 1, 10).probTrue;
 */
import { NsError } from '../../core/errors.js';
import { checkPair } from './classification.js';

function checkProbabilities(p: Float64Array, who: string): void {
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (!(v >= 0 && v <= 1)) {
      throw new NsError('BAD_PROBABILITY', `${who} got ${v} at row ${i}, outside [0, 1].`, { hint: 'Pass probabilities of the positive class.' });
    }
  }
}

/** Mean negative log-likelihood of the true labels. */
export function logLoss(yTrue: Float64Array, probPos: Float64Array, posLabel = 1): number {
  checkPair(yTrue, probPos, 'logLoss');
  checkProbabilities(probPos, 'logLoss');
  const eps = Number.EPSILON;
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = Math.min(Math.max(probPos[i]!, eps), 1 - eps);
    s -= yTrue[i] === posLabel ? Math.log(p) : Math.log(1 - p);
  }
  return s / yTrue.length;
}

/** Mean squared difference between the probability and the 0/1 outcome. */
export function brierScore(yTrue: Float64Array, probPos: Float64Array, posLabel = 1): number {
  checkPair(yTrue, probPos, 'brierScore');
  checkProbabilities(probPos, 'brierScore');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = (yTrue[i] === posLabel ? 1 : 0) - probPos[i]!;
    s += d * d;
  }
  return s / yTrue.length;
}

/**
 * Reliability diagram points over nBins equal-width bins of [0, 1]: per non-empty bin, the fraction
 * of positives (probTrue) and the mean predicted probability (probPred). A probability equal to an
 * inner bin edge falls in the lower bin (numpy searchsorted 'left').
 */
export function calibrationCurve(yTrue: Float64Array, probPos: Float64Array, posLabel = 1, nBins = 5): { probTrue: Float64Array; probPred: Float64Array; counts: Int32Array } {
  checkPair(yTrue, probPos, 'calibrationCurve');
  checkProbabilities(probPos, 'calibrationCurve');
  if (!Number.isInteger(nBins) || nBins < 1) {
    throw new NsError('BAD_PARAM', `calibrationCurve needs a positive integer nBins, got ${nBins}.`, { hint: 'Use e.g. 10 bins.' });
  }
  const edges = new Float64Array(nBins - 1);
  // numpy.linspace computes the edges as i * (1 / n); equal arithmetic keeps edge cases in the same bin.
  for (let b = 1; b < nBins; b++) edges[b - 1] = b * (1 / nBins);
  const sums = new Float64Array(nBins);
  const trues = new Float64Array(nBins);
  const totals = new Int32Array(nBins);
  for (let i = 0; i < probPos.length; i++) {
    const p = probPos[i]!;
    let bin = 0;
    while (bin < edges.length && edges[bin]! < p) bin++;
    sums[bin]! += p;
    trues[bin]! += yTrue[i] === posLabel ? 1 : 0;
    totals[bin]!++;
  }
  const probTrue: number[] = [];
  const probPred: number[] = [];
  const counts: number[] = [];
  for (let b = 0; b < nBins; b++) {
    if (totals[b] === 0) continue;
    probTrue.push(trues[b]! / totals[b]!);
    probPred.push(sums[b]! / totals[b]!);
    counts.push(totals[b]!);
  }
  return { probTrue: Float64Array.from(probTrue), probPred: Float64Array.from(probPred), counts: Int32Array.from(counts) };
}
