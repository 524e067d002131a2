/**
 * `npm run bench -- analyze`: the URL-check extraction on one thread (this process, one core).
 * - URL only: parseTarget + the 7 URL features over 20,000 seeded, varied addresses (IPs, IDN,
 *   shorteners, deep sub-domains, long paths); URLs per second. Reference in the same run: WHATWG
 *   `new URL()` alone on the same addresses (the floor every URL check pays).
 * - HTML: the 10 page features of a ~200 KB page (links, images, scripts, forms, inline script);
 *   ms per page, wall clock and this thread's CPU time (on a shared machine the wall clock also
 *   counts the time other processes held the core). References in the same run, measured the same
 *   way: htmlparser2's Tokenizer with empty callbacks (what pageAnalysis drives; its floor) and
 *   htmlparser2's Parser with entity decoding and an empty onopentag (the previous implementation's floor).
 * The model's prediction is not included (it is the same Predictor as /api/v1/predict).
 * Medians over `reps` timed rounds of at least 1 s each; the page rounds alternate between ours and
 * the references, so load changes hit all of them alike.
 */
import { Rng } from '../../src/core/rng.js';
import { Parser, Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
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

interface Rates { perSecond: number[]; cpuMsPerItem: number[] }

/** This thread's CPU time in µs (the process's where Node lacks process.threadCpuUsage). */
const cpuMicros = (): number => {
  const u = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? process.cpuUsage();
  return u.user + u.system;
};

/** One timed round of at least `minMs`: items per second (wall clock) and CPU ms per item. */
function round(minMs: number, body: () => number, into: Rates): void {
  let n = 0;
  const c0 = cpuMicros();
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) n += body();
  const wall = performance.now() - t0;
  into.perSecond.push(n / (wall / 1000));
  into.cpuMsPerItem.push((cpuMicros() - c0) / 1000 / n);
}

function rate(label: string, minMs: number, reps: number, body: () => number, log: (m: string) => void): number[] {
  const out: Rates = { perSecond: [], cpuMsPerItem: [] };
  for (let r = 0; r < reps; r++) {
    round(minMs, body, out);
    log(`${label}: ${out.perSecond.at(-1)!.toFixed(0)}/s`);
  }
  return out.perSecond;
}

const noop = (): void => undefined;
const EMPTY_CALLBACKS: TokenizerCallbacks = {
  onattribdata: noop, onattribentity: noop, onattribend: noop, onattribname: noop, oncdata: noop, onclosetag: noop, oncomment: noop,
  ondeclaration: noop, onend: noop, onopentagend: noop, onopentagname: noop, onprocessinginstruction: noop, onselfclosingtag: noop,
  ontext: noop, ontextentity: noop,
};

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
  const bodies: Record<'ours' | 'tokenizer' | 'parser', () => number> = {
    ours: () => {
      sink += pageFeatures(html, pageUrl).URL_of_Anchor;
      return 1;
    },
    tokenizer: () => {
      const t = new Tokenizer({ decodeEntities: false }, EMPTY_CALLBACKS);
      t.write(html);
      t.end();
      return 1;
    },
    parser: () => {
      new Parser({ onopentag() { sink++; } }, { decodeEntities: true }).end(html);
      return 1;
    },
  };
  const empty = (): Rates => ({ perSecond: [], cpuMsPerItem: [] });
  const pages: Record<keyof typeof bodies, Rates> = { ours: empty(), tokenizer: empty(), parser: empty() };
  for (const k of Object.keys(bodies) as (keyof typeof bodies)[]) for (let i = 0; i < 5; i++) bodies[k]();
  for (let r = 0; r < reps; r++) {
    for (const k of Object.keys(bodies) as (keyof typeof bodies)[]) {
      round(minMs, bodies[k], pages[k]);
      opts.log(`page ${k}: ${(1000 / pages[k].perSecond.at(-1)!).toFixed(2)} ms wall, ${pages[k].cpuMsPerItem.at(-1)!.toFixed(2)} ms CPU`);
    }
  }
  const wallMs = (k: keyof typeof bodies): number => 1000 / median(pages[k].perSecond);
  const cpuMs = (k: keyof typeof bodies): number => median(pages[k].cpuMsPerItem);
  const msPerPage = wallMs('ours');
  return {
    what: 'URL-check feature extraction on one thread (model prediction not included)',
    urlOnly: {
      urls: list.length, urlsPerSecondRuns: ours.map(Math.round), urlsPerSecond: Math.round(median(ours)), target: 50_000, met: median(ours) >= 50_000,
      reference: { what: 'new URL() alone on the same URLs', urlsPerSecond: Math.round(median(floor)) }, ratioToReference: median(ours) / median(floor),
    },
    html: {
      pageBytes: Buffer.byteLength(html), msPerPageRuns: pages.ours.perSecond.map((p) => 1000 / p), msPerPage, target: 5, met: msPerPage <= 5,
      cpuMsPerPageRuns: pages.ours.cpuMsPerItem, cpuMsPerPage: cpuMs('ours'), metOnCpuTime: cpuMs('ours') <= 5,
      reference: { what: 'htmlparser2 Tokenizer (no entity decoding) with empty callbacks on the same page', msPerPage: wallMs('tokenizer'), cpuMsPerPage: cpuMs('tokenizer') },
      ratioToReference: msPerPage / wallMs('tokenizer'), cpuRatioToReference: cpuMs('ours') / cpuMs('tokenizer'),
      parserReference: { what: 'htmlparser2 Parser (entities decoded) with an empty onopentag on the same page', msPerPage: wallMs('parser'), cpuMsPerPage: cpuMs('parser') },
      ratioToParser: msPerPage / wallMs('parser'), cpuRatioToParser: cpuMs('ours') / cpuMs('parser'),
    },
    checksum: sink % 997,
  };
}
