import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, mcnemarExact } from './mcnemar.js';

/** P(X ≤ k), X ~ Binomial(n, 1/2), exactly with BigInt binomial coefficients (the reference). */
function exactCdf(k: number, n: number): number {
  let c = 1n;
  let sum = 0n;
  for (let i = 0; i <= k; i++) {
    sum += c;
    c = (c * BigInt(n - i)) / BigInt(i + 1);
  }
  // Scale down before converting so huge n stays finite.
  const shift = BigInt(Math.max(0, n - 1000));
  return Number(sum >> shift) / 2 ** (n - Number(shift));
}

/** Labels with `b` rows only the first gets right, `c` only the second, `both` both right. */
function rows(b: number, c: number, both: number): [Float64Array, Float64Array, Float64Array] {
  const n = b + c + both;
  const y = new Float64Array(n).fill(1);
  const first = new Float64Array(n).fill(1);
  const second = new Float64Array(n).fill(1);
  for (let i = 0; i < b; i++) second[i] = -1;
  for (let i = b; i < b + c; i++) first[i] = -1;
  return [y, first, second];
}

describe('mcnemarExact', () => {
  it('counts the rows where exactly one is right and gives the two-sided exact p-value', () => {
    const t = mcnemarExact(...rows(3, 10, 40));
    expect(t).toMatchObject({ firstOnlyCorrect: 3, secondOnlyCorrect: 10 });
    // 2 × (1 + 13 + 78 + 286) / 2^13
    expect(t.pValue).toBeCloseTo((2 * 378) / 8192, 14);
    expect(mcnemarExact(...rows(0, 5, 1)).pValue).toBeCloseTo(2 / 32, 14);
  });

  it('is 1 when they never disagree and capped at 1 for equal counts', () => {
    expect(mcnemarExact(...rows(0, 0, 9)).pValue).toBe(1);
    expect(mcnemarExact(...rows(7, 7, 0)).pValue).toBe(1);
  });

  it('is symmetric and stays exact for thousands of disagreements', () => {
    expect(mcnemarExact(...rows(520, 610, 10)).pValue).toBe(mcnemarExact(...rows(610, 520, 10)).pValue);
    for (const [k, n] of [[520, 1130], [40, 200], [900, 2000]] as const) {
      expect(binomialHalfCdf(k, n) / exactCdf(k, n)).toBeCloseTo(1, 9);
    }
  });

  it('rejects predictions of another length', () => {
    expect(() => mcnemarExact(new Float64Array(3), new Float64Array(2), new Float64Array(3))).toThrow(/3 labels and 2/);
  });
});
