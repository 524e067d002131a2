import { describe, expect, it } from 'vitest';
import { encodeBundle } from '../ml/bundle.js';
import { classifierFactory } from '../ml/catalog.js';
import { contractData, quickParams } from '../ml/contract.js';
import { VotingClassifier } from '../ml/ensemble/voting.js';
import type { Classifier } from '../ml/estimator.js';
import { sigmoid } from '../ml/linear/base.js';
import { Predictor } from './predictor.js';

const data = contractData(120, 6, 11);

async function fit(kind: string): Promise<Classifier> {
  return classifierFactory(kind).create(quickParams[kind] ?? {}).fit(data.X, data.y);
}

function predictorOf(model: Classifier): Predictor {
  const bytes = encodeBundle({
    featureNames: Array.from({ length: data.X.cols }, (_, j) => `f${j}`), schemaHash: 's', trainingDataHash: 'd', metrics: {},
    libraryVersion: 'test', createdAt: '2026-01-01T00:00:00.000Z', preprocessors: [], model: model.toState(),
  });
  return Predictor.fromBundle(bytes, { version: 1 });
}

/** base + the row's contributions, per row. */
function totals(p: Predictor): number[] {
  const c = p.contributions(data.X)!;
  return Array.from(c.base, (b, i) => b + Array.from(c.values.data.subarray(i * data.X.cols, (i + 1) * data.X.cols)).reduce((a, v) => a + v, 0));
}

describe('Predictor.contributions', () => {
  it('a soft vote of boosting, forest and logistic regression explains its phishing probability exactly', async () => {
    const vote = VotingClassifier.ofFitted([await fit('hist_gradient_boosting'), await fit('random_forest'), await fit('logistic_regression')]);
    const p = predictorOf(vote);
    const { probPhishing } = p.predict(data.X);
    totals(p).forEach((t, i) => expect(t).toBeCloseTo(probPhishing[i]!, 10));
    expect(p.contributionSpace()).toBe('probability');
  });

  it('boosting explains the log-odds of phishing, a forest its probability', async () => {
    const boost = predictorOf(await fit('hist_gradient_boosting'));
    const pb = boost.predict(data.X).probPhishing;
    totals(boost).forEach((t, i) => expect(sigmoid(t)).toBeCloseTo(pb[i]!, 10));
    const forest = predictorOf(await fit('random_forest'));
    const pf = forest.predict(data.X).probPhishing;
    totals(forest).forEach((t, i) => expect(t).toBeCloseTo(pf[i]!, 10));
    // The space the UI names on the contribution chart's axis.
    expect(boost.contributionSpace()).toBe('log-odds');
    expect(forest.contributionSpace()).toBe('probability');
  });
});
