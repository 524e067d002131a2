/**
 * Host names the way the features need them: IP or name, the registrable domain from the real public
 * suffix list (tldts, ICANN section), the labels below it, and whether two hosts belong to the same site.
 *
 * @example
 *   siteOf('a.b.example.co.uk'); // 'example.co.uk'
 */
import { parse as parseDomain } from 'tldts';

export interface HostInfo {
  /** As the URL parser normalised it: IPv6 without brackets, IDN in punycode. */
  hostname: string;
  isIp: boolean;
  /** Registrable domain (e.g. example.co.uk); the address itself for IPs and hosts on no known suffix. */
  site: string;
  publicSuffix: string | null;
  /** Labels left of the registrable domain. */
  subdomainLabels: string[];
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

export function hostInfo(urlHostname: string): HostInfo {
  const hostname = stripBrackets(urlHostname.toLowerCase()).replace(/\.$/, '');
  const p = parseDomain(hostname, { allowPrivateDomains: false, extractHostname: false });
  const isIp = p.isIp === true || hostname.includes(':');
  if (isIp || p.domain === null) {
    return { hostname, isIp, site: hostname, publicSuffix: isIp ? null : p.publicSuffix, subdomainLabels: [] };
  }
  const subdomainLabels = p.subdomain ? p.subdomain.split('.') : [];
  return { hostname, isIp, site: p.domain, publicSuffix: p.publicSuffix, subdomainLabels };
}

/** Site (registrable domain) of a host name; memoised because a page names the same hosts many times. */
export function siteCache(): (hostname: string) => string {
  const cache = new Map<string, string>();
  return (h) => {
    let s = cache.get(h);
    if (s === undefined) {
      s = hostInfo(h).site;
      if (cache.size < 10_000) cache.set(h, s);
    }
    return s;
  };
}
