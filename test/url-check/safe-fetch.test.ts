/**
 * The safe fetcher against a real local web site (fixture-site.ts): what it fetches, and the SSRF
 * cases it must refuse — private, loopback, metadata and mapped addresses, redirects into them, and
 * DNS names that resolve to them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NsError } from '../../src/core/errors.js';
import { safeFetcher, type Resolver } from '../../src/adapters/web-fetch/safe-fetch.js';
import { startFixtureSite, type FixtureSite } from './fixture-site.js';

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite({ hugeBytes: 20 * 1024 * 1024 });
});
afterAll(async () => site?.close());

/** A resolver that answers from a table, like an /etc/hosts entry an attacker controls. */
const hosts = (table: Record<string, string[]>): Resolver => async (h) => {
  await Promise.resolve();
  const a = table[h];
  if (!a) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return a.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(p: Promise<unknown>): Promise<NsError> {
  try {
    await p;
  } catch (e) {
    return e as NsError;
  }
  throw new Error('expected the fetch to be refused');
}

const local = () => safeFetcher({ allow: ['127.0.0.1/32'], timeoutMs: 2_000, maxBytes: 1024 * 1024 });
const u = (path: string) => new URL(site.base + path);

describe('safeFetcher on the fixture site (127.0.0.1 allow-listed)', () => {
  it('fetches a page with a clear user-agent and no cookies, and reports no TLS for http', async () => {
    const page = await local().fetch(u('/plain'));
    expect(page.status).toBe(200);
    expect(page.html).toContain('<a href="/about">');
    expect(page.redirects).toBe(0);
    expect(page.tls).toBeNull();
    expect(site.seen.at(-1)!.userAgent).toMatch(/^networksecurity-url-check\//);
    expect(site.seen.at(-1)!.acceptEncoding).toBe('identity');
  });
  it('follows a redirect chain, counts the hops and never sends back a cookie it was given', async () => {
    const page = await local().fetch(u('/chain/3'));
    expect(page.redirects).toBe(3);
    expect(page.finalUrl.pathname).toBe('/chain/0');
    expect(page.chain.map((c) => new URL(c).pathname)).toEqual(['/chain/3', '/chain/2', '/chain/1', '/chain/0']);
    expect(site.seen.filter((s) => s.path.startsWith('/chain/')).every((s) => s.cookie === undefined)).toBe(true);
  });
  it('stops after 10 redirects', async () => {
    await expect(local().fetch(u('/chain/10'))).resolves.toMatchObject({ redirects: 10 });
    { const e = await failure(local().fetch(u('/chain/11'))); expect(e.code).toBe('FETCH_FAILED'); expect(e.message).toContain('more than 10 redirects'); }
    await expect(local().fetch(u('/loop'))).rejects.toMatchObject({ code: 'FETCH_FAILED' });
  });
  it('gives up on a slow page at the deadline', async () => {
    await expect(safeFetcher({ allow: ['127.0.0.1/32'], timeoutMs: 300 }).fetch(u('/slow'))).rejects.toMatchObject({ code: 'FETCH_TIMEOUT' });
  });
  it('cuts a huge page at the byte cap', async () => {
    const page = await local().fetch(u('/huge'));
    expect(page.truncated).toBe(true);
    expect(Buffer.byteLength(page.html!)).toBe(1024 * 1024);
  });
  it('returns no HTML for a non-HTML response', async () => {
    expect((await local().fetch(u('/image'))).html).toBeNull();
  });
  it('fetches a self-signed TLS endpoint and reports it untrusted', async () => {
    const page = await local().fetch(new URL(site.tlsBase + '/plain'));
    expect(page.html).toContain('about');
    expect(page.tls).toMatchObject({ trusted: false });
    expect(page.tls!.authorizationError).toMatch(/SELF_SIGNED|self.signed/i);
    expect(Date.now() - page.tls!.validFrom.getTime()).toBeLessThan(3_600_000);
  });
});

describe('SSRF: refused', () => {
  const strict = safeFetcher({ timeoutMs: 2_000 });
  it.each(['http://127.0.0.1/', 'http://10.0.0.1/', 'http://192.168.1.1/', 'http://172.16.5.4/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[fd00:ec2::254]/', 'http://0x7f.1/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://0.0.0.0/', 'http://224.0.0.1/'])(
    'refuses %s without connecting', async (addr) => {
      await expect(strict.fetch(new URL(addr))).rejects.toMatchObject({ code: 'FETCH_BLOCKED', httpStatus: 422 });
    });
  it('refuses the fixture site itself when 127.0.0.1 is not allow-listed', async () => {
    const before = site.seen.length;
    await expect(strict.fetch(u('/plain'))).rejects.toMatchObject({ code: 'FETCH_BLOCKED' });
    expect(site.seen.length).toBe(before);
  });
  it.each(['/to-private', '/to-metadata', '/to-mapped'])('re-checks a redirect: %s is refused', async (path) => {
    await expect(local().fetch(u(path))).rejects.toMatchObject({ code: 'FETCH_BLOCKED' });
  });
  it('refuses a redirect to a non-http scheme', async () => {
    { const e = await failure(local().fetch(u('/to-file'))); expect(e.code).toBe('FETCH_BLOCKED'); expect(e.message).toContain('file:'); }
  });
  it('refuses a DNS name that resolves to a private address, also when one of several answers is', async () => {
    const f = safeFetcher({ resolve: hosts({ 'internal.attacker.test': ['10.1.2.3'], 'mixed.attacker.test': ['93.184.215.14', '127.0.0.1'], 'meta.attacker.test': ['fd00:ec2::254'] }) });
    for (const name of ['internal.attacker.test', 'mixed.attacker.test', 'meta.attacker.test']) {
      { const e = await failure(f.fetch(new URL(`http://${name}/`))); expect(e.code).toBe('FETCH_BLOCKED'); expect(e.message).toContain('resolves to'); }
    }
  });
  it('refuses a redirect to a DNS name that resolves to a private address', async () => {
    const f = safeFetcher({ allow: ['127.0.0.1/32'], resolve: hosts({ 'evil.attacker.test': ['192.168.0.10'] }) });
    { const e = await failure(f.fetch(u('/to-named?to=http://evil.attacker.test/'))); expect(e.code).toBe('FETCH_BLOCKED'); expect(e.message).toContain('evil.attacker.test resolves to 192.168.0.10'); }
  });
  it('connects to the address it checked: a name pinned to the allow-listed fixture reaches it', async () => {
    const f = safeFetcher({ allow: ['127.0.0.1/32'], resolve: hosts({ 'fixture.test': ['127.0.0.1'] }) });
    const page = await f.fetch(new URL(`http://fixture.test:${new URL(site.base).port}/plain`));
    expect(page.status).toBe(200);
  });
  it('resolves a name once and connects to that answer: a rebinding name gets no second look-up', async () => {
    let calls = 0;
    const rebinding: Resolver = async () => {
      await Promise.resolve();
      calls++;
      return [{ address: calls === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
    };
    const page = await safeFetcher({ allow: ['127.0.0.1/32'], resolve: rebinding }).fetch(new URL(`http://rebind.test:${new URL(site.base).port}/plain`));
    expect(page.status).toBe(200);
    expect(page.html).toContain('<a href="/about">');
    expect(calls).toBe(1);
  });
  it('says clearly when a name does not resolve', async () => {
    { const e = await failure(safeFetcher({ resolve: hosts({}) }).fetch(new URL('http://nowhere.test/'))); expect(e.code).toBe('FETCH_FAILED'); expect(e.message).toContain('does not resolve'); }
  });
});
