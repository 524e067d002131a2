import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRows } from '../../core/matrix.js';
import { parseNumericCsv } from '../fixtures/decode.js';
import { takeRows } from '../../core/matrix.js';
import { classShare, featureVectorGroups, splitSides, stableGroupSplit, stratifiedGroupKFold, stratifiedKFold, stratifiedSplit } from './index.js';
import { stratifiedSample } from './split.js';

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
    const ids = Array.from(featureVectorGroups(fromRows([[1, 0], [0, 1], [1, 0], [NaN, 1], [NaN, 1]])));
    expect(ids[0]).toBe(ids[2]);
    expect(ids[3]).toBe(ids[4]);
    expect(new Set(ids).size).toBe(3);
    expect(ids.every((id) => id >= 0)).toBe(true);
    expect(new Set(groups).size).toBe(5785);
  });

  it('an id is a function of the vector: the same in any data set, whatever comes before it', () => {
    const a = featureVectorGroups(fromRows([[1, 0], [0, 1]]));
    const b = featureVectorGroups(fromRows([[-1, -1], [0, 1], [1, 1], [1, 0]]));
    expect(b[1]).toBe(a[1]);
    expect(b[3]).toBe(a[0]);
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

  it('stableGroupSplit never lets identical rows straddle the split, holds out testSize and keeps the class share for any seed', () => {
    const s = stableGroupSplit(y, groups, { testSize: 0.2, seed: 42 });
    expect(sameSideForEveryGroup(s.train, s.test)).toBe(true);
    expect(Math.abs(s.test.length / y.length - 0.2)).toBeLessThan(0.002);
    expect(classShare(y, s.test, 1)).toBeCloseTo(share(s.test), 12);
    expect(stableGroupSplit(y, groups, { testSize: 0.2, seed: 42 })).toEqual(s);
    expect(stableGroupSplit(y, groups, { testSize: 0.2, seed: 7 }).test).not.toEqual(s.test);
    // Within 1 point of the whole on both sides for every seed (the hash alone gave up to ~3 points; seed 1: 1.9).
    let worst = 0;
    for (let seed = 0; seed < 60; seed++) {
      const t = stableGroupSplit(y, groups, { testSize: seed % 2 ? 0.2 : 0.3, seed });
      worst = Math.max(worst, Math.abs(share(t.test) - overall), Math.abs(share(t.train) - overall));
    }
    expect(worst).toBeLessThan(0.01);
  });

  it('the README figures on the bundled data at test share 0.2: seed 42 and the worst of seeds 0–199', () => {
    const phishingPct = (idx: Int32Array): string => ((1 - share(idx)) * 100).toFixed(2);
    expect(((1 - overall) * 100).toFixed(2)).toBe('44.31');
    const s = stableGroupSplit(y, groups, { testSize: 0.2, seed: 42 });
    expect([phishingPct(s.train), phishingPct(s.test)]).toEqual(['44.30', '44.32']);
    let worst = 0;
    for (let seed = 0; seed < 200; seed++) {
      const t = stableGroupSplit(y, groups, { testSize: 0.2, seed });
      worst = Math.max(worst, Math.abs(share(t.test) - overall), Math.abs(share(t.train) - overall));
    }
    expect(worst * 100).toBeLessThanOrEqual(0.28);
  });

  it('stableGroupSplit keeps every vector of a carried split on its side when rows are appended (a resample) or removed', () => {
    const before = stableGroupSplit(y, groups, { testSize: 0.2, seed: 42 });
    const sideBefore = splitSides(groups, before);
    // Every third row removed, then 3,000 rows drawn again from the whole set appended.
    const kept = Int32Array.from(Array.from(y.keys()).filter((i) => i % 3 !== 0));
    const resample = Int32Array.from({ length: 3000 }, (_, k) => (k * 7919) % y.length);
    const rows = Int32Array.from([...kept, ...resample]);
    const X2 = takeRows(X, rows);
    const y2 = Float64Array.from(rows, (i) => y[i]!);
    const g2 = featureVectorGroups(X2);
    const after = stableGroupSplit(y2, g2, { testSize: 0.2, seed: 42, sides: sideBefore });
    let moved = 0;
    for (const i of after.test) if (sideBefore.get(g2[i]!) !== 1) moved++;
    for (const i of after.train) if (sideBefore.get(g2[i]!) !== 0) moved++;
    expect(moved).toBe(0);
  });

  it('stableGroupSplit places new vectors so a carried split gets back to the class share', () => {
    // The first 40% of the rows split, then the whole set with that split carried forward.
    const firstRows = Int32Array.from({ length: Math.floor(y.length * 0.4) }, (_, i) => i);
    const gFirst = featureVectorGroups(takeRows(X, firstRows));
    const yFirst = Float64Array.from(firstRows, (i) => y[i]!);
    for (const seed of [1, 7, 42]) {
      const first = stableGroupSplit(yFirst, gFirst, { testSize: 0.2, seed });
      const sides = splitSides(gFirst, first);
      const all = stableGroupSplit(y, groups, { testSize: 0.2, seed, sides });
      for (const i of all.test) if (sides.has(groups[i]!)) expect(sides.get(groups[i]!)).toBe(1);
      for (const i of all.train) if (sides.has(groups[i]!)) expect(sides.get(groups[i]!)).toBe(0);
      expect(Math.abs(share(all.test) - overall)).toBeLessThan(0.01);
      expect(Math.abs(all.test.length / y.length - 0.2)).toBeLessThan(0.01);
    }
  });

  it('stableGroupSplit gives a tiny data set a test row', () => {
    const s = stableGroupSplit(Float64Array.of(1, -1, 1), Int32Array.of(3, 8, 12), { testSize: 0.2, seed: 0 });
    expect(s.test.length).toBe(1);
    expect(s.train.length).toBe(2);
  });

  it('stableGroupSplit samples groups fairly: test rows are not biased toward large groups', () => {
    const size = new Map<number, number>();
    for (const g of groups) size.set(g, (size.get(g) ?? 0) + 1);
    const meanGroupSize = (idx: Int32Array): number => idx.reduce((a, i) => a + size.get(groups[i]!)!, 0) / idx.length;
    for (const seed of [1, 42]) {
      const s = stableGroupSplit(y, groups, { testSize: 0.2, seed });
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

  it('stratifiedGroupKFold keeps groups whole, covers every row once, and classes balanced up to sampling noise', () => {
    const folds = stratifiedGroupKFold(y, groups, 3, { seed: 0 });
    const seen = new Uint8Array(y.length);
    for (const f of folds) {
      for (const i of f.test) seen[i]!++;
      expect(sameSideForEveryGroup(f.train, f.test)).toBe(true);
      expect(Math.abs(share(f.test) - overall)).toBeLessThan(0.03);
      expect(Math.abs(f.test.length - y.length / 3)).toBeLessThan(y.length * 0.03);
    }
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  it("stratifiedGroupKFold: a vector's fold does not change when other rows are added", () => {
    const foldOf = (g: Int32Array, folds: ReturnType<typeof stratifiedGroupKFold>): Map<number, number> => {
      const m = new Map<number, number>();
      folds.forEach((f, k) => { for (const i of f.test) m.set(g[i]!, k); });
      return m;
    };
    const half = Int32Array.from({ length: Math.floor(y.length / 2) }, (_, i) => i);
    const gHalf = featureVectorGroups(takeRows(X, half));
    const small = foldOf(gHalf, stratifiedGroupKFold(Float64Array.from(half, (i) => y[i]!), gHalf, 5, { seed: 3 }));
    const big = foldOf(groups, stratifiedGroupKFold(y, groups, 5, { seed: 3 }));
    for (const [g, f] of small) expect(big.get(g)).toBe(f);
  });

  it('stratifiedGroupKFold gives every fold rows even for a handful of groups', () => {
    const tiny = Int32Array.of(5, 5, 9, 11, 11, 40);
    const folds = stratifiedGroupKFold(Float64Array.of(1, 1, -1, 1, 1, -1), tiny, 4, { seed: 0 });
    expect(folds.every((f) => f.test.length > 0)).toBe(true);
  });

  it('rejects more folds than rows', () => {
    expect(() => stratifiedKFold(Float64Array.of(0, 1, 0), 4)).toThrow(/folds/);
  });
});

describe('stratifiedSample', () => {
  it('keeps each class share in at most maxRows ascending rows, the same for the same seed', () => {
    const s = stratifiedSample(y, 2_000, 19);
    expect(s.length).toBeLessThanOrEqual(2_000);
    expect(s.length).toBeGreaterThan(1_990);
    expect(Array.from(s)).toEqual(Array.from(s).sort((a, b) => a - b));
    expect(new Set(s).size).toBe(s.length);
    expect(Math.abs(share(s) - overall)).toBeLessThan(0.002);
    expect(Array.from(stratifiedSample(y, 2_000, 19))).toEqual(Array.from(s));
    expect(Array.from(stratifiedSample(y, 2_000, 20))).not.toEqual(Array.from(s));
  });

  it('keeps every row when there are no more than maxRows, and one row of a rare class', () => {
    expect(Array.from(stratifiedSample(Float64Array.of(1, 0, 1), 3, 1))).toEqual([0, 1, 2]);
    const rare = new Float64Array(1_000);
    rare[500] = 1;
    expect(Array.from(stratifiedSample(rare, 10, 1))).toContain(500);
  });
});
