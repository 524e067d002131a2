import { describe, expect, it } from 'vitest';
import { fromRows } from '../../core/matrix.js';
import { knnImputer } from './knn-imputer.js';
import { oneHot, type OneHotEncoder } from './one-hot.js';
import { simpleImputer } from './simple-imputer.js';

describe('OneHotEncoder', () => {
  const X = fromRows([[-1, 0], [1, 0], [0, NaN], [1, 1]]);

  it('makes one column per sorted category, NaN last, and names them', () => {
    const oh = oneHot.create() as OneHotEncoder;
    const Z = oh.fitTransform(X);
    expect(Z.cols).toBe(3 + 3);
    expect(Array.from(Z.data.subarray(0, 6))).toEqual([1, 0, 0, 1, 0, 0]);
    expect(Array.from(Z.data.subarray(12, 18))).toEqual([0, 1, 0, 0, 0, 1]);
    expect(oh.featureNamesOut(['SFH', 'port'])).toEqual(['SFH_-1', 'SFH_0', 'SFH_1', 'port_0', 'port_1', 'port_NaN']);
  });

  it("rejects an unseen value with UNKNOWN_CATEGORY, or encodes it as zeros with 'ignore'", () => {
    expect(() => oneHot.create().fit(X).transform(fromRows([[2, 0]]))).toThrow(expect.objectContaining({ code: 'UNKNOWN_CATEGORY' }));
    expect(Array.from(oneHot.create({ handleUnknown: 'ignore' }).fit(X).transform(fromRows([[2, 0]])).data)).toEqual([0, 0, 0, 1, 0, 0]);
  });
});

describe('imputers', () => {
  it('most_frequent breaks ties towards the smallest value; constant fills fillValue', () => {
    const X = fromRows([[1], [-1], [NaN], [0]]);
    expect(Array.from(simpleImputer.create({ strategy: 'most_frequent' }).fitTransform(X).data)).toEqual([1, -1, -1, 0]);
    expect(Array.from(simpleImputer.create({ strategy: 'constant', fillValue: 9 }).fitTransform(X).data)).toEqual([1, -1, 9, 0]);
  });

  it('KNN imputation (k = 3, the original setting) averages the nearest donors', () => {
    const X = fromRows([[0, 0], [0, 1], [0, 2], [10, 30], [0.1, NaN]]);
    expect(knnImputer.create({ nNeighbors: 3 }).fitTransform(X).data[9]).toBeCloseTo(1, 12);
  });

  it('reject a column with no observed value, and unknown strategies', () => {
    const X = fromRows([[1, NaN], [2, NaN]]);
    expect(() => simpleImputer.create().fit(X)).toThrow(expect.objectContaining({ code: 'EMPTY_FEATURE' }));
    expect(() => knnImputer.create().fit(X)).toThrow(expect.objectContaining({ code: 'EMPTY_FEATURE' }));
    expect(() => simpleImputer.create({ strategy: 'mode' as 'mean' }).fit(fromRows([[1]]))).toThrow(expect.objectContaining({ code: 'BAD_PARAM' }));
  });
});
