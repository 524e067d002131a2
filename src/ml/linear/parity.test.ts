// Logistic regression and Gaussian naive Bayes against scikit-learn on 400 training / 120 test rows
// of the bundled data (fixtures from scripts/parity/make_fixtures.py): probabilities to 1e-4 (LR)
// and 1e-9 (NB); coefficients checked too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/classifiers.json' with { type: 'json' };
import { mat, parseNumericCsv } from '../fixtures/decode.js';
import { takeRows, takeValues } from '../../core/matrix.js';
import { otherClassifiers } from '../catalog-others.js';
import type { LogisticRegression } from './logistic.js';

const { X, y } = parseNumericCsv(readFileSync(new URL('../../../data/phisingData.csv', import.meta.url), 'utf8'));
const Xtr = takeRows(X, fixture.train);
const ytr = takeValues(y, fixture.train);
const Xte = takeRows(X, fixture.test);

describe('parity with scikit-learn', () => {
  for (const c of fixture.cases as { kind: string; params: Record<string, unknown>; proba: number[][]; coef?: number[]; intercept?: number }[]) {
    it(`${c.kind} ${JSON.stringify(c.params)}`, async () => {
      const model = await otherClassifiers.find((f) => f.kind === c.kind)!.create(c.params).fit(Xtr, ytr);
      const P = model.predictProba(Xte);
      const ref = mat(c.proba);
      let worst = 0;
      for (let i = 0; i < P.data.length; i++) worst = Math.max(worst, Math.abs(P.data[i]! - ref.data[i]!));
      expect(worst).toBeLessThan(c.kind === 'logistic_regression' ? 1e-4 : 1e-9);
      if (c.coef) {
        const { coef, intercept } = (model as LogisticRegression).coefficients();
        c.coef.forEach((v, j) => expect(Math.abs(coef[j]! - v)).toBeLessThan(1e-4));
        expect(Math.abs(intercept - c.intercept!)).toBeLessThan(1e-4);
      }
    });
  }

  it('logistic contributions sum to the log-odds of classes[1]', async () => {
    const lr = (await otherClassifiers[0]!.create({ C: 1 }).fit(Xtr, ytr)) as LogisticRegression;
    const C = lr.contributions(Xte);
    const z = lr.decisionFunction(Xte);
    expect(C.cols).toBe(Xte.cols + 1);
    for (let i = 0; i < Xte.rows; i++) {
      let s = 0;
      for (let j = 0; j < C.cols; j++) s += C.data[i * C.cols + j]!;
      expect(s).toBeCloseTo(z[i]!, 10);
    }
  });
});
