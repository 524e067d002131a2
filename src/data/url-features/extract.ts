/**
 * Everything known about one address, from what was actually observed: the URL always, the page when
 * HTML was fetched or given, the fetch when one happened, and whatever providers answered. Features
 * nobody computed stay absent ("not checked"); the profile says which model may judge them.
 *
 * @example
 *   const a = extractFeatures({ target: parseTarget('http://bit.ly/x') });
 *   a.profile.name; // 'url'
 */
import { profileFor, type FeatureProfile, type FeatureValues } from './feature-sets.js';
import { fetchFeatures, type FetchObservation } from './fetch.js';
import { pageAnalysis, type PageCounts } from './page.js';
import type { Target } from './target.js';
import { urlFeatures } from './url.js';

export interface Observation {
  target: Target;
  /** The page's HTML and the URL it came from (the final URL after redirects, or the target). */
  page?: { html: string; url: URL };
  fetch?: FetchObservation;
  /** Values from external providers (WHOIS, DNS, rank …); only features they really checked. */
  provided?: FeatureValues;
  now?: Date;
}

export interface Extraction {
  values: FeatureValues;
  profile: FeatureProfile;
  pageCounts: PageCounts | null;
}

export function extractFeatures(obs: Observation): Extraction {
  const values: FeatureValues = { ...obs.provided, ...urlFeatures(obs.target) };
  let pageCounts: PageCounts | null = null;
  if (obs.page) {
    const a = pageAnalysis(obs.page.html, obs.page.url);
    Object.assign(values, a.features);
    pageCounts = a.counts;
  }
  if (obs.fetch) Object.assign(values, fetchFeatures(obs.fetch, obs.now ?? new Date()));
  return { values, profile: profileFor(new Set(Object.keys(values))), pageCounts };
}
