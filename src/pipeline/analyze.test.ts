import { describe, expect, it } from 'vitest';
import { fromRows } from '../core/matrix.js';
import { profileByName, type ProfileName } from '../data/url-features/index.js';
import { encodeBundle } from '../ml/bundle.js';
import { classifierFactory } from '../ml/catalog.js';
import { analyzeUrl, type ProfileModels } from './analyze.js';
import { Predictor } from './predictor.js';
import type { ProfileResult } from './stages/profiles.js';

/** A one-tree model on the named features, fitted on two rows (all -1 → phishing, all 1 → legitimate). */
async function models(name: ProfileName, features: readonly string[]): Promise<ProfileModels> {
  const X = fromRows([features.map(() => -1), features.map(() => 1)]);
  const model = await classifierFactory('decision_tree').create({}).fit(X, Float64Array.from([-1, 1]));
  const bytes = encodeBundle({
    featureNames: [...features], schemaHash: 's', trainingDataHash: 'd', metrics: {}, libraryVersion: 'test',
    createdAt: '2026-01-01T00:00:00.000Z', preprocessors: [], model: model.toState(),
  });
  const test = { f1Phishing: 0.7, f1Legit: 0.7, precision: 0.7, recall: 0.7, accuracy: 0.7, rocAuc: 0.7, confusion: [[1, 0], [0, 1]] as [[number, number], [number, number]] };
  const result: ProfileResult = {
    name, features: [...features], kind: 'decision_tree', params: {}, cv: { f1: 0.7, f1Std: 0 }, test, testVectorsSeenInTraining: 0, bundleKey: 'k', bundleSha256: 'h',
  };
  return { version: 1, byName: new Map([[name, { result, predictor: Predictor.fromBundle(bytes, { version: 1 }) }]]) };
}

describe('analyzeUrl', () => {
  it('answers with the URL-only model and reports Prefix_Suffix as not checked', async () => {
    const a = await analyzeUrl({ url: 'http://pay-pal.example.com/login', fetch: false }, { models: await models('url', profileByName('url').features) });
    expect(a.profile).toMatchObject({ name: 'url', features: 7 });
    expect(a.features).toHaveLength(30);
    expect(a.features.find((f) => f.name === 'Prefix_Suffix')).toEqual({ name: 'Prefix_Suffix', group: 'url', value: null, used: false, push: null });
  });

  it('refuses a model that takes a feature URL checks do not compute, instead of imputing it', async () => {
    const old = await models('url', [...profileByName('url').features, 'Prefix_Suffix']);
    const check = analyzeUrl({ url: 'http://example.com/', fetch: false }, { models: old });
    await expect(check).rejects.toMatchObject({ code: 'NO_PROFILE_MODEL' });
    await expect(check).rejects.toThrow(/takes Prefix_Suffix, which URL checks do not compute/);
  });
});
