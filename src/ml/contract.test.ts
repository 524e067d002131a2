// Runs the shared contract (contract.ts) against every classifier of both catalogs and every
// transformer, so each model family is checked the same way as soon as it is registered.
import { describe, expect, it } from 'vitest';
import { otherClassifiers, transformers } from './catalog-others.js';
import { treeClassifiers } from './catalog-trees.js';
import { classifierChecks, contractData, transformerChecks } from './contract.js';
import { logisticRegression } from './linear/logistic.js';

describe.each([...treeClassifiers, ...otherClassifiers].map((f) => [f.kind, f] as const))('classifier %s', (_kind, factory) => {
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

  it('makes both classes appear in the synthetic data', () => {
    const { y } = contractData();
    expect(new Set(y)).toEqual(new Set([-1, 1]));
  });
});
