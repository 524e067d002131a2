import { describe, expect, it } from 'vitest';
import { fetchFeatures } from './fetch.js';

const now = new Date('2026-06-01T00:00:00Z');
const https = new URL('https://example.com/');

describe('fetchFeatures', () => {
  it('codes TLS: trusted and a year old → 1, untrusted → 0, young or plain http → -1', () => {
    expect(fetchFeatures({ finalUrl: https, redirects: 0, tls: { trusted: true, validFrom: new Date('2025-01-01') } }, now).SSLfinal_State).toBe(1);
    expect(fetchFeatures({ finalUrl: https, redirects: 0, tls: { trusted: false, validFrom: new Date('2020-01-01') } }, now).SSLfinal_State).toBe(0);
    expect(fetchFeatures({ finalUrl: https, redirects: 0, tls: { trusted: true, validFrom: new Date('2026-04-01') } }, now).SSLfinal_State).toBe(-1);
    expect(fetchFeatures({ finalUrl: new URL('http://example.com/'), redirects: 0, tls: null }, now).SSLfinal_State).toBe(-1);
  });
  it('codes redirects: at most one → 0, more → 1', () => {
    const r = (n: number) => fetchFeatures({ finalUrl: https, redirects: n, tls: null }, now).Redirect;
    expect([r(0), r(1), r(2), r(4)]).toEqual([0, 0, 1, 1]);
  });
});
