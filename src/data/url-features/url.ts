/**
 * The seven features computed from the address alone (FEATURES.md rules, in the data set's coding:
 * docs/url-features.md shows the measured coding). Prefix_Suffix is not among them: its coding cannot
 * be reproduced (UNREPRODUCIBLE_FEATURES). Pure and cheap: no network, no DNS.
 *
 * @example
 *   urlFeatures(parseTarget('http://192.168.0.1/paypal/login')).having_IP_Address; // -1
 */
import type { FeatureValue } from './feature-sets.js';
import { hostInfo, type HostInfo } from './host.js';
import { SHORTENER_DOMAINS } from './shorteners.js';
import type { Target } from './target.js';

export interface UrlFeatures {
  having_IP_Address: FeatureValue;
  URL_Length: FeatureValue;
  Shortining_Service: FeatureValue;
  having_At_Symbol: FeatureValue;
  double_slash_redirecting: FeatureValue;
  having_Sub_Domain: FeatureValue;
  HTTPS_token: FeatureValue;
}

export function urlLength(raw: string): FeatureValue {
  if (raw.length < 54) return 1;
  return raw.length <= 75 ? 0 : -1;
}

/** "//" after the scheme's own: index 6 is the second slash of "https://". */
export function doubleSlash(raw: string): FeatureValue {
  return raw.lastIndexOf('//') > 6 ? -1 : 1;
}

/**
 * Sub-domains below the registrable domain, "www" not counted: none → 1, one → 0, more → -1. The
 * paper counts dots after removing "www." and the country code, which leaves one dot for a bare
 * domain; counting labels below the real public suffix gives the same classes for every suffix.
 * An IP address has three dots → -1.
 */
export function subDomains(host: HostInfo): FeatureValue {
  if (host.isIp) return -1;
  const labels = host.subdomainLabels[0] === 'www' ? host.subdomainLabels.slice(1) : host.subdomainLabels;
  if (labels.length === 0) return 1;
  return labels.length === 1 ? 0 : -1;
}

export function urlFeaturesOfHost(raw: string, host: HostInfo): UrlFeatures {
  return {
    having_IP_Address: host.isIp ? -1 : 1,
    URL_Length: urlLength(raw),
    Shortining_Service: SHORTENER_DOMAINS.has(host.site) ? -1 : 1,
    having_At_Symbol: raw.includes('@') ? -1 : 1,
    double_slash_redirecting: doubleSlash(raw),
    having_Sub_Domain: subDomains(host),
    HTTPS_token: host.hostname.includes('http') ? -1 : 1,
  };
}

export function urlFeatures(target: Target): UrlFeatures {
  return urlFeaturesOfHost(target.raw, hostInfo(target.url.hostname));
}
