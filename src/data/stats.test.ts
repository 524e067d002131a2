import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NsError } from '../core/errors.js';
import { kolmogorovSf } from './kolmogorov.js';
import { chi2Contingency, chi2Sf, homogeneityTest, jensenShannon, ks2samp, ks2sampCounts, psi } from './stats.js';

interface Counts { values: number[]; counts: number[] }
interface Fixtures {
  ks2samp: { name: string; a: Counts; b: Counts; statistic: number; pvalue: number; method: 'exact' | 'asymp' }[];
  chi2Contingency: { name: string; table: number[][]; correction: boolean; statistic: number; pvalue: number; dof: number; expected: number[][]; tableWithZeroColumn?: number[][] }[];
  chi2Sf: { x: number; k: number; sf: number }[];
  kstwoSf: { n: number; d: number; sf: number }[];
  jensenShannon: { p: number[]; q: number[]; distance: number }[];
}

const fx = JSON.parse(readFileSync(new URL('./fixtures/scipy-stats.json', import.meta.url), 'utf8')) as Fixtures;

function expand(c: Counts): Float64Array {
  const out: number[] = [];
  c.values.forEach((v, k) => { for (let i = 0; i < c.counts[k]!; i++) out.push(v); });
  // a fixed shuffle: the tests must not depend on input order
  for (let i = out.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return Float64Array.from(out);
}

/** |a − b| <= rtol·|b| (+ a tiny absolute slack for values that underflow to 0). */
function expectClose(actual: number, expected: number, rtol: number, label: string): void {
  const ok = actual === expected || Math.abs(actual - expected) <= rtol * Math.abs(expected) + 1e-300;
  expect(ok, `${label}: got ${actual}, scipy ${expected}`).toBe(true);
}

describe('ks2samp matches scipy.stats.ks_2samp', () => {
  for (const c of fx.ks2samp) {
    it(c.name, () => {
      const r = ks2samp(expand(c.a), expand(c.b));
      expect(r.method).toBe(c.method);
      expectClose(r.statistic, c.statistic, 1e-12, 'statistic');
      expectClose(r.pvalue, c.pvalue, 1e-9, 'p-value');
      // from counts over the union of values, in order
      const cats = [...new Set([...c.a.values, ...c.b.values])].sort((x, y) => x - y);
      const countsOf = (s: Counts) => cats.map((v) => { const k = s.values.indexOf(v); return k < 0 ? 0 : s.counts[k]!; });
      const rc = ks2sampCounts(countsOf(c.a), countsOf(c.b));
      expect(rc).toEqual(r);
    });
  }

  it('ignores NaN and rejects an empty sample', () => {
    expect(ks2samp([1, NaN, 2, 3], [1, 2, 3]).statistic).toBe(0);
    expect(() => ks2samp([NaN], [1])).toThrow(NsError);
  });
});

describe('kolmogorovSf matches scipy.stats.kstwo.sf', () => {
  for (const c of fx.kstwoSf) {
    // scipy sums Smirnov's series in double-double, we in log space: agreement ~1e-10 at n = 200,000
    it(`n=${c.n} d=${c.d}`, () => expectClose(kolmogorovSf(c.n, c.d), c.sf, 1e-9, 'sf'));
  }
});

describe('chi2Contingency matches scipy.stats.chi2_contingency', () => {
  for (const c of fx.chi2Contingency) {
    it(c.name, () => {
      const r = chi2Contingency(c.table, { correction: c.correction });
      expect(r.dof).toBe(c.dof);
      expectClose(r.statistic, c.statistic, 1e-12, 'statistic');
      expectClose(r.pvalue, c.pvalue, 1e-9, 'p-value');
      r.expected.flat().forEach((e, k) => expectClose(e, c.expected.flat()[k]!, 1e-12, 'expected'));
      if (c.tableWithZeroColumn) {
        expect(() => chi2Contingency(c.tableWithZeroColumn!)).toThrow(/zeros/);
        const h = homogeneityTest(c.tableWithZeroColumn[0]!, c.tableWithZeroColumn[1]!);
        expectClose(h.pvalue, c.pvalue, 1e-9, 'homogeneity p-value');
      }
    });
  }

  it('homogeneityTest of a constant feature is statistic 0, p-value 1', () => {
    expect(homogeneityTest([5, 0, 0], [7, 0, 0])).toEqual({ statistic: 0, pvalue: 1, dof: 0 });
  });
});

describe('chi2Sf matches scipy.stats.chi2.sf', () => {
  it('on a grid of x and degrees of freedom', () => {
    for (const c of fx.chi2Sf) expectClose(chi2Sf(c.x, c.k), c.sf, 1e-9, `x=${c.x} k=${c.k}`);
  });
});

describe('jensenShannon and psi', () => {
  it('jensenShannon matches scipy jensenshannon(base=2)', () => {
    for (const c of fx.jensenShannon) expectClose(jensenShannon(c.p, c.q), c.distance, 1e-12, `${c.p.join('/')} vs ${c.q.join('/')}`);
  });

  it('psi is 0 for equal shares, symmetric, and finite for empty bins', () => {
    expect(psi([1, 2, 3], [2, 4, 6])).toBe(0);
    expect(psi([0.5, 0.5], [0.9, 0.1])).toBeCloseTo(psi([0.9, 0.1], [0.5, 0.5]), 15);
    // (0.9 − 0.5)·ln(0.9/0.5) + (0.1 − 0.5)·ln(0.1/0.5)
    expect(psi([0.5, 0.5], [0.9, 0.1])).toBeCloseTo(0.4 * Math.log(1.8) + 0.4 * Math.log(5), 12);
    const empty = psi([0.5, 0.5, 0], [0.4, 0.4, 0.2]);
    expect(Number.isFinite(empty)).toBe(true);
    expect(empty).toBeGreaterThan(1);
  });
});
