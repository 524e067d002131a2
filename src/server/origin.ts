/**
 * Cross-site request checks, run on every request before routing (an `onRequest` hook):
 *
 * - DNS rebinding: the `Host` header must name this server — an IP literal, `localhost` (or
 *   `*.localhost`), or one of the configured names (NS_ALLOWED_HOSTS, plus the NS_HOST / --host name).
 *   A rebinding page reaches the server under the attacker's domain name, which is none of those; an
 *   IP literal cannot be rebound. `*` in the list turns the check off (behind a proxy that checks it).
 * - Cross-site writes: a request that is not GET/HEAD/OPTIONS is refused when the browser says it
 *   comes from another site (`Sec-Fetch-Site` other than same-origin or none) or from another origin
 *   (`Origin` not equal to the scheme-less `Host`). Clients that are not browsers send neither header
 *   and are not affected; browsers on other origins cannot read our answers anyway (no CORS headers).
 *
 * @example
 *   app.addHook('onRequest', crossSiteGuard(['phish.example.org']));
 */
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { NsError } from '../core/errors.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const sameSite = new Set(['same-origin', 'none']);

/** The host name of a Host header value (port and IPv6 brackets removed, lower case). */
export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'));
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/** True when `hostHeader` names this server under the given extra names. */
export function hostAllowed(hostHeader: string, allowedHosts: readonly string[]): boolean {
  const name = hostName(hostHeader);
  if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true;
  return allowedHosts.some((a) => a === '*' || a.toLowerCase() === name);
}

/** The names of NS_ALLOWED_HOSTS (comma-separated) plus the listen host when it is a name. */
export function allowedHostNames(list: string | undefined, listenHost?: string): string[] {
  const names = (list ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (listenHost !== undefined && listenHost !== '' && isIP(listenHost) === 0) names.push(listenHost.toLowerCase());
  return names;
}

/** "name:port" of a Host header (port 80 when absent: the server speaks plain HTTP). */
function hostAuthority(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  const port = /:(\d+)$/.exec(h.startsWith('[') ? h.slice(h.indexOf(']') + 1) : h)?.[1] ?? '80';
  return `${hostName(h)}:${port}`;
}

/** "name:port" of an Origin header, undefined when it is not a URL (e.g. "null"). */
function originAuthority(origin: string): string | undefined {
  try {
    const u = new URL(origin);
    const name = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    return `${name.toLowerCase()}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return undefined;
  }
}

function crossSite(message: string): NsError {
  return new NsError('CROSS_SITE_REQUEST', message, {
    kind: 'auth', httpStatus: 403, hint: 'Send changes from this server\'s own web UI, or from a client that is not a browser page of another site.',
  });
}

/** Builds the onRequest hook; see the module comment. */
export function crossSiteGuard(allowedHosts: readonly string[]): (request: FastifyRequest) => Promise<void> {
  return (request) => {
    const host = request.headers.host;
    if (host !== undefined && !hostAllowed(host, allowedHosts)) {
      return Promise.reject(new NsError('HOST_NOT_ALLOWED', `This server does not answer to the host name ${hostName(host)}.`, {
        kind: 'auth', httpStatus: 403, hint: 'Use the server\'s address, or add the name to NS_ALLOWED_HOSTS (comma-separated) on the server.',
      }));
    }
    if (safeMethods.has(request.method)) return Promise.resolve();
    const site = request.headers['sec-fetch-site'];
    if (typeof site === 'string' && !sameSite.has(site.toLowerCase())) return Promise.reject(crossSite(`A ${site} browser request may not change or use this server.`));
    const origin = request.headers.origin;
    if (typeof origin === 'string') {
      if (host === undefined || originAuthority(origin) !== hostAuthority(host)) {
        return Promise.reject(crossSite(`Requests from the page origin ${origin} may not change or use this server.`));
      }
    }
    return Promise.resolve();
  };
}
