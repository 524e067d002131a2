import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRows } from '../../core/matrix.js';
import { parseNumericCsv } from '../fixtures/decode.js';
import { featureVectorGroups, groupStratifiedSplit, stratifiedGroupKFold, stratifiedKFold, stratifiedSplit } from './index.js';

const { X, y } = parseNumericCsv(readFileSync(new URL('../../../data/phisingData.csv', import.meta.url), 'utf8'));
const groups = featureVectorGroups(X);
const share = (idx: Int32Array): number => idx.reduce((a, i) => a + (y[i] === 1 ? 1 : 0), 0) / idx.length;
const overall = share(Int32Array.from(y.keys()));

function sameSideForEveryGroup(train: Int32Array, test: Int32Array): boolean {
  const side = new Map<number, number>();
  for (const [idx, s] of [[train, 0], [test, 1]] as const) {
    for (const i of idx) {
      const prev = side.get(groups[i]!);
      if (prev !== undefined && prev !== s) return false;
      side.set(groups[i]!, s);
    }
  }
  return true;
}

describe('featureVectorGroups', () => {
  it('gives identical rows one id and the bundled data its 5,785 distinct vectors', () => {
    expect(Array.from(featureVectorGroups(fromRows([[1, 0], [0, 1], [1, 0], [NaN, 1], [NaN, 1]])))).toEqual([0, 1, 0, 2, 2]);
    expect(new Set(groups).size).toBe(5785);
  });
});

describe('splits', () => {
  it('stratifiedSplit is seeded, disjoint, complete and keeps the class share', () => {
    const a = stratifiedSplit(y, { testSize: 0.2, seed: 42 });
    const b = stratifiedSplit(y, { testSize: 0.2, seed: 42 });
    const c = stratifiedSplit(y, { testSize: 0.2, seed: 7 });
    expect(a).toEqual(b);
    expect(a.test).not.toEqual(c.test);
    expect(a.train.length + a.test.length).toBe(y.length);
    expect(new Set([...a.train, ...a.test]).size).toBe(y.length);
    expect(a.test.length).toBe(Math.round(0.2 * 4898) + Math.round(0.2 * 6157));
    expect(Math.abs(share(a.test) - overall)).toBeLessThan(0.001);
  });

  it('groupStratifiedSplit never lets identical rows straddle the split', () => {
    const s = groupStratifiedSplit(y, groups, { testSize: 0.2, seed: 42 });
    expect(sameSideForEveryGroup(s.train, s.test)).toBe(true);
    expect(Math.abs(s.test.length / y.length - 0.2)).toBeLessThan(0.01);
    expect(Math.abs(share(s.test) - overall)).toBeLessThan(0.01);
    expect(groupStratifiedSplit(y, groups, { testSize: 0.2, seed: 42 })).toEqual(s);
  });

  it('groupStratifiedSplit samples groups fairly: test rows are not biased toward large groups', () => {
    const size = new Map<number, number>();
    for (const g of groups) size.set(g, (size.get(g) ?? 0) + 1);
    const meanGroupSize = (idx: Int32Array): number => idx.reduce((a, i) => a + size.get(groups[i]!)!, 0) / idx.length;
    for (const seed of [1, 42]) {
      const s = groupStratifiedSplit(y, groups, { testSize: 0.2, seed });
      const ratio = meanGroupSize(s.test) / meanGroupSize(s.train);
      expect(ratio).toBeGreaterThan(0.7);
      expect(ratio).toBeLessThan(1.4);
    }
  });

  it('rejects a testSize outside (0, 1)', () => {
    expect(() => stratifiedSplit(y, { testSize: 1, seed: 0 })).toThrow(/testSize/);
  });
});

describe('k-fold', () => {
  it('stratifiedKFold covers every row once, with even sizes and class shares', () => {
    const folds = stratifiedKFold(y, 5, { seed: 1 });
    const seen = new Uint8Array(y.length);
    for (const f of folds) {
      for (const i of f.test) seen[i]!++;
      expect(f.train.length + f.test.length).toBe(y.length);
      expect(Math.abs(f.test.length - y.length / 5)).toBeLessThanOrEqual(1);
      expect(Math.abs(share(f.test) - overall)).toBeLessThan(0.002);
    }
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  it('stratifiedGroupKFold keeps groups whole and classes balanced', () => {
    const folds = stratifiedGroupKFold(y, groups, 3, { seed: 0 });
    const seen = new Uint8Array(y.length);
    for (const f of folds) {
      for (const i of f.test) seen[i]!++;
      expect(sameSideForEveryGroup(f.train, f.test)).toBe(true);
      expect(Math.abs(share(f.test) - overall)).toBeLessThan(0.01);
      expect(Math.abs(f.test.length - y.length / 3)).toBeLessThan(y.length * 0.02);
    }
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  it('rejects more folds than rows', () => {
    expect(() => stratifiedKFold(Float64Array.of(0, 1, 0), 4)).toThrow(/folds/);
  });
});
