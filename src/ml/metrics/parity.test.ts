// Metrics against scikit-learn (fixtures from scripts/parity/make_fixtures.py), to 1e-9, including
// heavily tied scores and a negative positive label.
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/metrics.json' with { type: 'json' };
import { vec } from '../fixtures/decode.js';
import { matrix } from '../../core/matrix.js';
import * as M from './index.js';

type Cell = number | string;
interface Expected {
  posLabel: number; f1: number; precision: number; recall: number; accuracy: number; balancedAccuracy: number;
  rocAuc: number; averagePrecision: number; logLoss: number; brier: number; confusion: number[][];
  roc: { fpr: Cell[]; tpr: Cell[]; thresholds: Cell[] }; pr: { precision: Cell[]; recall: Cell[]; thresholds: Cell[] };
  calibration5: { probTrue: Cell[]; probPred: Cell[] }; calibration10: { probTrue: Cell[]; probPred: Cell[] };
}

function close(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (expected[i] === Infinity) expect(actual[i]).toBe(Infinity);
    else expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-9);
  }
}

describe('metrics match scikit-learn', () => {
  (fixture.cases as unknown as { yTrue: number[]; score: number[]; yPred: number[]; pos1: Expected; posNeg: Expected }[]).forEach((c, n) => {
    const yTrue = Float64Array.from(c.yTrue);
    const yPred = Float64Array.from(c.yPred);
    for (const [name, e, score] of [['pos 1', c.pos1, Float64Array.from(c.score)], ['pos -1', c.posNeg, Float64Array.from(c.score, (s) => 1 - s)]] as const) {
      it(`case ${n}, ${name}`, () => {
        const pos = e.posLabel;
        expect(M.f1Score(yTrue, yPred, pos)).toBeCloseTo(e.f1, 12);
        expect(M.precisionScore(yTrue, yPred, pos)).toBeCloseTo(e.precision, 12);
        expect(M.recallScore(yTrue, yPred, pos)).toBeCloseTo(e.recall, 12);
        expect(M.accuracyScore(yTrue, yPred)).toBeCloseTo(e.accuracy, 12);
        expect(M.balancedAccuracyScore(yTrue, yPred)).toBeCloseTo(e.balancedAccuracy, 12);
        expect(Math.abs(M.rocAucScore(yTrue, score, pos) - e.rocAuc)).toBeLessThan(1e-9);
        expect(Math.abs(M.averagePrecisionScore(yTrue, score, pos) - e.averagePrecision)).toBeLessThan(1e-9);
        expect(Math.abs(M.logLoss(yTrue, score, pos) - e.logLoss)).toBeLessThan(1e-9);
        expect(Math.abs(M.brierScore(yTrue, score, pos) - e.brier)).toBeLessThan(1e-9);
        expect(M.confusionMatrix(yTrue, yPred, [-1, 1]).counts).toEqual(e.confusion);
        const roc = M.rocCurve(yTrue, score, pos);
        close(roc.fpr, vec(e.roc.fpr));
        close(roc.tpr, vec(e.roc.tpr));
        close(roc.thresholds, vec(e.roc.thresholds));
        const pr = M.precisionRecallCurve(yTrue, score, pos);
        close(pr.precision, vec(e.pr.precision));
        close(pr.recall, vec(e.pr.recall));
        close(pr.thresholds, vec(e.pr.thresholds));
        for (const bins of [5, 10] as const) {
          const cal = M.calibrationCurve(yTrue, score, pos, bins);
          const ref = bins === 5 ? e.calibration5 : e.calibration10;
          close(cal.probTrue, vec(ref.probTrue));
          close(cal.probPred, vec(ref.probPred));
        }
      });
    }
  });

  it('evaluateBinary agrees with the single metrics and rejects a foreign positive label', () => {
    const c = fixture.cases[0]!;
    const yTrue = Float64Array.from(c.yTrue);
    const p = matrix(yTrue.length, 2);
    c.score.forEach((s, i) => {
      p.data[2 * i] = 1 - s;
      p.data[2 * i + 1] = s;
    });
    const m = M.evaluateBinary(yTrue, p, Float64Array.of(-1, 1), 1);
    expect(m.rocAuc).toBeCloseTo(c.pos1.rocAuc, 12);
    expect(m.tp + m.fp + m.fn + m.tn).toBe(yTrue.length);
    expect(() => M.evaluateBinary(yTrue, p, Float64Array.of(-1, 1), 0)).toThrow(/Positive label/);
    expect(() => M.f1Score(yTrue, Float64Array.of(1))).toThrow(/true values/);
  });
});
