import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NsError } from '../core/errors.js';
import { fromRows, matrix, type Matrix } from '../core/matrix.js';
import { driftReport, featureDrift, DEFAULT_DRIFT_RULE } from './drift.js';
import { ks2samp } from './stats.js';

interface Fx {
  ks2samp: { name: string; a: { values: number[]; counts: number[] }; b: { values: number[]; counts: number[] }; pvalue: number; statistic: number }[];
  chi2Contingency: { name: string; table: number[][]; pvalue: number; statistic: number }[];
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/scipy-stats.json', import.meta.url), 'utf8')) as Fx;

/** A one-column matrix holding `counts[k]` copies of `values[k]`. */
function columnOf(values: number[], counts: number[]): Matrix {
  const data: number[] = [];
  values.forEach((v, k) => { for (let i = 0; i < counts[k]!; i++) data.push(v); });
  return matrix(data.length, 1, Float64Array.from(data));
}

/** Two columns: the first from a generator, the second constant. */
function twoColumns(n: number, f: (i: number) => number): Matrix {
  return fromRows(Array.from({ length: n }, (_, i) => [f(i), 1]));
}

describe('driftReport', () => {
  it('finds no drift between identical samples', () => {
    const m = twoColumns(300, (i) => (i % 3) - 1);
    const r = driftReport(m, m, ['a', 'b']);
    expect(r.datasetDrift).toBe(false);
    expect(r.driftedShare).toBe(0);
    for (const f of r.features) {
      expect(f.ksPValue).toBe(1);
      expect(f.chi2PValue).toBe(1);
      expect(f.psi).toBe(0);
      expect(f.jsDistance).toBe(0);
    }
    expect(r.features[0]!.baseline).toEqual({ '-1': 1 / 3, '0': 1 / 3, '1': 1 / 3 });
    expect(r.rule).toEqual(DEFAULT_DRIFT_RULE);
    expect(r.shareThreshold).toBe(0.5);
    expect([r.baselineRows, r.currentRows]).toEqual([300, 300]);
  });

  it('uses scipy-equal chi-square and KS p-values on a ternary feature', () => {
    const t = fx.chi2Contingency.find((c) => c.name === '2x3 ternary feature, train vs test')!;
    const r = driftReport(columnOf([-1, 0, 1], t.table[0]!), columnOf([-1, 0, 1], t.table[1]!), ['f']);
    expect(Math.abs(r.features[0]!.chi2PValue - t.pvalue)).toBeLessThan(1e-9 * t.pvalue);
    const k = fx.ks2samp.find((c) => c.name === 'ternary train/test sizes, slight drift')!;
    const r2 = driftReport(columnOf(k.a.values, k.a.counts), columnOf(k.b.values, k.b.counts), ['f']);
    expect(Math.abs(r2.features[0]!.ksPValue - k.pvalue)).toBeLessThan(1e-9 * k.pvalue);
    expect(r2.features[0]!.ksStatistic).toBeCloseTo(k.statistic, 12);
  });

  it('flags a shifted feature, and the data set by the share threshold', () => {
    const base = twoColumns(600, (i) => (i % 3) - 1);
    const cur = twoColumns(600, (i) => (i % 6 === 0 ? 0 : 1));
    const r = driftReport(base, cur, ['a', 'b']);
    expect(r.features.map((f) => f.drifted)).toEqual([true, false]);
    expect(r.driftedShare).toBe(0.5);
    expect(r.datasetDrift).toBe(true);
    expect(r.features[0]!.chi2PValue).toBeLessThan(1e-10);
    expect(r.features[0]!.psi).toBeGreaterThan(0.2);
    expect(driftReport(base, cur, ['a', 'b'], { shareThreshold: 0.6 }).datasetDrift).toBe(false);
  });

  it('applies the rule: test choice, alpha and the PSI threshold', () => {
    const a = Float64Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    // a small shift: 53% vs 50%
    const b = Float64Array.from({ length: 2000 }, (_, i) => (i % 100 < 53 ? 1 : -1));
    const chi2Only = featureDrift('f', a, b, { test: 'chi2', alpha: 0.05 });
    expect(chi2Only.chi2PValue).toBeLessThan(0.1);
    expect(chi2Only.psi).toBeLessThan(0.2);
    const strict = featureDrift('f', a, b, { test: 'chi2', alpha: 1e-6 });
    expect(strict.drifted).toBe(false);
    const viaPsi = featureDrift('f', a, b, { test: 'chi2', alpha: 1e-6, psiThreshold: 0.001 });
    expect(viaPsi.drifted).toBe(true);
    const both = featureDrift('f', a, b, { test: 'both', alpha: 0.5 });
    expect(both.drifted).toBe(both.ksPValue < 0.5 && both.chi2PValue < 0.5);
    const either = featureDrift('f', a, b, { test: 'either', alpha: 0.5 });
    expect(either.drifted).toBe(either.ksPValue < 0.5 || either.chi2PValue < 0.5);
  });

  it('counts missing values as their own bin', () => {
    const a = Float64Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    const b = Float64Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? NaN : i % 2 === 0 ? 1 : -1));
    const f = featureDrift('f', a, b, DEFAULT_DRIFT_RULE);
    expect(f.current.missing).toBe(0.25);
    expect(f.baseline.missing).toBeUndefined();
    expect(f.drifted).toBe(true);
    const allMissing = featureDrift('f', a, new Float64Array(50).fill(NaN), DEFAULT_DRIFT_RULE);
    expect(allMissing.ksPValue).toBe(1);
    expect(allMissing.chi2PValue).toBeLessThan(1e-10);
  });

  it('bins many distinct values at the baseline deciles and runs KS on the raw values', () => {
    const a = Float64Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const b = Float64Array.from({ length: 800 }, (_, i) => ((i * 104729) % 1000) * 1.1);
    const f = featureDrift('f', a, b, DEFAULT_DRIFT_RULE);
    expect(Object.keys(f.baseline)).toHaveLength(10);
    for (const share of Object.values(f.baseline)) expect(share).toBeCloseTo(0.1, 10);
    const ks = ks2samp(a, b);
    expect(f.ksPValue).toBe(ks.pvalue);
    expect(f.ksStatistic).toBe(ks.statistic);
  });

  it('rejects mismatched shapes and empty sides', () => {
    const m = twoColumns(10, () => 1);
    expect(() => driftReport(m, m, ['a'])).toThrow(NsError);
    expect(() => driftReport(m, matrix(0, 2), ['a', 'b'])).toThrow(/rows on both sides/);
    expect(() => driftReport(m, m, ['a', 'b'], { rule: { alpha: 2 } })).toThrow(/alpha/);
  });
});
