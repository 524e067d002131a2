/**
 * `npm run bench -- analyze`: the URL-check extraction on one thread (this process, one core).
 * - URL only: parseTarget + the 8 URL features over 20,000 seeded, varied addresses (IPs, IDN,
 *   shorteners, deep sub-domains, long paths); URLs per second. Reference in the same run: WHATWG
 *   `new URL()` alone on the same addresses (the floor every URL check pays).
 * - HTML: the 10 page features of a ~200 KB page (links, images, scripts, forms, inline script);
 *   ms per page. Reference in the same run: htmlparser2 tokenising the same page with empty callbacks.
 * The model's prediction is not included (it is the same Predictor as /api/v1/predict).
 * Medians over `reps` timed rounds of at least 1 s each.
 */
import { Rng } from '../../src/core/rng.js';
import { Parser } from 'htmlparser2';
import { pageFeatures, parseTarget, urlFeatures } from '../../src/data/url-features/index.js';
import type { BenchOptions } from '../types.js';

function urls(n: number): string[] {
  const rng = new Rng(7);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rng.next() * a.length)]!;
  const hosts = ['www.example.com', 'login.secure.paypal.com.evil-site.net', 'bit.ly', '192.168.12.7', 'münchen.de', 'a.b.c.example.co.uk', 'shop-online.store', '[2001:db8::7]', 'xn--pple-43d.com', 'https-paypal.com.verify.info'];
  const paths = ['/', '/login', '/account/verify?id=', '/wp-admin/includes/secure/update.php?session=', '//redirect//http://evil.test/', '/a@b'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`${rng.next() < 0.5 ? 'https' : 'http'}://${pick(hosts)}${pick(paths)}${Math.floor(rng.next() * 1e9).toString(36).repeat(1 + Math.floor(rng.next() * 4))}`);
  return out;
}

export function page200k(): string {
  let html = '<!doctype html><html><head><link rel="icon" href="/favicon.ico"><link rel="stylesheet" href="https://cdn.other.test/s.css"><script src="/app.js"></script><script>window.addEventListener("load",function(){var x=document.querySelectorAll("a");for(var i=0;i<x.length;i++){x[i].dataset.n=i}})</script></head><body>';
  let k = 0;
  while (html.length < 200_000) {
    k++;
    html += `<div class="card" id="c${k}"><a href="/product/${k}?ref=home&amp;s=1">Product ${k}</a><img src="${k % 5 === 0 ? 'https://img.other.test' : ''}/img/${k}.jpg" alt="Product ${k}" width="120" height="90"><p>Short description of product ${k}, with <b>bold</b> text and a <a href="${k % 7 === 0 ? 'https://partner.test/p' : '#'}">link</a>.</p></div>\n`;
    if (k % 50 === 0) html += `<form action="/search" method="get"><input name="q"><button>Go</button></form><script>var t${k}=${k};</script>\n`;
  }
  return `${html}</body></html>`;
}

function rate(label: string, minMs: number, reps: number, body: () => number, log: (m: string) => void): number[] {
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < minMs) n += body();
    out.push(n / ((performance.now() - t0) / 1000));
    log(`${label}: ${out.at(-1)!.toFixed(0)}/s`);
  }
  return out;
}

const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  await Promise.resolve();
  const reps = Math.max(3, opts.reps);
  const minMs = opts.quick ? 300 : 1000;
  const list = urls(20_000);
  let sink = 0;
  // Warm-up: JIT and tldts' suffix trie.
  for (const u of list) sink += urlFeatures(parseTarget(u)).URL_Length;
  const ours = rate('url features', minMs, reps, () => {
    for (const u of list) sink += urlFeatures(parseTarget(u)).URL_Length;
    return list.length;
  }, opts.log);
  const floor = rate('new URL() only', minMs, reps, () => {
    for (const u of list) sink += new URL(u).hostname.length;
    return list.length;
  }, opts.log);

  const html = page200k();
  const pageUrl = new URL('https://www.example.com/');
  for (let i = 0; i < 5; i++) sink += pageFeatures(html, pageUrl).Favicon;
  const pages = rate('page features', minMs, reps, () => {
    sink += pageFeatures(html, pageUrl).URL_of_Anchor;
    return 1;
  }, opts.log);
  const tokenise = rate('htmlparser2 alone', minMs, reps, () => {
    const p = new Parser({ onopentag() { sink++; } }, { decodeEntities: true });
    p.end(html);
    return 1;
  }, opts.log);
  const msPerPage = 1000 / median(pages);
  const msTokenise = 1000 / median(tokenise);
  return {
    what: 'URL-check feature extraction on one thread (model prediction not included)',
    urlOnly: {
      urls: list.length, urlsPerSecondRuns: ours.map(Math.round), urlsPerSecond: Math.round(median(ours)), target: 50_000, met: median(ours) >= 50_000,
      reference: { what: 'new URL() alone on the same URLs', urlsPerSecond: Math.round(median(floor)) }, ratioToReference: median(ours) / median(floor),
    },
    html: {
      pageBytes: Buffer.byteLength(html), msPerPageRuns: pages.map((p) => 1000 / p), msPerPage, target: 5, met: msPerPage <= 5,
      reference: { what: 'htmlparser2 tokenising the same page with empty callbacks', msPerPage: msTokenise }, ratioToReference: msPerPage / msTokenise,
    },
    checksum: sink % 997,
  };
}
