import { describe, expect, it } from 'vitest';
import { parseTarget } from './target.js';
import { urlFeatures } from './url.js';
import { hostInfo } from './host.js';

const f = (u: string) => urlFeatures(parseTarget(u));

describe('parseTarget', () => {
  it('assumes http when no scheme is written and keeps the raw text for the length rule', () => {
    const t = parseTarget('  example.com/login ');
    expect(t.url.href).toBe('http://example.com/login');
    expect(t.raw).toBe('example.com/login');
  });
  it.each(['data:text/html,<script>alert(1)</script>', 'javascript:alert(1)', 'file:///etc/passwd', 'ftp://example.com/x', 'mailto:a@b.c'])(
    'refuses %s with URL_SCHEME', (u) => {
      expect(() => parseTarget(u)).toThrow(expect.objectContaining({ code: 'URL_SCHEME' }));
    });
  it('refuses empty, unparsable and overlong input with typed errors', () => {
    expect(() => parseTarget('   ')).toThrow(expect.objectContaining({ code: 'URL_INVALID' }));
    expect(() => parseTarget('http://exa mple.com')).toThrow(expect.objectContaining({ code: 'URL_INVALID' }));
    expect(() => parseTarget(`http://a.com/${'x'.repeat(9000)}`)).toThrow(expect.objectContaining({ code: 'URL_TOO_LONG' }));
  });
});

describe('urlFeatures', () => {
  it('gives a short plain https address the legitimate signs', () => {
    expect(f('https://www.example.com/')).toEqual({
      having_IP_Address: 1, URL_Length: 1, Shortining_Service: 1, having_At_Symbol: 1, double_slash_redirecting: 1,
      having_Sub_Domain: 1, HTTPS_token: 1,
    });
  });
  it('sees IP hosts in dotted, hex, octal, integer and IPv6 (also v4-mapped) forms', () => {
    for (const u of ['http://192.168.1.20/paypal', 'http://0x58.0xCC.0xCA.0x62/2/paypal.ca/index.html', 'http://0300.0250.0.1/', 'http://3232235777/', 'http://[2001:db8::1]/', 'http://[::ffff:10.0.0.1]/']) {
      expect(f(u).having_IP_Address, u).toBe(-1);
    }
    expect(f('http://192.168.1.20.example.com/').having_IP_Address).toBe(1);
  });
  it('classifies length at the 54 and 75 character thresholds', () => {
    const of = (n: number) => { const base = 'http://example.com/'; return f(base + 'a'.repeat(n - base.length)).URL_Length; };
    expect([of(53), of(54), of(75), of(76)]).toEqual([1, 0, 0, -1]);
  });
  it('finds shorteners by registrable domain, not by substring', () => {
    expect(f('https://bit.ly/3xYz').Shortining_Service).toBe(-1);
    expect(f('https://www.tinyurl.com/abc').Shortining_Service).toBe(-1);
    expect(f('https://notbit.ly.example.com/').Shortining_Service).toBe(1);
  });
  it('sees "@" (user@host) and a late "//"', () => {
    const a = f('http://www.paypal.com@evil.example/login');
    expect(a.having_At_Symbol).toBe(-1);
    expect(hostInfo(parseTarget('http://www.paypal.com@evil.example/login').url.hostname).site).toBe('evil.example');
    expect(f('http://example.com//http://evil.com').double_slash_redirecting).toBe(-1);
    expect(f('https://example.com/a/b').double_slash_redirecting).toBe(1);
  });
  it('does not compute Prefix_Suffix, whose coding in the data cannot be reproduced (a dash or not)', () => {
    expect(f('http://www.pay-pal.com/')).not.toHaveProperty('Prefix_Suffix');
    expect(f('http://127.0.0.1:8080/login')).not.toHaveProperty('Prefix_Suffix');
  });
  it('reads IDN hosts in punycode against the public suffix list', () => {
    expect(parseTarget('http://münchen.de/').url.hostname).toBe('xn--mnchen-3ya.de');
    expect(f('http://münchen.de/').having_Sub_Domain).toBe(1);
    expect(f('http://login.xn--pple-43d.com/').having_Sub_Domain).toBe(0); // Cyrillic "а" homograph of apple.com
    expect(hostInfo('xn--pple-43d.com').site).toBe('xn--pple-43d.com');
    expect(f('http://a.b.ex-ample.xn--p1ai/').having_Sub_Domain).toBe(-1);
  });
  it('counts sub-domains below the real public suffix, www not counted', () => {
    expect(f('http://www.hud.ac.uk/students/').having_Sub_Domain).toBe(1);
    expect(f('http://hud.ac.uk/').having_Sub_Domain).toBe(1);
    expect(f('http://mail.hud.ac.uk/').having_Sub_Domain).toBe(0);
    expect(f('http://a.b.hud.ac.uk/').having_Sub_Domain).toBe(-1);
    expect(f('http://login.secure.example.com/').having_Sub_Domain).toBe(-1);
    expect(f('http://10.0.0.1/').having_Sub_Domain).toBe(-1);
  });
  it('sees an "http" token inside the host only', () => {
    expect(f('http://https-www-paypal-it.example.com/').HTTPS_token).toBe(-1);
    expect(f('http://example.com/https/login').HTTPS_token).toBe(1);
  });
});
