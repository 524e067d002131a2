/**
 * Data drift of new data (`current`) against a baseline (the champion's training data), per feature
 * and for the data set.
 *
 * Per feature, values are put into bins: each distinct value is its own bin when the two samples hold
 * at most MAX_CATEGORIES distinct values (always true for the -1/0/1 phishing features), otherwise ten
 * bins cut at the baseline's deciles. Missing values (NaN) form a bin of their own, keyed `missing`, so
 * a jump in missing values counts as drift. On those bins:
 *
 * - chi-square test of homogeneity (2 × bins table, bins empty in both dropped; scipy's
 *   chi2_contingency with Yates' correction when there are two bins);
 * - two-sample KS test on the non-missing values (scipy's ks_2samp); statistic 0 and p-value 1 when a
 *   side has no non-missing values (the chi-square test sees that through the `missing` bin);
 * - PSI (shares below 1e-4 count as 1e-4) and Jensen–Shannon distance (base 2, in [0, 1]).
 *
 * Default rule (DEFAULT_DRIFT_RULE): a feature drifts when the chi-square test rejects at
 * alpha = 0.05 OR its PSI exceeds 0.2. The data set drifts when the share of drifted features is at
 * least 0.5 (DEFAULT_SHARE_THRESHOLD). Note that with thousands of rows the tests reject small shifts;
 * lower alpha, rely on PSI, or choose test 'both' when that is too sensitive.
 *
 * @example
 *   const report = driftReport(champion.X, fresh.X, schema.features, { rule: { test: 'either' } });
 *   report.datasetDrift; report.features.filter((f) => f.drifted).map((f) => f.feature);
 */
import { NsError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { homogeneityTest, jensenShannon, ks2samp, ks2sampCounts, psi } from './stats.js';

export interface FeatureDrift {
  feature: string;
  ksStatistic: number;
  ksPValue: number;
  chi2Statistic: number;
  chi2PValue: number;
  psi: number;
  jsDistance: number;
  /** Share of rows per bin (value, decile range or `missing`). */
  baseline: Record<string, number>;
  current: Record<string, number>;
  drifted: boolean;
}

export interface DriftRule {
  /** Which test must reject: 'ks', 'chi2', 'either' (one of them) or 'both'. */
  test: 'ks' | 'chi2' | 'either' | 'both';
  /** Significance level for the tests. */
  alpha: number;
  /** A feature also drifts when its PSI exceeds this (leave out to ignore PSI). */
  psiThreshold?: number;
}

export interface DriftReport {
  features: FeatureDrift[];
  driftedShare: number;
  datasetDrift: boolean;
  rule: DriftRule;
  shareThreshold: number;
  baselineRows: number;
  currentRows: number;
}

export const DEFAULT_DRIFT_RULE: DriftRule = { test: 'chi2', alpha: 0.05, psiThreshold: 0.2 };
export const DEFAULT_SHARE_THRESHOLD = 0.5;
/** Up to this many distinct values, every value is its own bin. */
export const MAX_CATEGORIES = 50;
const QUANTILE_BINS = 10;

interface Bins {
  labels: string[];
  base: Float64Array;
  cur: Float64Array;
  /** Number of ordered (non-missing) bins; the last bin is `missing`. */
  ordered: number;
  discrete: boolean;
}

function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0, k = j; i < m.rows; i++, k += m.cols) out[i] = m.data[k]!;
  return out;
}

function binColumn(a: Float64Array, b: Float64Array): Bins {
  const distinct = new Set<number>();
  for (const v of a) if (v === v) distinct.add(v);
  for (const v of b) if (v === v) distinct.add(v);
  let edges: number[]; // upper edges of the ordered bins
  let labels: string[];
  const discrete = distinct.size <= MAX_CATEGORIES;
  if (discrete) {
    edges = [...distinct].sort((x, y) => x - y);
    labels = edges.map(String);
  } else {
    const sorted = a.filter((v) => v === v).sort();
    const src = sorted.length > 0 ? sorted : b.filter((v) => v === v).sort();
    const cuts = new Set<number>();
    for (let q = 1; q < QUANTILE_BINS; q++) cuts.add(src[Math.max(0, Math.ceil((q * src.length) / QUANTILE_BINS) - 1)]!);
    edges = [...cuts].sort((x, y) => x - y);
    edges.push(Infinity);
    labels = edges.map((e, k) => `${k === 0 ? '(-inf' : `(${edges[k - 1]}`}, ${e === Infinity ? 'inf)' : `${e}]`}`);
  }
  const ordered = edges.length;
  const count = (v: Float64Array): Float64Array => {
    const c = new Float64Array(ordered + 1);
    for (const x of v) {
      if (x !== x) { c[ordered]!++; continue; }
      let lo = 0;
      let hi = ordered - 1;
      while (lo < hi) { // first edge >= x
        const mid = (lo + hi) >> 1;
        if (edges[mid]! >= x) hi = mid; else lo = mid + 1;
      }
      c[lo]!++;
    }
    return c;
  };
  return { labels: [...labels, 'missing'], base: count(a), cur: count(b), ordered, discrete };
}

function shares(labels: string[], counts: Float64Array, total: number): Record<string, number> {
  const out: Record<string, number> = {};
  labels.forEach((l, k) => { if (counts[k]! > 0 || l !== 'missing') out[l] = counts[k]! / total; });
  return out;
}

function rejects(rule: DriftRule, ksP: number, chi2P: number): boolean {
  const ks = ksP < rule.alpha;
  const chi2 = chi2P < rule.alpha;
  switch (rule.test) {
    case 'ks': return ks;
    case 'chi2': return chi2;
    case 'either': return ks || chi2;
    case 'both': return ks && chi2;
  }
}

/** Drift of one feature's values (NaN = missing) under a rule. */
export function featureDrift(feature: string, a: Float64Array, b: Float64Array, rule: DriftRule): FeatureDrift {
  const bins = binColumn(a, b);
  const o = bins.ordered;
  const nA = bins.base.subarray(0, o).reduce((s, v) => s + v, 0);
  const nB = bins.cur.subarray(0, o).reduce((s, v) => s + v, 0);
  let ks = { statistic: 0, pvalue: 1 };
  if (nA > 0 && nB > 0) ks = bins.discrete ? ks2sampCounts(bins.base.subarray(0, o), bins.cur.subarray(0, o)) : ks2samp(a, b);
  const chi2 = homogeneityTest(bins.base, bins.cur);
  const p = psi(bins.base, bins.cur);
  const js = jensenShannon(bins.base, bins.cur);
  const drifted = rejects(rule, ks.pvalue, chi2.pvalue) || (rule.psiThreshold !== undefined && p > rule.psiThreshold);
  return {
    feature,
    ksStatistic: ks.statistic,
    ksPValue: ks.pvalue,
    chi2Statistic: chi2.statistic,
    chi2PValue: chi2.pvalue,
    psi: p,
    jsDistance: js,
    baseline: shares(bins.labels, bins.base, a.length),
    current: shares(bins.labels, bins.cur, b.length),
    drifted,
  };
}

/**
 * Per-feature drift of `current` against `baseline` (same columns, in `features` order) and the
 * data-set verdict. Throws NsError DRIFT_BAD_INPUT when the shapes disagree or a side has no rows.
 */
export function driftReport(
  baseline: Matrix,
  current: Matrix,
  features: string[],
  opts: { rule?: Partial<DriftRule>; shareThreshold?: number } = {},
): DriftReport {
  if (baseline.cols !== features.length || current.cols !== features.length) {
    throw new NsError('DRIFT_BAD_INPUT', `Drift needs ${features.length} columns on both sides, got ${baseline.cols} and ${current.cols}.`, { kind: 'internal' });
  }
  if (baseline.rows === 0 || current.rows === 0) {
    throw new NsError('DRIFT_BAD_INPUT', `Drift needs rows on both sides, got ${baseline.rows} baseline and ${current.rows} current rows.`, {
      hint: 'Check that the baseline (champion training data) and the new data are not empty.',
    });
  }
  const rule: DriftRule = { ...DEFAULT_DRIFT_RULE, ...opts.rule };
  const shareThreshold = opts.shareThreshold ?? DEFAULT_SHARE_THRESHOLD;
  if (!(rule.alpha > 0 && rule.alpha < 1) || !(shareThreshold > 0 && shareThreshold <= 1)) {
    throw new NsError('DRIFT_BAD_RULE', `Drift alpha must be in (0, 1) and the share threshold in (0, 1]; got ${rule.alpha} and ${shareThreshold}.`, {
      kind: 'config', hint: 'Fix the drift settings in the configuration.',
    });
  }
  const result = features.map((f, j) => featureDrift(f, column(baseline, j), column(current, j), rule));
  const drifted = result.filter((f) => f.drifted).length;
  const driftedShare = features.length === 0 ? 0 : drifted / features.length;
  return {
    features: result,
    driftedShare,
    datasetDrift: features.length > 0 && driftedShare >= shareThreshold,
    rule,
    shareThreshold,
    baselineRows: baseline.rows,
    currentRows: current.rows,
  };
}
