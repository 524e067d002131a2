/**
 * Test metrics of the pipeline with phishing (Result = -1) as the positive class, plus F1 with
 * Result = 1 positive (the original project's definition) so the two can be compared.
 */
import type { Matrix } from '../core/matrix.js';
import type { Classifier } from '../ml/estimator.js';
import { confusionMatrix, f1GroupBootstrap, f1Score, precisionRecallCurve, precisionScore, recallScore, accuracyScore, rocAucScore, rocCurve } from '../ml/metrics/index.js';
import type { TestMetrics } from './types.js';

const PHISHING = -1;
const LEGIT = 1;

export function f1Phishing(yTrue: Float64Array, yPred: Float64Array): number {
  return f1Score(yTrue, yPred, PHISHING);
}

/** Probability of phishing per row from a classifier. */
export function phishingScores(model: Classifier, X: Matrix): Float64Array {
  const proba = model.predictProba(X);
  const col = Array.from(model.classes).indexOf(PHISHING);
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) out[i] = proba.data[i * proba.cols + col]!;
  return out;
}

/**
 * The test metrics of one model. With `interval.groups` (featureVectorGroups of the test rows) they also carry the
 * 95% group-bootstrap interval of the phishing F1 (f1GroupBootstrap, 1,000 resamples, seeded by `interval.seed`).
 */
export function testMetrics(yTrue: Float64Array, pred: { label: Float64Array; probPhishing: Float64Array }, interval?: { groups: Int32Array; seed: number }): TestMetrics {
  const cm = confusionMatrix(yTrue, pred.label, [LEGIT, PHISHING]).counts;
  const ci = interval && f1GroupBootstrap(yTrue, pred.label, interval.groups, PHISHING, { seed: interval.seed });
  return {
    f1Phishing: f1Score(yTrue, pred.label, PHISHING),
    f1Legit: f1Score(yTrue, pred.label, LEGIT),
    precision: precisionScore(yTrue, pred.label, PHISHING),
    recall: recallScore(yTrue, pred.label, PHISHING),
    accuracy: accuracyScore(yTrue, pred.label),
    rocAuc: rocAucScore(yTrue, pred.probPhishing, PHISHING),
    confusion: [[cm[0]![0]!, cm[0]![1]!], [cm[1]![0]!, cm[1]![1]!]],
    ...(ci ? { f1PhishingInterval: { low: ci.low, high: ci.high, level: ci.level } } : {}),
  };
}

/** " (95% interval 0.9462–0.9621)" for metrics that carry the F1 interval, else "". */
export function intervalText(t: TestMetrics): string {
  const ci = t.f1PhishingInterval;
  return ci ? ` (${Math.round(ci.level * 100)}% interval ${ci.low.toFixed(4)}–${ci.high.toFixed(4)})` : '';
}

/** ROC and precision–recall points, thinned to at most ~200 points each for the UI. */
export function curves(yTrue: Float64Array, probPhishing: Float64Array): { roc: { fpr: number[]; tpr: number[] }; pr: { precision: number[]; recall: number[] } } {
  const roc = rocCurve(yTrue, probPhishing, PHISHING);
  const pr = precisionRecallCurve(yTrue, probPhishing, PHISHING);
  const thin = (a: ArrayLike<number>, n: number): number[] => {
    const step = Math.max(1, Math.ceil(a.length / n));
    const out: number[] = [];
    for (let i = 0; i < a.length; i += step) out.push(Math.round(a[i]! * 1e4) / 1e4);
    if (a.length > 0 && (a.length - 1) % step !== 0) out.push(Math.round(a[a.length - 1]! * 1e4) / 1e4);
    return out;
  };
  return { roc: { fpr: thin(roc.fpr, 200), tpr: thin(roc.tpr, 200) }, pr: { precision: thin(pr.precision, 200), recall: thin(pr.recall, 200) } };
}
