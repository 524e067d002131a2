import { describe, expect, it } from 'vitest';
import { numpyPermutation, sklearnTrainTestSplit } from './sklearn-split.js';

// Reference values printed by NumPy 2.4 / scikit-learn 1.9:
//   np.random.RandomState(7).permutation(10); train_test_split(np.arange(11055), test_size=0.2, random_state=42)
describe('sklearnTrainTestSplit', () => {
  it('reproduces NumPy legacy permutations', () => {
    expect(Array.from(numpyPermutation(10, 7))).toEqual([8, 5, 0, 2, 1, 9, 7, 3, 6, 4]);
  });

  it("reproduces the original project's split index for index", () => {
    const { train, test } = sklearnTrainTestSplit(11055, 0.2, 42);
    expect(test).toHaveLength(2211);
    expect(train).toHaveLength(8844);
    expect(Array.from(test.slice(0, 10))).toEqual([10582, 7533, 10806, 2992, 8940, 9054, 304, 9644, 5034, 1470]);
    expect(Array.from(train.slice(0, 5))).toEqual([480, 10812, 4064, 8225, 9432]);
    expect(Array.from(train.slice(-5))).toEqual([5734, 5191, 5390, 860, 7270]);
    let checksum = 0;
    test.forEach((v, i) => (checksum += v * i));
    expect(checksum).toBe(13358183503);
    expect(new Set([...train, ...test]).size).toBe(11055);
  });

  it('rejects a bad test size with a typed error', () => {
    expect(() => sklearnTrainTestSplit(10, 1.5, 0)).toThrow(expect.objectContaining({ code: 'BAD_PARAM' }));
  });
});
