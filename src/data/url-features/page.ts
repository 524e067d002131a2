/**
 * The ten features read from a page's HTML, with htmlparser2's tolerant streaming parser (no DOM is
 * built, so memory stays flat on huge pages). Links are resolved against the page's URL and compared
 * by site (registrable domain, public-suffix aware). Rules: FEATURES.md; coding: docs/url-features.md.
 *
 * @example
 *   pageFeatures('<form action="mailto:a@b.c">', new URL('http://example.com/')).Submitting_to_email; // -1
 */
import { Parser } from 'htmlparser2';
import type { FeatureValue } from './feature-sets.js';
import { siteCache } from './host.js';

export interface PageFeatures {
  Favicon: FeatureValue;
  Request_URL: FeatureValue;
  URL_of_Anchor: FeatureValue;
  Links_in_tags: FeatureValue;
  SFH: FeatureValue;
  Submitting_to_email: FeatureValue;
  on_mouseover: FeatureValue;
  RightClick: FeatureValue;
  popUpWidnow: FeatureValue;
  Iframe: FeatureValue;
}

/** Counts behind the features, for explanations and tests. */
export interface PageCounts {
  media: { total: number; external: number };
  anchors: { total: number; unsafe: number };
  tagLinks: { total: number; external: number };
  forms: number;
}

/** Script text kept per page for the JavaScript rules; a page's first megabyte of script is enough. */
const MAX_SCRIPT_CHARS = 1 << 20;
const MEDIA_TAGS = new Set(['img', 'video', 'audio', 'source', 'embed', 'track']);
const RIGHT_CLICK = /event\.button\s*={2,3}\s*2|contextmenu/i;
const STATUS_BAR = /window\.status|status\s*=/i;
const POP_UP = /window\.open\s*\(|prompt\s*\(/i;
const MAIL_SCRIPT = /\bmail\s*\(/i;
/** Scheme and authority of an absolute or scheme-relative http(s) link (backslashes count as slashes, as in browsers). */
const AUTHORITY = /^(?:https?:)?[/\\]{2}[^/\\?#]*/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** share < low → 1, ≤ high → 0, else -1 (shares in percent). */
export function shareClass(part: number, total: number, low: number, high: number): FeatureValue {
  if (total === 0) return 1;
  const pct = (100 * part) / total;
  if (pct < low) return 1;
  return pct <= high ? 0 : -1;
}

type Where = 'same' | 'other' | 'none';

export function pageAnalysis(html: string, pageUrl: URL): { features: PageFeatures; counts: PageCounts } {
  const siteOf = siteCache();
  const pageSite = siteOf(pageUrl.hostname);
  // Most links are relative (same site, no parse needed); absolute ones are judged once per authority
  // (scheme + host), which keeps a link-dense page at a few microseconds per link.
  const byAuthority = new Map<string, Where>();
  const where = (ref: string | undefined): Where => {
    const v = (ref ?? '').trim();
    if (v === '' || v.startsWith('#') || /^javascript:/i.test(v) || v.toLowerCase() === 'about:blank') return 'none';
    const abs = AUTHORITY.exec(v);
    if (!abs) {
      if (!SCHEME.test(v)) return 'same';
      return /^data:/i.test(v) ? 'same' : 'other';
    }
    const key = abs[0].toLowerCase();
    let w = byAuthority.get(key);
    if (w === undefined) {
      let u: URL | null;
      try {
        u = new URL(key.startsWith('//') ? pageUrl.protocol + key : key);
      } catch {
        u = null;
      }
      w = u === null ? 'none' : siteOf(u.hostname) === pageSite ? 'same' : 'other';
      if (byAuthority.size < 10_000) byAuthority.set(key, w);
    }
    return w;
  };
  const counts: PageCounts = { media: { total: 0, external: 0 }, anchors: { total: 0, unsafe: 0 }, tagLinks: { total: 0, external: 0 }, forms: 0 };
  let favicon: FeatureValue = 1;
  let sfh: FeatureValue = 1;
  let email: FeatureValue = 1;
  let mouseover: FeatureValue = 1;
  let rightClick: FeatureValue = 1;
  let popUp: FeatureValue = 1;
  let iframe: FeatureValue = 1;
  let script = '';
  let inScript = false;

  const parser = new Parser({
    onopentag(name, attrs) {
      if (attrs.onmouseover !== undefined && STATUS_BAR.test(attrs.onmouseover)) mouseover = -1;
      if (attrs.oncontextmenu !== undefined && /return\s+false/i.test(attrs.oncontextmenu)) rightClick = -1;
      for (const k in attrs) if (k.charCodeAt(0) === 111 && k.charCodeAt(1) === 110 && POP_UP.test(attrs[k]!)) popUp = -1; // "on…" handlers
      if (MEDIA_TAGS.has(name) && attrs.src !== undefined) {
        counts.media.total++;
        if (where(attrs.src) === 'other') counts.media.external++;
      } else if (name === 'a' && attrs.href !== undefined) {
        counts.anchors.total++;
        if (where(attrs.href) !== 'same') counts.anchors.unsafe++;
      } else if (name === 'link' && attrs.href !== undefined) {
        const other = where(attrs.href) === 'other';
        if (other && /\bicon\b/i.test(attrs.rel ?? '')) favicon = -1;
        counts.tagLinks.total++;
        if (other) counts.tagLinks.external++;
      } else if (name === 'script') {
        inScript = true;
        if (attrs.src !== undefined) {
          counts.tagLinks.total++;
          if (where(attrs.src) === 'other') counts.tagLinks.external++;
        }
      } else if (name === 'meta' && attrs.content !== undefined) {
        const m = /^\s*\d*\s*;?\s*url\s*=\s*(.+)$/i.exec(attrs.content) ?? /^(https?:\/\/\S+)$/i.exec(attrs.content.trim());
        if (m) {
          counts.tagLinks.total++;
          if (where(m[1]!.replace(/^['"]|['"]$/g, '')) === 'other') counts.tagLinks.external++;
        }
      } else if (name === 'form') {
        counts.forms++;
        const action = (attrs.action ?? '').trim();
        const kind: FeatureValue = /^mailto:/i.test(action) ? 1 : action === '' || action.toLowerCase() === 'about:blank' ? -1 : where(action) === 'other' ? 0 : 1;
        if (/^mailto:/i.test(action)) email = -1;
        if (kind < sfh) sfh = kind;
      } else if (name === 'iframe') {
        const style = (attrs.style ?? '').replace(/\s+/g, '').toLowerCase();
        if (attrs.frameborder === '0' || /visibility:hidden|display:none/.test(style) || attrs.width === '0' || attrs.height === '0') iframe = -1;
      }
    },
    ontext(text) {
      if (inScript && script.length < MAX_SCRIPT_CHARS) script += text.slice(0, MAX_SCRIPT_CHARS - script.length);
    },
    onclosetag(name) {
      if (name === 'script') {
        inScript = false;
        script += '\n';
      }
    },
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.end(html);

  if (script.length > 0) {
    if (RIGHT_CLICK.test(script)) rightClick = -1;
    if (/onmouseover/i.test(script) && STATUS_BAR.test(script)) mouseover = -1;
    if (POP_UP.test(script)) popUp = -1;
    if (MAIL_SCRIPT.test(script)) email = -1;
  }
  return {
    counts,
    features: {
      Favicon: favicon,
      Request_URL: shareClass(counts.media.external, counts.media.total, 22, 61),
      URL_of_Anchor: shareClass(counts.anchors.unsafe, counts.anchors.total, 31, 67),
      Links_in_tags: shareClass(counts.tagLinks.external, counts.tagLinks.total, 17, 81),
      SFH: sfh,
      Submitting_to_email: email,
      on_mouseover: mouseover,
      RightClick: rightClick,
      popUpWidnow: popUp,
      Iframe: iframe,
    },
  };
}

export function pageFeatures(html: string, pageUrl: URL): PageFeatures {
  return pageAnalysis(html, pageUrl).features;
}
