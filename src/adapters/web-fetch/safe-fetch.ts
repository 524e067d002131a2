/**
 * The page fetcher for user-given URLs. Every hop: http/https only; the host resolved once (or taken
 * as an IP literal), every resolved address checked by the address policy, and the connection pinned
 * to the checked address (no second DNS answer can move it); a redirect is a new hop, checked the same
 * way, at most `maxRedirects` of them. No cookies are sent or kept, no credentials from the URL are
 * used, no compression is accepted (no decompression bombs), the body is cut at `maxBytes`, and the
 * whole fetch has one deadline. TLS is accepted either way but reported: whether Node's CA store trusts
 * the certificate, and since when it is valid.
 *
 * @example
 *   const fetcher = safeFetcher({ allow: [] });
 *   const page = await fetcher.fetch(new URL('https://example.com/'));
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { NsError } from '../../core/errors.js';
import type { FetchedPage, PageFetcher } from '../../ports/page-fetcher.js';
import { addressPolicy } from './address-policy.js';

export interface ResolvedAddress { address: string; family: 4 | 6 }
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeFetchOptions {
  /** CIDRs that may be reached although not public (tests: their 127.0.0.1 fixture site). */
  allow?: readonly string[];
  /** DNS resolution; default: the system resolver, all addresses. */
  resolve?: Resolver;
  /** Deadline for the whole fetch, redirects included (ms). */
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
}

export const FETCH_DEFAULTS = { timeoutMs: 10_000, maxBytes: 2 * 1024 * 1024, maxRedirects: 10, userAgent: 'networksecurity-url-check/0.1 (phishing analysis; +https://github.com/)' } as const;

const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

const blocked = (url: string, why: string): NsError =>
  new NsError('FETCH_BLOCKED', `Fetching ${url} is not allowed: ${why}.`, { kind: 'input', httpStatus: 422, hint: 'Only public http(s) sites can be fetched; analyse the URL without fetching (--no-fetch / "fetch": false).' });
const failed = (url: string, why: string, status = 502): NsError =>
  new NsError('FETCH_FAILED', `Fetching ${url} failed: ${why}.`, { kind: 'unavailable', httpStatus: status, hint: 'Check the address, or analyse the URL without fetching (--no-fetch / "fetch": false).' });

interface Hop { status: number; headers: http.IncomingHttpHeaders; body: Buffer; truncated: boolean; tls: FetchedPage['tls'] }

function stripBrackets(h: string): string {
  return h.startsWith('[') ? h.slice(1, -1) : h;
}

export function safeFetcher(options: SafeFetchOptions = {}): PageFetcher {
  const policy = addressPolicy(options.allow ?? []);
  const resolve = options.resolve ?? systemResolver;
  const timeoutMs = options.timeoutMs ?? FETCH_DEFAULTS.timeoutMs;
  const maxBytes = options.maxBytes ?? FETCH_DEFAULTS.maxBytes;
  const maxRedirects = options.maxRedirects ?? FETCH_DEFAULTS.maxRedirects;
  const userAgent = options.userAgent ?? FETCH_DEFAULTS.userAgent;

  /** The one address this hop connects to, after every resolved address passed the policy. */
  async function pin(url: URL): Promise<ResolvedAddress> {
    const host = stripBrackets(url.hostname);
    let addrs: ResolvedAddress[];
    if (/^[\d.]+$/.test(host) || host.includes(':')) addrs = [{ address: host, family: host.includes(':') ? 6 : 4 }];
    else {
      try {
        addrs = await resolve(host);
      } catch (e) {
        throw failed(url.href, `the name ${host} does not resolve (${(e as NodeJS.ErrnoException).code ?? 'DNS error'})`);
      }
    }
    if (addrs.length === 0) throw failed(url.href, `the name ${host} has no address`);
    // Every answer must pass: a name that also resolves to a private address is refused outright.
    for (const a of addrs) {
      const why = policy.refusal(a.address);
      if (why) throw blocked(url.href, host === a.address ? why : `${host} resolves to ${why.replace(/^\S+ is/, a.address + ' is')}`);
    }
    return addrs[0]!;
  }

  function request(url: URL, to: ResolvedAddress, signal: AbortSignal): Promise<Hop> {
    const pinned: LookupFunction = (_host, opts, cb) => {
      if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [to]);
      else cb(null, to.address, to.family);
    };
    const isHttps = url.protocol === 'https:';
    return new Promise<Hop>((resolveHop, reject) => {
      const req = (isHttps ? https : http).request({
        protocol: url.protocol, hostname: stripBrackets(url.hostname), port: url.port || (isHttps ? 443 : 80),
        path: `${url.pathname}${url.search}`, method: 'GET', lookup: pinned, agent: false, signal,
        headers: { 'user-agent': userAgent, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5', 'accept-encoding': 'identity' },
        ...(isHttps ? { rejectUnauthorized: false, servername: /^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname } : {}),
      }, (res) => {
        let tls: FetchedPage['tls'] = null;
        if (isHttps) {
          const sock = res.socket as TLSSocket;
          const cert = sock.getPeerCertificate();
          const from = cert.valid_from ? new Date(cert.valid_from) : new Date(NaN);
          tls = { trusted: sock.authorized, validFrom: from, authorizationError: sock.authorizationError ? String(sock.authorizationError) : null };
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const isRedirect = res.statusCode !== undefined && res.statusCode >= 300 && res.statusCode < 400 && res.headers.location !== undefined;
        const done = (): void => resolveHop({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), truncated, tls });
        if (isRedirect) {
          res.destroy();
          done();
          return;
        }
        res.on('data', (c: Buffer) => {
          if (truncated) return;
          const room = maxBytes - size;
          if (c.length >= room) {
            chunks.push(c.subarray(0, room));
            size = maxBytes;
            truncated = true;
            res.destroy();
            done();
            return;
          }
          chunks.push(c);
          size += c.length;
        });
        res.on('end', done);
        res.on('error', (e) => (truncated ? undefined : reject(e)));
      });
      req.on('error', reject);
      req.end();
    });
  }

  async function fetchPage(start: URL, outer?: AbortSignal): Promise<FetchedPage> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = outer ? AbortSignal.any([outer, deadline]) : deadline;
    const chain: string[] = [];
    let url = start;
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw blocked(url.href.slice(0, 200), `only http and https are fetched, not ${url.protocol}`);
      chain.push(url.href);
      const to = await pin(url);
      let res: Hop;
      try {
        res = await request(url, to, signal);
      } catch (e) {
        if (deadline.aborted) throw new NsError('FETCH_TIMEOUT', `Fetching ${start.href} took longer than ${timeoutMs} ms.`, { kind: 'unavailable', httpStatus: 504, hint: 'Try again later, or analyse the URL without fetching (--no-fetch / "fetch": false).' });
        if (outer?.aborted) throw e;
        throw failed(url.href, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
      }
      const location = res.headers.location;
      if (res.status >= 300 && res.status < 400 && location !== undefined) {
        if (hop >= maxRedirects) throw failed(start.href, `more than ${maxRedirects} redirects`, 502);
        try {
          url = new URL(location, url);
        } catch {
          throw failed(url.href, `the redirect to "${location.slice(0, 200)}" is not a URL`);
        }
        continue;
      }
      const contentType = res.headers['content-type'] ?? null;
      const isHtml = contentType === null || /html|xml|text\/plain/i.test(contentType);
      return {
        finalUrl: url, chain, redirects: hop, status: res.status, contentType,
        html: isHtml ? res.body.toString('utf8') : null, truncated: res.truncated, tls: res.tls,
      };
    }
  }

  return { fetch: fetchPage };
}
