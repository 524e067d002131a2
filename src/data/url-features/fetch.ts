/**
 * The two features read from the fetch itself: the TLS certificate of the final page and the number
 * of redirects followed. The fetch is done by an adapter; this only classifies what it saw.
 *
 * @example
 *   fetchFeatures({ finalUrl: new URL('https://a.com/'), redirects: 0, tls: { trusted: true, validFrom: new Date('2020-01-01') } }, new Date()).SSLfinal_State; // 1
 */
import type { FeatureValue } from './feature-sets.js';

export interface FetchObservation {
  finalUrl: URL;
  /** Redirects followed to reach finalUrl. */
  redirects: number;
  /** TLS of the final connection; null for plain http. */
  tls: { trusted: boolean; validFrom: Date } | null;
}

export interface FetchFeatures {
  SSLfinal_State: FeatureValue;
  Redirect: FeatureValue;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * SSLfinal_State: https with a trusted issuer and a certificate at least a year old → 1; https with an
 * untrusted issuer → 0; anything else → -1. Redirect: the data holds only 0 and 1 and 0 is the common
 * value (88%), so 0 stands for "at most one redirect" and 1 for more (docs/url-features.md).
 */
export function fetchFeatures(seen: FetchObservation, now: Date): FetchFeatures {
  let ssl: FeatureValue = -1;
  if (seen.finalUrl.protocol === 'https:' && seen.tls) {
    if (!seen.tls.trusted) ssl = 0;
    else if (now.getTime() - seen.tls.validFrom.getTime() >= YEAR_MS) ssl = 1;
  }
  return { SSLfinal_State: ssl, Redirect: seen.redirects <= 1 ? 0 : 1 };
}
