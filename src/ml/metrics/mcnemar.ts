/**
 * McNemar's exact test for two classifiers scored on the same rows: only the rows where exactly one of
 * them is right carry information. Under "both are equally accurate" each such row is a fair coin, so
 * the two-sided p-value is twice the binomial tail of the smaller count (capped at 1) — what
 * statsmodels' `mcnemar(table, exact=True)` returns.
 *
 * @example
 *   const t = mcnemarExact(yTest, candidatePred, championPred);
 *   t.firstOnlyCorrect; t.secondOnlyCorrect; t.pValue;
 */
import { NsError } from '../../core/errors.js';

export interface McNemarResult {
  /** Rows the first classifier got right and the second wrong. */
  firstOnlyCorrect: number;
  /** Rows the second classifier got right and the first wrong. */
  secondOnlyCorrect: number;
  /** Two-sided exact p-value (1 when they never disagree in correctness). */
  pValue: number;
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2), summed in log space so large n does not underflow. */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let logTerm = -n * Math.LN2; // log C(n, 0) / 2^n
  let logSum = logTerm;
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i);
    const hi = Math.max(logSum, logTerm);
    logSum = hi + Math.log(Math.exp(logSum - hi) + Math.exp(logTerm - hi));
  }
  return Math.min(1, Math.exp(logSum));
}

/** The exact McNemar test of two label vectors against the truth. */
export function mcnemarExact(yTrue: Float64Array, first: Float64Array, second: Float64Array): McNemarResult {
  if (first.length !== yTrue.length || second.length !== yTrue.length) {
    throw new NsError('BAD_SHAPE', `Got ${yTrue.length} labels and ${first.length} / ${second.length} predictions.`, { hint: 'Score both classifiers on the same rows.' });
  }
  let b = 0;
  let c = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const r1 = first[i] === yTrue[i];
    const r2 = second[i] === yTrue[i];
    if (r1 && !r2) b++;
    else if (r2 && !r1) c++;
  }
  const n = b + c;
  const pValue = n === 0 ? 1 : Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), n));
  return { firstOnlyCorrect: b, secondOnlyCorrect: c, pValue };
}
