import { describe, expect, it } from 'vitest';
import { fromRows, matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import { svcFactory, type SVC } from './svc.js';

/** Two Gaussian blobs in 2-D around (-1, -1) and (1, 1). */
function blobs(n: number, spread: number, seed: number): { X: ReturnType<typeof matrix>; y: Float64Array } {
  const rng = new Rng(seed);
  const X = matrix(n, 2);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2 === 0 ? -1 : 1;
    y[i] = c;
    X.data[2 * i] = c + spread * rng.normal();
    X.data[2 * i + 1] = c + spread * rng.normal();
  }
  return { X, y };
}

describe('SVC', () => {
  it('separates separable data with a linear kernel, with w pointing from class -1 to class 1', async () => {
    const { X, y } = blobs(60, 0.2, 1);
    const svc = (await svcFactory.create({ kernel: 'linear', C: 10 }).fit(X, y)) as SVC;
    const f = svc.decisionFunction(X);
    for (let i = 0; i < y.length; i++) expect(Math.sign(f[i]!)).toBe(y[i]);
    expect(svc.predict(fromRows([[2, 2], [-2, -2]]))).toEqual(Float64Array.of(1, -1));
    expect(svc.supportCount()).toBeLessThan(20);
  });

  it('learns an XOR pattern with the RBF kernel, which no linear model can', async () => {
    const rows: number[][] = [];
    const labels: number[] = [];
    const rng = new Rng(4);
    for (let i = 0; i < 80; i++) {
      const a = rng.next() * 2 - 1;
      const b = rng.next() * 2 - 1;
      rows.push([a, b]);
      labels.push(a * b > 0 ? 1 : 0);
    }
    const X = fromRows(rows);
    const y = Float64Array.from(labels);
    const rbf = await svcFactory.create({ kernel: 'rbf', C: 100, gamma: 2 }).fit(X, y);
    const lin = await svcFactory.create({ kernel: 'linear', C: 100 }).fit(X, y);
    const acc = (p: Float64Array): number => p.reduce((s, v, i) => s + (v === y[i] ? 1 : 0), 0) / y.length;
    expect(acc(rbf.predict(X))).toBeGreaterThan(0.9);
    expect(acc(lin.predict(X))).toBeLessThan(0.75);
  });

  it('gives higher probabilities to larger decision values, in-sample or out-of-fold Platt scaling', async () => {
    const { X, y } = blobs(120, 0.9, 2);
    for (const plattFolds of [0, 3]) {
      const svc = (await svcFactory.create({ plattFolds, randomState: 5 }).fit(X, y)) as SVC;
      const f = svc.decisionFunction(X);
      const p = svc.predictProba(X);
      const order = Array.from(f.keys()).sort((a, b) => f[a]! - f[b]!);
      for (let k = 1; k < order.length; k++) expect(p.data[2 * order[k]! + 1]!).toBeGreaterThanOrEqual(p.data[2 * order[k - 1]! + 1]!);
    }
  });

  it("resolves gamma 'auto' to 1 / features and a class weight moves the boundary", async () => {
    const { X, y } = blobs(80, 1, 3);
    const auto = (await svcFactory.create({ gamma: 'auto' }).fit(X, y)) as SVC;
    const half = (await svcFactory.create({ gamma: 0.5 }).fit(X, y)) as SVC;
    expect(auto.decisionFunction(X)).toEqual(half.decisionFunction(X));
    const heavy = (await svcFactory.create({ classWeight: { '1': 20 } }).fit(X, y)) as SVC;
    const positives = (s: SVC): number => s.decisionFunction(X).reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
    expect(positives(heavy)).toBeGreaterThan(positives(half));
  });

  it('rejects invalid params with BAD_PARAM and more than two classes with UNSUPPORTED_CLASSES', async () => {
    const { X, y } = blobs(30, 1, 3);
    await expect(svcFactory.create({ gamma: -1 }).fit(X, y)).rejects.toMatchObject({ code: 'BAD_PARAM' });
    await expect(svcFactory.create({ kernel: 'poly' as 'rbf' }).fit(X, y)).rejects.toMatchObject({ code: 'BAD_PARAM' });
    await expect(svcFactory.create().fit(X, y.map((v, i) => (i % 3) + v))).rejects.toMatchObject({ code: 'UNSUPPORTED_CLASSES' });
  });
});
