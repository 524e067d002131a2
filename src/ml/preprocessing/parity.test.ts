// Parity with scikit-learn (fixtures from scripts/parity/make_fixtures.py): every transformer case must
// agree to 1e-9, NaN for NaN, on the fitted data and on new data.
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/preprocessing.json' with { type: 'json' };
import { mat } from '../fixtures/decode.js';
import { transformers } from '../catalog-others.js';
import type { Matrix } from '../../core/matrix.js';

type Cell = number | string;
const datasets = fixture.datasets as Record<string, { fit: Cell[][]; new: Cell[][] }>;

function maxDiff(a: Matrix, b: Matrix): number {
  expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return Infinity;
    } else m = Math.max(m, Math.abs(x - y));
  }
  return m;
}

describe('transformers match scikit-learn', () => {
  for (const c of fixture.cases as { kind: string; params: Record<string, unknown>; data: string; fitOut: Cell[][]; newOut: Cell[][] }[]) {
    it(`${c.kind} ${JSON.stringify(c.params)} on ${c.data} data`, () => {
      const factory = transformers.find((f) => f.kind === c.kind)!;
      const ds = datasets[c.data]!;
      const t = factory.create(c.params);
      const fitOut = t.fitTransform(mat(ds.fit));
      expect(maxDiff(fitOut, mat(c.fitOut))).toBeLessThan(1e-9);
      expect(maxDiff(t.transform(mat(ds.new)), mat(c.newOut))).toBeLessThan(1e-9);
    });
  }

  it('leaves NaN in place for scalers and removes every NaN for imputers', () => {
    const ds = datasets.ternary!;
    const X = mat(ds.fit);
    expect(transformers.find((f) => f.kind === 'standard_scaler')!.create().fitTransform(X).data.some(Number.isNaN)).toBe(true);
    expect(transformers.find((f) => f.kind === 'knn_imputer')!.create({ nNeighbors: 3 }).fitTransform(X).data.some(Number.isNaN)).toBe(false);
  });
});
