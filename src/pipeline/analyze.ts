/**
 * Checking one URL: extract what can be computed (the URL always; the page and the fetch when a fetch
 * is allowed or HTML is given; provider features when providers answer), pick the model of the
 * profile that matches what was computed, and explain the verdict feature by feature. A fetch that
 * fails or is refused does not fail the check: the verdict falls back to the profile that was computed,
 * and the answer says why the fetch did not happen.
 *
 * @example
 *   const a = await analyzeUrl({ url: 'http://bit.ly/x', fetch: false }, { models });
 *   a.profile.name; // 'url'
 */
import { isNsError, NsError } from '../core/errors.js';
import { matrix } from '../core/matrix.js';
import { sha256 } from '../core/hash.js';
import {
  EXTERNAL_FEATURES, FETCH_FEATURES, PAGE_FEATURES, UNREPRODUCIBLE_FEATURES, URL_FEATURES, extractFeatures, parseTarget,
  profileByName, type FeatureValues, type Observation, type ProfileName,
} from '../data/url-features/index.js';
import type { ArtifactStore, FeatureProvider, FetchedPage, ModelVersion, PageFetcher } from '../ports/index.js';
import { Predictor } from './predictor.js';
import { RunArtifacts } from './run-artifacts.js';
import { PROFILES_ARTIFACT, type ProfileResult } from './stages/profiles.js';

/** Largest HTML accepted from a caller (the fetcher has its own byte cap). */
export const MAX_HTML_CHARS = 5 * 1024 * 1024;

export interface ProfileModel { result: ProfileResult; predictor: Predictor }
export interface ProfileModels { version: number; byName: Map<ProfileName, ProfileModel> }

export interface AnalyzeRequest { url: string; html?: string; fetch?: boolean }

export interface AnalyzeDeps {
  models: ProfileModels;
  fetcher?: PageFetcher;
  providers?: readonly FeatureProvider[];
  now?: Date;
  signal?: AbortSignal;
}

export type FeatureGroup = 'url' | 'page' | 'fetch' | 'external';

export interface FeatureReport {
  name: string;
  group: FeatureGroup;
  /** null: not checked. */
  value: -1 | 0 | 1 | null;
  /** Used by the verdict's model (in its profile). */
  used: boolean;
  /** Push towards phishing (> 0) or legitimate (< 0) in the model's explanation; null when not available. */
  push: number | null;
}

export interface Analysis {
  url: string;
  prediction: 'phishing' | 'legitimate';
  label: -1 | 1;
  phishingProbability: number;
  modelVersion: number;
  modelKind: string;
  profile: { name: ProfileName; features: number; testF1: number; cvF1: number };
  /** Every profile model of the champion with its test F1, so a user sees what each verdict is worth. */
  profiles: { name: ProfileName; features: number; testF1: number }[];
  fetch: { status: number; finalUrl: string; redirects: number; chain: string[]; truncated: boolean; tls: { trusted: boolean; validFrom: string } | null } | { error: { code: string; message: string } } | null;
  features: FeatureReport[];
}

const groupOf = new Map<string, FeatureGroup>([
  ...[...URL_FEATURES, ...UNREPRODUCIBLE_FEATURES].map((f) => [f, 'url'] as const), ...PAGE_FEATURES.map((f) => [f, 'page'] as const),
  ...FETCH_FEATURES.map((f) => [f, 'fetch'] as const), ...EXTERNAL_FEATURES.map((f) => [f, 'external'] as const),
]);

/** The per-profile models of a registered version's run; null for runs trained before profiles existed. */
export async function loadProfileModels(artifacts: ArtifactStore, mv: ModelVersion, schemaHash: string): Promise<ProfileModels | null> {
  const key = RunArtifacts.key(mv.runId, PROFILES_ARTIFACT);
  if (!(await artifacts.exists(key))) return null;
  const { profiles } = JSON.parse(new TextDecoder().decode(await artifacts.get(key))) as { profiles: ProfileResult[] };
  const byName = new Map<ProfileName, ProfileModel>();
  for (const result of profiles) {
    const bytes = await artifacts.get(result.bundleKey);
    if (sha256(bytes) !== result.bundleSha256) {
      throw new NsError('BUNDLE_CHECKSUM', `The ${result.name} profile model of v${mv.version} does not match its recorded sha256.`, { kind: 'state', hint: 'Retrain (networksecurity train --from train) or roll back.' });
    }
    byName.set(result.name, { result, predictor: Predictor.fromBundle(bytes, { version: mv.version, schemaHash }) });
  }
  return { version: mv.version, byName };
}

function fetchSummary(page: FetchedPage): Analysis['fetch'] {
  return {
    status: page.status, finalUrl: page.finalUrl.href, redirects: page.redirects, chain: page.chain, truncated: page.truncated,
    tls: page.tls ? { trusted: page.tls.trusted, validFrom: Number.isNaN(page.tls.validFrom.getTime()) ? '' : page.tls.validFrom.toISOString() } : null,
  };
}

/**
 * The profile's model, or the URL-only one when the profile has none; a model that takes a feature
 * nothing computed (a champion trained when its profile still held Prefix_Suffix) is never fed a guess.
 */
function pickModel(models: ProfileModels, profile: ProfileName, values: FeatureValues): ProfileModel {
  const model = models.byName.get(profile) ?? models.byName.get('url');
  if (!model) throw new NsError('NO_PROFILE_MODEL', 'The champion has no model for URL checks.', { kind: 'state', hint: 'Retrain (networksecurity train) so the run trains the profile models.' });
  const missing = model.predictor.featureNames.filter((f) => values[f] === undefined);
  if (missing.length > 0) {
    throw new NsError('NO_PROFILE_MODEL', `The champion's ${model.result.name} model takes ${missing.join(', ')}, which URL checks do not compute.`, {
      kind: 'state', hint: 'Retrain (networksecurity train): new runs train the profile models without it.',
    });
  }
  return model;
}

export async function analyzeUrl(req: AnalyzeRequest, deps: AnalyzeDeps): Promise<Analysis> {
  const target = parseTarget(req.url);
  if (req.html !== undefined && req.html.length > MAX_HTML_CHARS) {
    throw new NsError('HTML_TOO_LARGE', `The HTML has ${req.html.length} characters; at most ${MAX_HTML_CHARS} are accepted.`, { kind: 'limit', hint: 'Send the page without inlined data.' });
  }
  const obs: Observation = { target, ...(deps.now ? { now: deps.now } : {}) };
  let fetchInfo: Analysis['fetch'] = null;
  const wantFetch = req.fetch !== false && req.html === undefined;
  if (wantFetch) {
    if (!deps.fetcher) throw new NsError('FETCH_UNAVAILABLE', 'Fetching pages is not available here.', { kind: 'config', hint: 'Analyse without fetching (--no-fetch / "fetch": false) or give the HTML.' });
    try {
      const page = await deps.fetcher.fetch(target.url, deps.signal);
      obs.fetch = { finalUrl: page.finalUrl, redirects: page.redirects, tls: page.tls };
      if (page.html !== null) obs.page = { html: page.html, url: page.finalUrl };
      fetchInfo = fetchSummary(page);
    } catch (e) {
      if (!isNsError(e)) throw e;
      fetchInfo = { error: { code: e.code, message: e.message } };
    }
  } else if (req.html !== undefined) {
    obs.page = { html: req.html, url: target.url };
  }
  if (deps.providers?.length) {
    const provided: FeatureValues = {};
    for (const p of deps.providers) {
      const got = await p.provide(target.url, deps.signal);
      for (const f of p.features) if (got[f] !== undefined) provided[f] = got[f];
    }
    obs.provided = provided;
  }
  const ex = extractFeatures(obs);
  const model = pickModel(deps.models, ex.profile.name, ex.values);
  const names = model.predictor.featureNames;
  const X = matrix(1, names.length, Float64Array.from(names, (f) => ex.values[f] ?? NaN));
  const { label, probPhishing } = model.predictor.predict(X);
  const contrib = model.predictor.contributions(X);
  const pushOf = new Map(names.map((f, j) => [f, contrib ? contrib.values.data[j]! : null]));
  const lab = label[0] === -1 ? -1 : 1;
  return {
    url: target.url.href,
    prediction: lab === -1 ? 'phishing' : 'legitimate',
    label: lab,
    phishingProbability: probPhishing[0]!,
    modelVersion: deps.models.version,
    modelKind: model.predictor.kind,
    profile: { name: model.result.name, features: names.length, testF1: model.result.test.f1Phishing, cvF1: model.result.cv.f1 },
    profiles: [...deps.models.byName.values()].map((m) => ({ name: m.result.name, features: m.result.features.length, testF1: m.result.test.f1Phishing })),
    fetch: fetchInfo,
    features: profileByName('all').features.map((name) => ({
      name, group: groupOf.get(name)!, value: ex.values[name] ?? null, used: pushOf.has(name), push: pushOf.get(name) ?? null,
    })),
  };
}
