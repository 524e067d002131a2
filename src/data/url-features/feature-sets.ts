/**
 * Which of the 30 features can be computed from what: the URL alone, the page's HTML, the fetch
 * (redirects and TLS), or only from outside services (WHOIS, DNS, rank, index, blocklists). A feature
 * *profile* is a set of features a model is trained on; a verdict uses the model of the largest profile
 * whose features were all actually computed, so an unknown feature is never filled in with a guess.
 *
 * @example
 *   profileFor(new Set(URL_FEATURES)); // 'url'
 */

/** A feature value in the data set's coding. */
export type FeatureValue = -1 | 0 | 1;
/** Computed features by schema name; a missing key means "not checked". */
export type FeatureValues = Partial<Record<string, FeatureValue>>;

export const URL_FEATURES = [
  'having_IP_Address', 'URL_Length', 'Shortining_Service', 'having_At_Symbol', 'double_slash_redirecting',
  'having_Sub_Domain', 'HTTPS_token',
] as const;
/**
 * Defined on the address, but the data set's coding cannot be reproduced from it, so nothing here
 * computes it and no URL-check model uses it. Prefix_Suffix: the paper's "no '-' in the domain" value 1
 * is held by 13% of rows, every one of them legitimate; a host without a dash is the common case, so
 * emitting 1 for it would tell the model "certainly legitimate" for almost every address
 * (docs/url-features.md; coding.test.ts).
 */
export const UNREPRODUCIBLE_FEATURES = ['Prefix_Suffix'] as const;
export const PAGE_FEATURES = [
  'Favicon', 'Request_URL', 'URL_of_Anchor', 'Links_in_tags', 'SFH', 'Submitting_to_email', 'on_mouseover',
  'RightClick', 'popUpWidnow', 'Iframe',
] as const;
export const FETCH_FEATURES = ['SSLfinal_State', 'Redirect'] as const;
/** Need services outside the URL, the page and the connection; only a provider can supply them. */
export const EXTERNAL_FEATURES = [
  'Domain_registeration_length', 'port', 'Abnormal_URL', 'age_of_domain', 'DNSRecord', 'web_traffic', 'Page_Rank',
  'Google_Index', 'Links_pointing_to_page', 'Statistical_report',
] as const;

export type ProfileName = 'all' | 'url_page_fetch' | 'url';

export interface FeatureProfile {
  name: ProfileName;
  label: string;
  features: readonly string[];
}

/** Largest first: profileFor takes the first one fully computed. */
export const PROFILES: readonly FeatureProfile[] = [
  { name: 'all', label: 'all 30 features', features: [...URL_FEATURES, ...UNREPRODUCIBLE_FEATURES, ...PAGE_FEATURES, ...FETCH_FEATURES, ...EXTERNAL_FEATURES] },
  { name: 'url_page_fetch', label: 'URL + page + fetch (19 features)', features: [...URL_FEATURES, ...PAGE_FEATURES, ...FETCH_FEATURES] },
  { name: 'url', label: 'URL only (7 features)', features: [...URL_FEATURES] },
];

export function profileByName(name: ProfileName): FeatureProfile {
  return PROFILES.find((p) => p.name === name)!;
}

/** The largest profile whose every feature is in `computed`; the URL profile is always computed. */
export function profileFor(computed: ReadonlySet<string>): FeatureProfile {
  return PROFILES.find((p) => p.features.every((f) => computed.has(f))) ?? profileByName('url');
}

/** The profile's feature columns in the order of `schemaFeatures` (the order a model is trained on). */
export function profileColumns(profile: FeatureProfile, schemaFeatures: readonly string[]): number[] {
  const wanted = new Set(profile.features);
  return schemaFeatures.flatMap((f, j) => (wanted.has(f) ? [j] : []));
}
