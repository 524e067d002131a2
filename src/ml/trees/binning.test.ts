import { describe, expect, it } from 'vitest';
import { fromRows, matrix } from '../../core/matrix.js';
import { binColumns, binCount, binOf, fitBinMapper, MAX_BINS } from './binning.js';
import { compactBins } from './compact.js';

describe('fitBinMapper', () => {
  it('gives ternary columns three bins cut halfway between values', () => {
    const m = fitBinMapper(fromRows([[-1, 5], [0, 5], [1, 7], [1, 5]]));
    expect(binCount(m, 0)).toBe(3);
    expect(Array.from(m.edges.subarray(m.offsets[0], m.offsets[1]))).toEqual([-0.5, 0.5]);
    expect(binCount(m, 1)).toBe(2);
    expect(binOf(m, 0, -1)).toBe(0);
    expect(binOf(m, 0, 0)).toBe(1);
    expect(binOf(m, 0, 1)).toBe(2);
    expect(binOf(m, 0, 0.5)).toBe(1); // on the cut: "value <= edge" stays left
  });

  it('caps real-valued columns at 255 bins and keeps bins ordered like values', () => {
    const X = matrix(5000, 1);
    for (let i = 0; i < 5000; i++) X.data[i] = Math.sin(i) * 1000;
    const m = fitBinMapper(X);
    expect(binCount(m, 0)).toBeLessThanOrEqual(MAX_BINS);
    expect(binCount(m, 0)).toBeGreaterThan(200);
    const bins = binColumns(X, m);
    for (let i = 1; i < 5000; i++) {
      if (X.data[i]! > X.data[i - 1]!) expect(bins[i]!).toBeGreaterThanOrEqual(bins[i - 1]!);
    }
  });

  it('gives one bin per value up to the limit, past the short list too, and quantile bins beyond it', () => {
    // 12 distinct values: more than the short list of 8, fewer than 255 -> 11 cuts halfway between.
    const X = matrix(24, 2);
    for (let i = 0; i < 24; i++) {
      X.data[i * 2] = (i % 12) * 2;
      X.data[i * 2 + 1] = i % 3;
    }
    const m = fitBinMapper(X);
    expect(Array.from(m.edges.subarray(m.offsets[0], m.offsets[1]))).toEqual(Array.from({ length: 11 }, (_, k) => 2 * k + 1));
    // maxBins 2 with three distinct values: not one bin per value.
    const capped = fitBinMapper(X, 2);
    expect(binCount(capped, 1)).toBeLessThanOrEqual(2);
    expect(binCount(capped, 0)).toBeLessThanOrEqual(2);
  });

  it('binColumns gives every value the bin binOf gives it, column-major (one, two, several and many edges)', () => {
    const X = matrix(300, 4);
    for (let i = 0; i < 300; i++) {
      X.data[i * 4] = (i % 3) - 1;
      X.data[i * 4 + 1] = Math.cos(i) * 50;
      X.data[i * 4 + 2] = i % 7;
      X.data[i * 4 + 3] = i % 2 === 0 ? -1 : 1;
    }
    const m = fitBinMapper(X);
    expect([0, 1, 2, 3].map((f) => binCount(m, f))).toEqual([3, 255, 7, 2]);
    const bins = binColumns(X, m);
    for (let f = 0; f < 4; f++) for (let i = 0; i < 300; i++) expect(bins[f * 300 + i]).toBe(binOf(m, f, X.data[i * 4 + f]!));
  });
});

describe('compactBins', () => {
  it('maps identical rows onto one vector', () => {
    const X = fromRows([[1, 0], [0, 1], [1, 0], [1, 1]]);
    const m = fitBinMapper(X);
    const c = compactBins(binColumns(X, m), 4, 2);
    expect(c.n).toBe(3);
    expect(c.rowOf[0]).toBe(c.rowOf[2]);
    expect(new Set(c.rowOf).size).toBe(3);
  });
});
