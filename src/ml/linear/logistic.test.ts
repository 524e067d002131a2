import { describe, expect, it } from 'vitest';
import { matrix } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import { logisticRegression, type LogisticRegression } from './logistic.js';

function data(n: number, seed: number): { X: ReturnType<typeof matrix>; y: Float64Array } {
  const rng = new Rng(seed);
  const X = matrix(n, 3);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 3; j++) X.data[i * 3 + j] = rng.normal();
    // Imbalanced: about one row in four is positive.
    y[i] = 2 * X.data[i * 3]! - X.data[i * 3 + 1]! + rng.normal() > 1.3 ? 1 : 0;
  }
  return { X, y };
}

describe('LogisticRegression', () => {
  it('recovers the signs of the true coefficients', async () => {
    const { X, y } = data(400, 1);
    const { coef } = ((await logisticRegression.create().fit(X, y)) as LogisticRegression).coefficients();
    expect(coef[0]).toBeGreaterThan(1);
    expect(coef[1]).toBeLessThan(-0.3);
    expect(Math.abs(coef[2]!)).toBeLessThan(0.4);
  });

  it('a smaller C shrinks the coefficients', async () => {
    const { X, y } = data(400, 2);
    const norm = async (C: number): Promise<number> => {
      const { coef } = ((await logisticRegression.create({ C }).fit(X, y)) as LogisticRegression).coefficients();
      return Math.hypot(...coef);
    };
    expect(await norm(0.01)).toBeLessThan((await norm(1)) / 2);
  });

  it("classWeight 'balanced' and doubled sample weights of positives raise the positive rate alike", async () => {
    const { X, y } = data(400, 3);
    const rate = (p: Float64Array): number => p.reduce((a, v) => a + v, 0) / p.length;
    const plain = rate((await logisticRegression.create().fit(X, y)).predict(X));
    const balanced = rate((await logisticRegression.create({ classWeight: 'balanced' }).fit(X, y)).predict(X));
    const weighted = rate((await logisticRegression.create().fit(X, y, { sampleWeight: y.map((v) => (v === 1 ? 3 : 1)) })).predict(X));
    expect(balanced).toBeGreaterThan(plain);
    expect(weighted).toBeGreaterThan(plain);
  });

  it('without an intercept the last contribution column is 0', async () => {
    const { X, y } = data(100, 4);
    const lr = (await logisticRegression.create({ fitIntercept: false }).fit(X, y)) as LogisticRegression;
    const C = lr.contributions(X);
    for (let i = 0; i < X.rows; i++) expect(C.data[i * 4 + 3]).toBe(0);
  });

  it('rejects a non-positive C with BAD_PARAM and NaN in X with NAN_INPUT', async () => {
    const { X, y } = data(50, 5);
    await expect(logisticRegression.create({ C: 0 }).fit(X, y)).rejects.toMatchObject({ code: 'BAD_PARAM', kind: 'config' });
    X.data[4] = NaN;
    await expect(logisticRegression.create().fit(X, y)).rejects.toMatchObject({ code: 'NAN_INPUT' });
  });
});
