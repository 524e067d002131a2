import { describe, expect, it } from 'vitest';
import { fromRows } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { featureVectorGroups } from '../ml/model-selection/index.js';
import { leakageAwareSplit } from './split.js';

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
    const groups = featureVectorGroups(X);
    const trainGroups = new Set(Array.from(train, (i) => groups[i]));
    expect(Array.from(test).some((i) => trainGroups.has(groups[i]))).toBe(false);
    const share = (idx: Uint32Array): number => Array.from(idx).filter((i) => y[i] === 1).length / idx.length;
    expect(test.length).toBeGreaterThan(0);
    expect(Math.abs(share(test) - share(train))).toBeLessThan(0.35);
    // A fair sample of groups: the mean group size on the test side is close to the train side's.
    const sizes = new Map<number, number>();
    for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
    const meanSize = (idx: Uint32Array): number => Array.from(idx).reduce((a, i) => a + sizes.get(groups[i]!)!, 0) / idx.length;
    expect(meanSize(test) / meanSize(train)).toBeGreaterThan(0.6);
    expect(meanSize(test) / meanSize(train)).toBeLessThan(1.6);
  });

  it('is reproducible for a seed', () => {
    const { X, y } = data(500, 1);
    expect(leakageAwareSplit(X, y, 0.2, 5).test).toEqual(leakageAwareSplit(X, y, 0.2, 5).test);
  });

});
