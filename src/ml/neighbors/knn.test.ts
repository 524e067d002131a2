import { describe, expect, it } from 'vitest';
import { fromRows } from '../../core/matrix.js';
import { kNeighbors } from './knn.js';

const X = fromRows([[0, 0], [0, 1], [1, 0], [5, 5], [5, 6], [6, 5]]);
const y = Float64Array.of(0, 0, 0, 1, 1, 2);

describe('KNeighborsClassifier', () => {
  it('with k = 1 reproduces the training labels', async () => {
    const knn = await kNeighbors.create({ nNeighbors: 1 }).fit(X, y);
    expect(knn.predict(X)).toEqual(y);
  });

  it('uniform weights give neighbour shares; three classes are supported', async () => {
    const knn = await kNeighbors.create({ nNeighbors: 3 }).fit(X, y);
    const P = knn.predictProba(fromRows([[5.2, 5.2]]));
    expect(Array.from(P.data)).toEqual([0, 2 / 3, 1 / 3]);
  });

  it('distance weights favour closer rows, and an exact match takes all the weight', async () => {
    const knn = await kNeighbors.create({ nNeighbors: 3, weights: 'distance' }).fit(X, y);
    expect(Array.from(knn.predictProba(fromRows([[6, 5]])).data)).toEqual([0, 0, 1]);
    const p = knn.predictProba(fromRows([[5.9, 5.1]])).data;
    expect(p[2]).toBeGreaterThan(p[1]!);
  });

  it('Manhattan distance (p = 1) picks different neighbours than Euclidean', async () => {
    // From the origin: (1, 1) is nearer in Euclidean distance (1.41 < 1.6), (1.6, 0) in Manhattan (1.6 < 2).
    const Xm = fromRows([[1, 1], [1.6, 0], [5, 5]]);
    const ym = Float64Array.of(1, 2, 3);
    const query = fromRows([[0, 0]]);
    const euclid = await kNeighbors.create({ nNeighbors: 1, p: 2 }).fit(Xm, ym);
    const manhattan = await kNeighbors.create({ nNeighbors: 1, p: 1 }).fit(Xm, ym);
    expect(euclid.predict(query)).toEqual(Float64Array.of(1));
    expect(manhattan.predict(query)).toEqual(Float64Array.of(2));
  });

  it('rejects k above the row count and sample weights', async () => {
    await expect(kNeighbors.create({ nNeighbors: 7 }).fit(X, y)).rejects.toMatchObject({ code: 'BAD_PARAM' });
    await expect(kNeighbors.create().fit(X, y, { sampleWeight: new Float64Array(6).fill(1) })).rejects.toMatchObject({ code: 'UNSUPPORTED_OPTION' });
  });
});

describe('ternary fast path', () => {
  it('finds the same neighbours as the general path (data x 2 is not ternary, distances only scale)', async () => {
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 120; i++) {
      const r = [0, 1, 2, 3, 4].map((j) => (((i * 7 + j * 13) ^ (i >> 2)) % 3) - 1);
      rows.push(r);
      labels.push(r[0]! + r[1]! - r[3]! > 0 ? 1 : -1);
    }
    const X = fromRows(rows);
    const X2 = fromRows(rows.map((r) => r.map((v) => 2 * v)));
    const y = Float64Array.from(labels);
    for (const p of [1, 2] as const) {
      for (const weights of ['uniform', 'distance'] as const) {
        const a = await kNeighbors.create({ nNeighbors: 4, p, weights }).fit(X, y);
        const b = await kNeighbors.create({ nNeighbors: 4, p, weights }).fit(X2, y);
        const pa = a.predictProba(X).data;
        const pb = b.predictProba(X2).data;
        for (let i = 0; i < pa.length; i++) expect(pa[i]).toBeCloseTo(pb[i]!, 12);
      }
    }
  });

  it('with maxRows fits a stratified sample of that many rows, and checks the param', async () => {
    const rows = 300;
    const big = fromRows(Array.from({ length: rows }, (_, i) => [i % 17, Math.floor(i / 17)]));
    const labels = Float64Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const sampled = await kNeighbors.create({ nNeighbors: 1, maxRows: 60 }).fit(big, labels);
    const fitY = sampled.toState().arrays.fitY!;
    expect(fitY.length).toBe(60);
    expect(Array.from(fitY).filter((v) => v === 1)).toHaveLength(20);
    expect(sampled.toState().params.maxRows).toBe(60);
    expect((await kNeighbors.create({ nNeighbors: 1, maxRows: 400 }).fit(big, labels)).predict(big)).toEqual(labels);
    await expect(kNeighbors.create({ maxRows: 1.5 }).fit(big, labels)).rejects.toThrow(/maxRows/);
  });
});
