/**
 * Two-sample statistics for drift checks, matching scipy where scipy has the function:
 *
 * - `ks2samp` = scipy.stats.ks_2samp(a, b) (two-sided, method='auto': exact p-value when both samples
 *   have at most 10,000 values, else the asymptotic kstwo distribution; falls back to asymptotic when
 *   the exact computation overflows, as scipy does);
 * - `chi2Contingency` = scipy.stats.chi2_contingency(table) (Pearson, Yates' correction for 1 degree
 *   of freedom when `correction` is true, the default);
 * - `chi2Sf` = scipy.stats.chi2.sf(x, k);
 * - `jensenShannon` = scipy.spatial.distance.jensenshannon(p, q, base=2): 0 for identical
 *   distributions, 1 for disjoint ones;
 * - `psi`, the population stability index Σ (q − p) · ln(q / p) over bins, with shares below
 *   `PSI_EPSILON` (1e-4) raised to it so that empty bins give a large but finite value.
 *
 * Test vectors from scipy live in fixtures/scipy-stats.json (made by scripts/parity-scipy).
 */
import { NsError } from '../core/errors.js';
import { kolmogorovSf } from './kolmogorov.js';

export interface KsResult {
  statistic: number;
  pvalue: number;
  method: 'exact' | 'asymp';
}

export interface ChiSquareResult {
  statistic: number;
  pvalue: number;
  dof: number;
  expected: number[][];
}

/** scipy's MAX_AUTO_N: above this sample size 'auto' uses the asymptotic distribution. */
const MAX_AUTO_N = 10000;
export const PSI_EPSILON = 1e-4;

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** numpy's round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function sortedFinite(v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(v.length);
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x === x) out[n++] = x;
  }
  return out.subarray(0, n).sort();
}

/** Pr(D_{n,n} >= h/n): paths leaving the band |x − y| < h (scipy _compute_prob_outside_square). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/** 1 − share of lattice paths staying strictly inside the band (scipy _compute_outer_prob_inside_method). */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

/**
 * Two-sided two-sample Kolmogorov–Smirnov test (scipy.stats.ks_2samp, method 'auto'). NaN values are
 * left out (scipy's nan_policy='omit'); throws when a sample has no values.
 *
 * @example
 *   ks2samp([1, 2, 3, 4], [3, 4, 5, 6]); // { statistic: 0.5, pvalue: 0.771…, method: 'exact' }
 */
export function ks2samp(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const x = sortedFinite(a);
  const y = sortedFinite(b);
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new NsError('KS_EMPTY_SAMPLE', 'A KS test needs values in both samples.', { kind: 'internal' });
  // ECDF difference at every observed value (equal values handled like searchsorted side='right').
  let i = 0;
  let j = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    while (i < n1 && x[i]! <= v) i++;
    while (j < n2 && y[j]! <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  return ksResult(n1, n2, maxS, minS);
}

/**
 * The same test from counts per ordered category (countsA[k] values equal to the k-th smallest
 * category); what drift uses for discrete features, without sorting the samples.
 */
export function ks2sampCounts(countsA: ArrayLike<number>, countsB: ArrayLike<number>): KsResult {
  let n1 = 0;
  let n2 = 0;
  for (let k = 0; k < countsA.length; k++) { n1 += countsA[k]!; n2 += countsB[k]!; }
  if (n1 === 0 || n2 === 0) throw new NsError('KS_EMPTY_SAMPLE', 'A KS test needs values in both samples.', { kind: 'internal' });
  let c1 = 0;
  let c2 = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  for (let k = 0; k < countsA.length; k++) {
    c1 += countsA[k]!;
    c2 += countsB[k]!;
    if (countsA[k]! + countsB[k]! === 0) continue;
    const diff = c1 / n1 - c2 / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  return ksResult(n1, n2, maxS, minS);
}

/** D and its p-value from the extreme ECDF differences, choosing exact or asymptotic like scipy. */
function ksResult(n1: number, n2: number, maxS: number, minS: number): KsResult {
  const negMin = Math.min(Math.max(-minS, 0), 1);
  let d = negMin > maxS ? negMin : maxS;
  const g = gcd(n1, n2);
  if (Math.max(n1, n2) <= MAX_AUTO_N) {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pvalue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (Number.isFinite(p) && p >= 0 && p <= 1) return { statistic: d, pvalue: p, method: 'exact' };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return { statistic: d, pvalue: Math.min(1, Math.max(0, kolmogorovSf(roundHalfEven(en), d))), method: 'asymp' };
}

// ---- gamma functions for the chi-square tail -------------------------------------------------------

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** log Γ(a) for a > 0 (exact sums of logs for small integers and halves, Lanczos otherwise). */
export function logGamma(a: number): number {
  if (a <= 0) return NaN;
  if (a < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * a)) - logGamma(1 - a);
  if (a <= 100 && Number.isInteger(2 * a)) {
    let s = Number.isInteger(a) ? 0 : 0.5 * Math.log(Math.PI); // Γ(1) = 1, Γ(1/2) = √π
    for (let t = Number.isInteger(a) ? 1 : 0.5; t < a; t++) s += Math.log(t);
    return s;
  }
  const z = a - 1;
  let x = LANCZOS[0]!;
  for (let k = 1; k < 9; k++) x += LANCZOS[k]! / (z + k);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

/** Regularized upper incomplete gamma Q(a, x) (series below a + 1, continued fraction above). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let k = 1; k < 10000; k++) {
      term *= x / (a + k);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - Math.exp(logPrefix) * sum;
  }
  // Modified Lentz for the continued fraction of Q.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let f = d;
  for (let k = 1; k < 10000; k++) {
    const an = -k * (k - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * f;
}

/**
 * Survival function of the chi-square distribution with k degrees of freedom (scipy chi2.sf).
 *
 * @example
 *   chi2Sf(3.841458820694124, 1); // ≈ 0.05
 */
export function chi2Sf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return NaN;
  if (x <= 0) return 1;
  if (k === 2) return Math.exp(-x / 2);
  return gammaQ(k / 2, x / 2);
}

/**
 * Chi-square test of independence / homogeneity on a contingency table (scipy.stats.chi2_contingency).
 * Throws NsError CHI2_ZERO_EXPECTED (kind 'internal') when a whole row or column is zero, as scipy
 * raises; drift code drops such columns first (see `homogeneityTest`).
 */
export function chi2Contingency(observed: readonly (readonly number[])[], opts: { correction?: boolean } = {}): ChiSquareResult {
  const r = observed.length;
  const c = r === 0 ? 0 : observed[0]!.length;
  if (r === 0 || c === 0 || observed.some((row) => row.length !== c || row.some((v) => !(v >= 0)))) {
    throw new NsError('CHI2_BAD_TABLE', 'A contingency table needs equal-length rows of non-negative counts.', { kind: 'internal' });
  }
  const rowSum = observed.map((row) => row.reduce((s, v) => s + v, 0));
  const colSum = Array.from({ length: c }, (_, j) => observed.reduce((s, row) => s + row[j]!, 0));
  const total = rowSum.reduce((s, v) => s + v, 0);
  const expected = rowSum.map((rs) => colSum.map((cs) => (rs * cs) / total));
  if (expected.some((row) => row.some((e) => e === 0))) {
    throw new NsError('CHI2_ZERO_EXPECTED', 'A contingency table has a row or column of zeros.', { kind: 'internal' });
  }
  const dof = r * c - r - c + 1;
  if (dof === 0) return { statistic: 0, pvalue: 1, dof, expected };
  const correct = dof === 1 && opts.correction !== false;
  let statistic = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const e = expected[i]![j]!;
      let o = observed[i]![j]!;
      if (correct) {
        const diff = e - o;
        o += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      statistic += ((o - e) * (o - e)) / e;
    }
  }
  return { statistic, pvalue: chi2Sf(statistic, dof), dof, expected };
}

/**
 * Chi-square test that two count vectors over the same categories come from one distribution:
 * chi2Contingency on the 2 × k table after dropping categories empty in both. One category left
 * gives statistic 0, p-value 1.
 */
export function homogeneityTest(countsA: ArrayLike<number>, countsB: ArrayLike<number>): { statistic: number; pvalue: number; dof: number } {
  const a: number[] = [];
  const b: number[] = [];
  for (let k = 0; k < countsA.length; k++) {
    if (countsA[k]! + countsB[k]! > 0) {
      a.push(countsA[k]!);
      b.push(countsB[k]!);
    }
  }
  if (a.length < 2) return { statistic: 0, pvalue: 1, dof: 0 };
  const { statistic, pvalue, dof } = chi2Contingency([a, b]);
  return { statistic, pvalue, dof };
}

function normalize(v: ArrayLike<number>): Float64Array {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k]!;
  const out = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) out[k] = v[k]! / s;
  return out;
}

/**
 * Population stability index of `current` against `baseline` (counts or shares per bin; normalized
 * here). Shares below PSI_EPSILON count as PSI_EPSILON. Rule of thumb: < 0.1 stable, > 0.2 shifted.
 */
export function psi(baseline: ArrayLike<number>, current: ArrayLike<number>, epsilon = PSI_EPSILON): number {
  const p = normalize(baseline);
  const q = normalize(current);
  let s = 0;
  for (let k = 0; k < p.length; k++) {
    const a = Math.max(p[k]!, epsilon);
    const b = Math.max(q[k]!, epsilon);
    s += (b - a) * Math.log(b / a);
  }
  return s;
}

/** Jensen–Shannon distance with base-2 logarithms (scipy jensenshannon(p, q, base=2)), in [0, 1]. */
export function jensenShannon(p0: ArrayLike<number>, q0: ArrayLike<number>): number {
  const p = normalize(p0);
  const q = normalize(q0);
  let left = 0;
  let right = 0;
  for (let k = 0; k < p.length; k++) {
    const m = (p[k]! + q[k]!) / 2;
    if (p[k]! > 0) left += p[k]! * Math.log(p[k]! / m);
    if (q[k]! > 0) right += q[k]! * Math.log(q[k]! / m);
  }
  return Math.sqrt(Math.max(0, (left + right) / Math.LN2 / 2));
}
