// Runs the shared contract (contract.ts) against every classifier of both catalogs and every
// transformer, so each model family is checked the same way as soon as it is registered.
import { describe, expect, it } from 'vitest';
import { otherClassifiers, transformers } from './catalog-others.js';
import { treeClassifiers } from './catalog-trees.js';
import { classifierFactory, classifierFromState } from './catalog.js';
import { classifierChecks, contractData, quickParams, transformerChecks } from './contract.js';
import { votingFactory, type VotingParams } from './ensemble/voting.js';
import type { ClassifierFactory } from './estimator.js';
import { logisticRegression } from './linear/logistic.js';

// The soft-voting ensemble (the default preset's usual champion) with members that mix log-odds
// (boosting, logistic regression) and probability (forest) explanations.
const voting = votingFactory(classifierFromState);
const votingWithMembers: ClassifierFactory = {
  ...voting,
  create: (p) => voting.create((p as Partial<VotingParams> | undefined)?.members ? p : {
    members: [classifierFactory('hist_gradient_boosting').create(quickParams['hist_gradient_boosting']), classifierFactory('random_forest').create(quickParams['random_forest']), logisticRegression.create(quickParams['logistic_regression'])],
  }),
};

describe.each([...treeClassifiers, ...otherClassifiers, votingWithMembers].map((f) => [f.kind, f] as const))('classifier %s', (_kind, factory) => {
  for (const check of classifierChecks) it(check.name, () => check.run(factory));
});

describe.each(transformers.map((f) => [f.kind, f] as const))('transformer %s', (_kind, factory) => {
  for (const check of transformerChecks) it(check.name, () => check.run(factory));
});

describe('the contract itself', () => {
  it('catches a classifier whose probabilities do not sum to 1', async () => {
    const broken = {
      ...logisticRegression,
      create: (p = {}) => {
        const m = logisticRegression.create(p);
        const original = m.predictProba.bind(m);
        m.predictProba = (X) => {
          const P = original(X);
          P.data[0] = 0.99;
          P.data[1] = 0.99;
          return P;
        };
        return m;
      },
    };
    const check = classifierChecks.find((c) => c.name.startsWith('predictProba rows'))!;
    await expect(check.run(broken)).rejects.toThrow(/sum to/);
  });

  it('catches contributions that do not sum to the stated space (log-odds stated as probability)', async () => {
    const misstated = {
      ...logisticRegression,
      create: (p = {}) => {
        const m = logisticRegression.create(p);
        m.contributionSpace = () => 'probability';
        return m;
      },
    };
    const check = classifierChecks.find((c) => c.name.startsWith('contributions'))!;
    await expect(check.run(misstated)).rejects.toThrow(/contributions \(probability\) give/);
  });

  it('makes both classes appear in the synthetic data', () => {
    const { y } = contractData();
    expect(new Set(y)).toEqual(new Set([-1, 1]));
  });
});
