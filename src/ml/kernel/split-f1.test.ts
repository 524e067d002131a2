// F1 (Result = 1 positive) of our non-tree classifiers against scikit-learn's on the bundled data's
// 80/20 split (train_test_split(random_state=42); test rows and reference F1 from
// scripts/parity/make_fixtures.py): each within 0.005.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/split-f1.json' with { type: 'json' };
import { parseNumericCsv } from '../fixtures/decode.js';
import { takeRows, takeValues } from '../../core/matrix.js';
import { otherClassifiers } from '../catalog-others.js';
import { f1Score } from '../metrics/index.js';
import { SVC } from './svc.js';

const { X, y } = parseNumericCsv(readFileSync(new URL('../../../data/phisingData.csv', import.meta.url), 'utf8'));
const isTest = new Uint8Array(y.length);
for (const i of fixture.test) isTest[i] = 1;
const train: number[] = [];
for (let i = 0; i < y.length; i++) if (!isTest[i]) train.push(i);
const Xtr = takeRows(X, train);
const ytr = takeValues(y, train);
const Xte = takeRows(X, fixture.test);
const yte = takeValues(y, fixture.test);

describe('F1 on the 80/20 split matches scikit-learn', () => {
  for (const kind of ['logistic_regression', 'svc', 'naive_bayes', 'knn'] as const) {
    it(kind, async () => {
      const model = await otherClassifiers.find((f) => f.kind === kind)!.create().fit(Xtr, ytr);
      const f1 = f1Score(yte, model.predict(Xte), 1);
      expect(Math.abs(f1 - fixture.f1[kind])).toBeLessThan(0.005);
      if (model instanceof SVC) {
        // The SMO solution itself: the sign of the decision function gives scikit-learn's F1.
        const bySign = Float64Array.from(model.decisionFunction(Xte), (v) => (v > 0 ? 1 : -1));
        expect(Math.abs(f1Score(yte, bySign, 1) - fixture.f1.svc)).toBeLessThan(1e-3);
      }
    });
  }
});
