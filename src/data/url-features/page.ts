/**
 * The ten features read from a page's HTML with htmlparser2's tokenizer (the HTML tokenising rules a
 * browser follows, tolerant of malformed input; no DOM and no attribute objects are built, so memory
 * stays flat on huge pages). Only the attributes the rules read are copied out of the page, and
 * entities are decoded only in those (the tokenizer then skips through text and values at indexOf
 * speed). Links are resolved against the page's URL and compared by site (registrable domain,
 * public-suffix aware). Rules: FEATURES.md; coding: docs/url-features.md.
 *
 * @example
 *   pageFeatures('<form action="mailto:a@b.c">', new URL('http://example.com/')).Submitting_to_email; // -1
 */
import { decodeHTMLAttribute } from 'entities';
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
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

/** The tags the rules read, by kind; `image` is what a browser reads as `img` in HTML. */
const MEDIA = 1;
const ANCHOR = 2;
const LINK = 3;
const SCRIPT = 4;
const META = 5;
const FORM = 6;
const IFRAME = 7;
const TAG_KIND = new Map<string, number>([
  ['img', MEDIA], ['image', MEDIA], ['video', MEDIA], ['audio', MEDIA], ['source', MEDIA], ['embed', MEDIA], ['track', MEDIA],
  ['a', ANCHOR], ['link', LINK], ['script', SCRIPT], ['meta', META], ['form', FORM], ['iframe', IFRAME],
]);

/** The attributes the rules read (besides event handlers), as slots of one reused array. */
const SRC = 0;
const HREF = 1;
const REL = 2;
const CONTENT = 3;
const ACTION = 4;
const STYLE = 5;
const FRAMEBORDER = 6;
const WIDTH = 7;
const HEIGHT = 8;
const ATTR_SLOT = new Map<string, number>([
  ['src', SRC], ['href', HREF], ['rel', REL], ['content', CONTENT], ['action', ACTION], ['style', STYLE],
  ['frameborder', FRAMEBORDER], ['width', WIDTH], ['height', HEIGHT],
]);

/** Words by length, for `lookup`. */
function byLength(words: Map<string, number>): [string, number][][] {
  const out: [string, number][][] = [];
  for (const [w, v] of words) (out[w.length] ??= []).push([w, v]);
  return out;
}
const TAGS_BY_LENGTH = byLength(TAG_KIND);
const ATTRS_BY_LENGTH = byLength(ATTR_SLOT);

/**
 * The value of the lower-case ASCII word that `s[start, end)` spells in any case, or `none`: compared in
 * place, so the names of tags and attributes the rules do not read are never copied. (`c | 0x20` equals
 * a lower-case letter only when c is that letter in either case.)
 */
function lookup(s: string, start: number, end: number, table: [string, number][][], none: number): number {
  const candidates = table[end - start];
  if (candidates === undefined) return none;
  next: for (const [w, v] of candidates) {
    for (let i = 0; i < w.length; i++) if ((s.charCodeAt(start + i) | 0x20) !== w.charCodeAt(i)) continue next;
    return v;
  }
  return none;
}

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

export function pageAnalysis(html: string, pageUrl: URL): { features: PageFeatures; counts: PageCounts } {
  const scan = new PageScan(html, linkJudge(pageUrl));
  const tokenizer = new Tokenizer({ decodeEntities: false }, scan);
  tokenizer.write(html);
  tokenizer.end();
  const { counts, script } = scan;
  if (script.length > 0) {
    if (RIGHT_CLICK.test(script)) scan.rightClick = -1;
    if (/onmouseover/i.test(script) && STATUS_BAR.test(script)) scan.mouseover = -1;
    if (POP_UP.test(script)) scan.popUp = -1;
    if (MAIL_SCRIPT.test(script)) scan.email = -1;
  }
  return {
    counts,
    features: {
      Favicon: scan.favicon,
      Request_URL: shareClass(counts.media.external, counts.media.total, 22, 61),
      URL_of_Anchor: shareClass(counts.anchors.unsafe, counts.anchors.total, 31, 67),
      Links_in_tags: shareClass(counts.tagLinks.external, counts.tagLinks.total, 17, 81),
      SFH: scan.sfh,
      Submitting_to_email: scan.email,
      on_mouseover: scan.mouseover,
      RightClick: scan.rightClick,
      popUpWidnow: scan.popUp,
      Iframe: scan.iframe,
    },
  };
}

type Where = 'same' | 'other' | 'none';

/**
 * Where a link leads, seen from the page: its own site, another site, or nowhere ("#", javascript:,
 * about:blank, unparsable). Most links are relative (same site, no parse needed); absolute ones are
 * judged once per authority (scheme + host), which keeps a link-dense page at a few microseconds per link.
 */
function linkJudge(pageUrl: URL): (ref: string | undefined) => Where {
  const siteOf = siteCache();
  const pageSite = siteOf(pageUrl.hostname);
  const byAuthority = new Map<string, Where>();
  return (ref) => {
    const v = (ref ?? '').trim();
    const c0 = v.charCodeAt(0);
    const c1 = v.charCodeAt(1);
    if (c0 === 47 && c1 !== 47 && c1 !== 92) return 'same'; // "/path": the commonest link
    if (v === '' || c0 === 35 || /^javascript:/i.test(v) || (v.length === 11 && v.toLowerCase() === 'about:blank')) return 'none';
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
}

const noop = (): void => undefined;

/**
 * The tokenizer's callbacks: the names of the tags the rules read and the values of the attributes
 * they read are cut out of the page by index; everything else (other tags' names, text outside
 * scripts, comments, other attributes) is skipped uncopied. As in a browser, the first of two
 * same-named attributes counts, and a form inside an open form is ignored.
 */
class PageScan implements TokenizerCallbacks {
  readonly counts: PageCounts = { media: { total: 0, external: 0 }, anchors: { total: 0, unsafe: 0 }, tagLinks: { total: 0, external: 0 }, forms: 0 };
  favicon: FeatureValue = 1;
  sfh: FeatureValue = 1;
  email: FeatureValue = 1;
  mouseover: FeatureValue = 1;
  rightClick: FeatureValue = 1;
  popUp: FeatureValue = 1;
  iframe: FeatureValue = 1;
  script = '';
  private inScript = false;
  private inForm = false;
  /** Kind of the current open tag (0: none the rules read) and its attribute values by slot. */
  private kind = 0;
  private readonly values: (string | undefined)[] = new Array<string | undefined>(ATTR_SLOT.size).fill(undefined);
  private valuesSet = false;
  /** Event handlers already seen on this tag (the first of a name counts). */
  private readonly handlerNames: string[] = [];
  /** The attribute being read: its slot, or -2 for an event handler; -1 while an unread one is skipped. */
  private slot = -1;
  private handlerName = '';
  private value = '';

  constructor(private readonly html: string, private readonly where: (ref: string | undefined) => Where) {}

  onopentagname(start: number, end: number): void {
    this.kind = lookup(this.html, start, end, TAGS_BY_LENGTH, 0);
    if (this.valuesSet) {
      this.values.fill(undefined);
      this.valuesSet = false;
    }
    if (this.handlerNames.length > 0) this.handlerNames.length = 0;
  }

  onattribname(start: number, end: number): void {
    const h = this.html;
    const n = end - start;
    if (n > 2 && (h.charCodeAt(start) | 0x20) === 111 && (h.charCodeAt(start + 1) | 0x20) === 110) { // "on…"
      this.slot = -2;
      this.handlerName = h.slice(start, end).toLowerCase();
    } else if (this.kind !== 0) {
      this.slot = lookup(h, start, end, ATTRS_BY_LENGTH, -1);
    }
  }

  onattribdata(start: number, end: number): void {
    if (this.slot !== -1) this.value += this.html.slice(start, end);
  }

  onattribend(): void {
    const slot = this.slot;
    if (slot === -1) return;
    const v = this.value.includes('&') ? decodeHTMLAttribute(this.value) : this.value;
    this.slot = -1;
    this.value = '';
    if (slot >= 0) {
      if (this.values[slot] === undefined) {
        this.values[slot] = v;
        this.valuesSet = true;
      }
    } else if (!this.handlerNames.includes(this.handlerName)) {
      this.handlerNames.push(this.handlerName);
      this.handler(this.handlerName, v);
    }
  }

  /** Event-handler attributes: status-bar tricks, a blocked context menu, pop-ups. */
  private handler(name: string, v: string): void {
    if (name === 'onmouseover' && STATUS_BAR.test(v)) this.mouseover = -1;
    if (name === 'oncontextmenu' && /return\s+false/i.test(v)) this.rightClick = -1;
    if (POP_UP.test(v)) this.popUp = -1;
  }

  onopentagend(): void {
    const a = this.values;
    const c = this.counts;
    switch (this.kind) {
      case MEDIA:
        if (a[SRC] !== undefined) {
          c.media.total++;
          if (this.where(a[SRC]) === 'other') c.media.external++;
        }
        break;
      case ANCHOR:
        if (a[HREF] !== undefined) {
          c.anchors.total++;
          if (this.where(a[HREF]) !== 'same') c.anchors.unsafe++;
        }
        break;
      case LINK:
        if (a[HREF] !== undefined) {
          const other = this.where(a[HREF]) === 'other';
          if (other && /\bicon\b/i.test(a[REL] ?? '')) this.favicon = -1;
          c.tagLinks.total++;
          if (other) c.tagLinks.external++;
        }
        break;
      case SCRIPT:
        this.inScript = true;
        if (a[SRC] !== undefined) {
          c.tagLinks.total++;
          if (this.where(a[SRC]) === 'other') c.tagLinks.external++;
        }
        break;
      case META: {
        const content = a[CONTENT];
        const m = content === undefined ? null : /^\s*\d*\s*;?\s*url\s*=\s*(.+)$/i.exec(content) ?? /^(https?:\/\/\S+)$/i.exec(content.trim());
        if (m) {
          c.tagLinks.total++;
          if (this.where(m[1]!.replace(/^['"]|['"]$/g, '')) === 'other') c.tagLinks.external++;
        }
        break;
      }
      case FORM: {
        if (this.inForm) break;
        this.inForm = true;
        c.forms++;
        const action = (a[ACTION] ?? '').trim();
        const mailto = /^mailto:/i.test(action);
        const kind: FeatureValue = mailto ? 1 : action === '' || action.toLowerCase() === 'about:blank' ? -1 : this.where(action) === 'other' ? 0 : 1;
        if (mailto) this.email = -1;
        if (kind < this.sfh) this.sfh = kind;
        break;
      }
      case IFRAME: {
        const style = (a[STYLE] ?? '').replace(/\s+/g, '').toLowerCase();
        if (a[FRAMEBORDER] === '0' || /visibility:hidden|display:none/.test(style) || a[WIDTH] === '0' || a[HEIGHT] === '0') this.iframe = -1;
        break;
      }
    }
  }

  onselfclosingtag(): void {
    this.onopentagend(); // HTML ignores the "/" of "<x/>"
  }

  ontext(start: number, end: number): void {
    if (this.inScript && this.script.length < MAX_SCRIPT_CHARS) this.script += this.html.slice(start, Math.min(end, start + MAX_SCRIPT_CHARS - this.script.length));
  }

  onclosetag(start: number, end: number): void {
    const n = end - start;
    if (n !== 6 && n !== 4) return;
    const name = this.html.slice(start, end).toLowerCase();
    if (name === 'script' && this.inScript) {
      this.inScript = false;
      this.script += '\n';
    } else if (name === 'form') {
      this.inForm = false;
    }
  }

  onattribentity = noop;
  ontextentity = noop;
  oncdata = noop;
  oncomment = noop;
  ondeclaration = noop;
  onprocessinginstruction = noop;
  onend = noop;
}

export function pageFeatures(html: string, pageUrl: URL): PageFeatures {
  return pageAnalysis(html, pageUrl).features;
}
