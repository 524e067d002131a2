import { describe, expect, it } from 'vitest';
import { matrix, takeRows, type Matrix } from '../core/matrix.js';
import { encodeBundle } from '../ml/bundle.js';
import { classifierFactory } from '../ml/catalog.js';
import { contractData, quickParams } from '../ml/contract.js';
import { Predictor } from '../pipeline/predictor.js';
import { BatchScorer } from './batch-scorer.js';
import type { ScoringModel } from './deps.js';
import { fakeModel } from './fake-deps.test-helpers.js';

/** A model that records the row count of every predict call (and fails on a row holding 7). */
function recording(version: number): ScoringModel & { calls: number[] } {
  const inner = fakeModel(version);
  const calls: number[] = [];
  return {
    ...inner,
    calls,
    predict(X) {
      calls.push(X.rows);
      if (X.data.includes(7)) throw new Error('a row holds 7');
      return inner.predict(X);
    },
  };
}

const p = 30;
const rowsOf = (n: number, seed: number): Matrix => {
  const X = matrix(n, p);
  for (let i = 0; i < X.data.length; i++) X.data[i] = ((i * 7 + seed * 13) % 3) - 1;
  return X;
};

describe('BatchScorer', () => {
  it('scores requests that arrive together in one call and hands each its own rows', async () => {
    const model = recording(1);
    const observed: number[] = [];
    const batcher = new BatchScorer((labels) => observed.push(labels.length));
    const inputs = [rowsOf(1, 1), rowsOf(3, 2), rowsOf(1, 3)];
    const outs = await Promise.all(inputs.map((X) => batcher.score(model, X)));
    expect(model.calls).toEqual([5]);
    expect(observed).toEqual([5]);
    outs.forEach((o, k) => {
      const alone = fakeModel(1).predict(inputs[k]!);
      expect(Array.from(o.label)).toEqual(Array.from(alone.label));
      expect(Array.from(o.probPhishing)).toEqual(Array.from(alone.probPhishing));
    });
    expect(batcher.stats).toEqual({ batches: 1, requests: 3 });
  });

  it('keeps each request on the model it read: two models, two calls', async () => {
    const a = recording(1);
    const b = recording(2);
    const batcher = new BatchScorer(() => undefined);
    await Promise.all([batcher.score(a, rowsOf(1, 1)), batcher.score(b, rowsOf(2, 2)), batcher.score(a, rowsOf(1, 3))]);
    expect(a.calls).toEqual([2]);
    expect(b.calls).toEqual([2]);
  });

  it('gives a failing batch\'s error only to the request at fault', async () => {
    const model = recording(1);
    const bad = rowsOf(1, 1);
    bad.data[4] = 7;
    const batcher = new BatchScorer(() => undefined);
    const results = await Promise.allSettled([batcher.score(model, rowsOf(1, 2)), batcher.score(model, bad), batcher.score(model, rowsOf(2, 3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect(model.calls).toEqual([4, 1, 1, 2]);
  });

  it('starts a new batch for requests that come after the last one was scored', async () => {
    const model = recording(1);
    const batcher = new BatchScorer(() => undefined);
    await batcher.score(model, rowsOf(1, 1));
    await batcher.score(model, rowsOf(1, 2));
    expect(model.calls).toEqual([1, 1]);
  });

  it.each(['hist_gradient_boosting', 'random_forest'])('answers each row of a real %s exactly as scoring it alone', async (kind) => {
    const data = contractData(200, p, 5);
    const fitted = await classifierFactory(kind).create(quickParams[kind] ?? {}).fit(data.X, data.y);
    const bytes = encodeBundle({
      featureNames: Array.from({ length: p }, (_, j) => `f${j}`), schemaHash: 's', trainingDataHash: 'd', metrics: {},
      libraryVersion: 'test', createdAt: '2026-01-01T00:00:00.000Z', preprocessors: [], model: fitted.toState(),
    });
    const predictor = Predictor.fromBundle(bytes, { version: 1 });
    const batcher = new BatchScorer(() => undefined);
    const singles = Array.from({ length: 40 }, (_, i) => takeRows(data.X, [i]));
    const outs = await Promise.all(singles.map((X) => batcher.score(predictor, X)));
    expect(batcher.stats.batches).toBe(1);
    outs.forEach((o, i) => {
      const alone = predictor.predict(singles[i]!);
      expect(o.probPhishing[0]).toBe(alone.probPhishing[0]);
      expect(o.label[0]).toBe(alone.label[0]);
    });
  });
});
