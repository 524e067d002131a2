import { describe, expect, it } from 'vitest';
import { fromRows } from '../core/matrix.js';
import { EXTERNAL_FEATURES, profileByName, type FeatureValues, type ProfileName } from '../data/url-features/index.js';
import { encodeBundle } from '../ml/bundle.js';
import { classifierFactory } from '../ml/catalog.js';
import type { FeatureProvider, PageFetcher } from '../ports/index.js';
import { analyzeUrl, type ProfileModel, type ProfileModels } from './analyze.js';
import { Predictor } from './predictor.js';
import type { ProfileResult } from './stages/profiles.js';

/** A one-tree model on the named features, fitted on two rows (all -1 → phishing, all 1 → legitimate). */
async function model(name: ProfileName, features: readonly string[]): Promise<ProfileModel> {
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
  return { result, predictor: Predictor.fromBundle(bytes, { version: 1 }) };
}

async function models(name: ProfileName, features: readonly string[]): Promise<ProfileModels> {
  return { version: 1, byName: new Map([[name, await model(name, features)]]) };
}

/** All three profiles' models, as a run trains them. */
async function everyProfile(): Promise<ProfileModels> {
  const byName = new Map<ProfileName, ProfileModel>();
  for (const n of ['all', 'url_page_fetch', 'url'] as const) byName.set(n, await model(n, profileByName(n).features));
  return { version: 1, byName };
}

/** A fetch that saw the plain page over http, without redirects. */
const fetcher: PageFetcher = {
  fetch: async (url) => {
    await Promise.resolve();
    return { finalUrl: url, chain: [url.href], redirects: 0, status: 200, contentType: 'text/html', html: '<a href="/about">about</a>', truncated: false, tls: null };
  },
};

/** A provider answering `values` for the features it names (an unnamed one it answers anyway is ignored). */
const provider = (features: readonly string[], values: FeatureValues): FeatureProvider => ({
  name: 'test', features, provide: async () => { await Promise.resolve(); return values; },
});

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

  it('uses the largest profile that was fully computed: providers answering some external features do not make it "all"', async () => {
    const half = EXTERNAL_FEATURES.slice(0, 5);
    const a = await analyzeUrl({ url: 'http://example.com/' }, {
      models: await everyProfile(), fetcher, providers: [provider(half, { ...Object.fromEntries(half.map((f) => [f, -1])), Prefix_Suffix: -1 })],
    });
    expect(a.profile).toMatchObject({ name: 'url_page_fetch', features: 19 });
    const ext = a.features.filter((f) => f.group === 'external');
    expect(ext.filter((f) => f.value === -1).map((f) => f.name)).toEqual(half);
    expect(ext.every((f) => !f.used)).toBe(true);
    // Prefix_Suffix is not in the provider's list, so its answer for it is ignored.
    expect(a.features.find((f) => f.name === 'Prefix_Suffix')!.value).toBeNull();
  });

  it('answers with the all-30 model when providers supply every feature the extractors do not compute', async () => {
    const names = [...EXTERNAL_FEATURES, 'Prefix_Suffix'];
    const a = await analyzeUrl({ url: 'http://example.com/' }, {
      models: await everyProfile(), fetcher, providers: [provider(names, Object.fromEntries(names.map((f) => [f, 1])))],
    });
    expect(a.profile).toMatchObject({ name: 'all', features: 30 });
    expect(a.features.every((f) => f.value !== null && f.used)).toBe(true);
  });
});
