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
