import { describe, expect, it } from 'vitest';
import { fromRows } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { duplicateStats, featureVectorGroups, groupKFold, leakageAwareSplit } from './split.js';

function data(n: number, seed: number): { X: ReturnType<typeof fromRows>; y: Float64Array } {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Few distinct vectors, so many duplicates, like the real data.
    rows.push([rng.int(3) - 1, rng.int(3) - 1, rng.int(2)]);
    y[i] = rows[i]![0]! >= 0 ? 1 : -1;
  }
  return { X: fromRows(rows), y };
}

describe('leakage-aware split', () => {
  it('never puts identical feature vectors on both sides and keeps the class balance', () => {
    const { X, y } = data(2000, 3);
    const { train, test } = leakageAwareSplit(X, y, 0.25, 7);
    expect(train.length + test.length).toBe(2000);
    const { groups } = featureVectorGroups(X);
    const trainGroups = new Set(Array.from(train, (i) => groups[i]));
    expect(Array.from(test).some((i) => trainGroups.has(groups[i]))).toBe(false);
    const share = (idx: Uint32Array): number => Array.from(idx).filter((i) => y[i] === 1).length / idx.length;
    expect(test.length).toBeGreaterThan(0);
    expect(Math.abs(share(test) - share(train))).toBeLessThan(0.35);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const { X, y } = data(500, 1);
    expect(leakageAwareSplit(X, y, 0.2, 5).test).toEqual(leakageAwareSplit(X, y, 0.2, 5).test);
  });

  it('counts duplicates and conflicting labels', () => {
    const X = fromRows([[1, 0], [1, 0], [0, 0], [1, 0]]);
    expect(duplicateStats(X, new Float64Array([1, -1, 1, 1]))).toEqual({ distinctVectors: 2, duplicateRows: 2, conflictingLabels: 1 });
  });
});

describe('group k-fold', () => {
  it('covers every row once as test and never splits a group', () => {
    const { X, y } = data(900, 9);
    const { groups } = featureVectorGroups(X);
    const folds = groupKFold(y, groups, 3, 1);
    const seen = new Uint8Array(900);
    for (const f of folds) {
      for (const i of f.test) seen[i]! += 1;
      const trainGroups = new Set(Array.from(f.train, (i) => groups[i]));
      expect(Array.from(f.test).every((i) => !trainGroups.has(groups[i]))).toBe(true);
    }
    expect(seen.every((c) => c === 1)).toBe(true);
  });
});
