import { describe, expect, it } from 'vitest';
import { pageAnalysis, pageFeatures, shareClass } from './page.js';

const page = new URL('https://www.example.com/login');
const p = (html: string) => pageFeatures(html, page);

describe('shareClass', () => {
  it('applies the low/high thresholds in percent, with no items counting as 1', () => {
    expect([shareClass(0, 0, 22, 61), shareClass(21, 100, 22, 61), shareClass(22, 100, 22, 61), shareClass(61, 100, 22, 61), shareClass(62, 100, 22, 61)]).toEqual([1, 1, 0, 0, -1]);
  });
});

describe('pageFeatures', () => {
  it('gives an empty page every legitimate sign', () => {
    expect(Object.values(p('')).every((v) => v === 1)).toBe(true);
  });
  it('compares links by site: sub-domains of the same registrable domain are the same site', () => {
    const a = pageAnalysis('<img src="https://cdn.example.com/a.png"><img src="/b.png"><img src="https://evil.test/c.png">', page);
    expect(a.counts.media).toEqual({ total: 3, external: 1 });
    expect(a.features.Request_URL).toBe(0);
  });
  it('reads a favicon from another site', () => {
    expect(p('<link rel="shortcut icon" href="https://evil.test/favicon.ico">').Favicon).toBe(-1);
    expect(p('<link rel="icon" href="/favicon.ico">').Favicon).toBe(1);
  });
  it('counts anchors to other sites or nowhere', () => {
    const html = '<a href="#">x</a><a href="javascript:void(0)">y</a><a href="https://evil.test/">z</a><a href="/ok">ok</a>';
    const a = pageAnalysis(html, page);
    expect(a.counts.anchors).toEqual({ total: 4, unsafe: 3 });
    expect(a.features.URL_of_Anchor).toBe(-1);
  });
  it('counts links in meta, script and link tags', () => {
    const html = '<meta http-equiv="refresh" content="0; url=https://evil.test/"><script src="https://evil.test/x.js"></script><link rel="stylesheet" href="/s.css"><script src="/y.js"></script>';
    const a = pageAnalysis(html, page);
    expect(a.counts.tagLinks).toEqual({ total: 4, external: 2 });
    expect(a.features.Links_in_tags).toBe(0);
  });
  it('classifies form handlers: blank → -1, other site → 0, own site → 1, mailto → email', () => {
    expect(p('<form action="">').SFH).toBe(-1);
    expect(p('<form action="about:blank">').SFH).toBe(-1);
    expect(p('<form action="https://evil.test/steal">').SFH).toBe(0);
    expect(p('<form action="/login">').SFH).toBe(1);
    expect(p('<form action="mailto:x@evil.test">').Submitting_to_email).toBe(-1);
    expect(p('<script>mail($to, $s)</script>').Submitting_to_email).toBe(-1);
  });
  it('reads the JavaScript tricks: status bar, right click, pop-ups, hidden iframes', () => {
    expect(p('<a href="/" onmouseover="window.status=\'https://bank.test\'">x</a>').on_mouseover).toBe(-1);
    expect(p('<script>document.onmousedown=function(e){if(event.button==2){return false}}</script>').RightClick).toBe(-1);
    expect(p('<body oncontextmenu="return false">').RightClick).toBe(-1);
    expect(p('<script>var pw = prompt("Password")</script>').popUpWidnow).toBe(-1);
    expect(p('<iframe src="https://evil.test" width="0" height="0" frameborder="0"></iframe>').Iframe).toBe(-1);
    expect(p('<iframe src="/map" width="400" height="300" style="border:1px"></iframe>').Iframe).toBe(1);
  });
  it('survives malformed HTML: unclosed tags, stray quotes, junk bytes', () => {
    const html = '<html><body><a href=x>broken<img src=/x.png <form action=\u0000><<<>>></div></span><script>if(event.button ==2)';
    expect(() => p(html)).not.toThrow();
    expect(p(html).RightClick).toBe(-1);
    expect(() => p('\u0000\uffff<\u202e')).not.toThrow();
  });
  it('swallows the rest of the page into an unclosed attribute quote, as a browser does', () => {
    expect(p('<a href="https://evil.test/>x</a><script>if(event.button==2){}</script>').RightClick).toBe(1);
  });
  it('treats backslashes and scheme-relative links like a browser', () => {
    const a = pageAnalysis('<a href="//evil.test/x">a</a><a href="https:\\\\evil.test\\x">b</a><a href="HTTPS://WWW.EXAMPLE.COM/x">c</a>', page);
    expect(a.counts.anchors).toEqual({ total: 3, unsafe: 2 });
  });
  it('keeps a data: image on the page and treats malformed hrefs as going nowhere', () => {
    const a = pageAnalysis('<img src="data:image/png;base64,AAAA"><a href="http://[::1">x</a>', page);
    expect(a.counts.media.external).toBe(0);
    expect(a.counts.anchors).toEqual({ total: 1, unsafe: 1 });
  });
  it('decodes entities in the attributes it reads (obfuscated schemes and hosts)', () => {
    const a = pageAnalysis('<a href="&#106;avascript:alert(1)">a</a><a href="https&colon;//evil&#46;test/">b</a><a href="/x?a=1&amp;b=2">c</a>', page);
    expect(a.counts.anchors).toEqual({ total: 3, unsafe: 2 });
    expect(p('<form action="mailto&colon;x@evil.test">').Submitting_to_email).toBe(-1);
    expect(p('<a onMouseOver="window&period;status=1">x</a>').on_mouseover).toBe(-1);
  });
  it('reads tag and attribute names in any case; the first of two same-named attributes counts, as in a browser', () => {
    const a = pageAnalysis('<A HREF="https://evil.test/">a</A><IMG SRC="https://evil.test/i.png"><a href="/ok" href="https://evil.test/">b</a>', page);
    expect(a.counts.anchors).toEqual({ total: 2, unsafe: 1 });
    expect(a.counts.media).toEqual({ total: 1, external: 1 });
    expect(p('<a onmouseover="x()" onmouseover="window.status=1">x</a>').on_mouseover).toBe(1);
  });
  it('ignores a form inside an open form, and reads <image> as <img>', () => {
    const a = pageAnalysis('<form action="/ok"><form action=""></form><form action="https://evil.test/"></form><image src="https://evil.test/i">', page);
    expect(a.counts.forms).toBe(2);
    expect(a.features.SFH).toBe(0);
    expect(a.counts.media).toEqual({ total: 1, external: 1 });
  });
  it('finds no tags inside comments, textarea or title, and reads <script/> text as script', () => {
    const a = pageAnalysis('<!-- <a href="https://evil.test/"> --><textarea><img src="https://evil.test/t"></textarea><title><a href="#">t</a></title>', page);
    expect(a.counts).toMatchObject({ anchors: { total: 0, unsafe: 0 }, media: { total: 0, external: 0 } });
    expect(p('<script/>if(event.button==2){}</script>').RightClick).toBe(-1);
    expect(p('<style>a{}</style><div>event.button==2</div>').RightClick).toBe(1);
  });
  it('handles a 5 MB page of repeated links and counts every one', () => {
    const html = '<a href="/x">x</a>'.repeat(250_000) + '<a href="https://evil.test/">e</a>'.repeat(250_000);
    const a = pageAnalysis(html, page);
    expect(a.counts.anchors).toEqual({ total: 500_000, unsafe: 250_000 });
    expect(a.features.URL_of_Anchor).toBe(0);
  });
});
