/**
 * Reading the address a user gave: trimmed, `http://` assumed when no scheme is written, and only
 * http/https accepted (data:, javascript:, file: and the rest are refused with a typed error).
 *
 * @example
 *   parseTarget('example.com/login').url.href; // 'http://example.com/login'
 */
import { NsError } from '../../core/errors.js';

/** Longest address accepted; longer strings are not URLs anyone types or pastes. */
export const MAX_URL_LENGTH = 8192;

export interface Target {
  /** The address as the user wrote it (trimmed): the URL features are measured on this. */
  raw: string;
  /** Parsed, normalised (IDN in punycode, IPv4 forms in dotted decimal). */
  url: URL;
}

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const OPAQUE_SCHEME = /^(data|javascript|vbscript|mailto|file|blob|about|ftp|ws|wss|chrome|view-source):/i;

export function parseTarget(input: string): Target {
  const raw = input.trim();
  if (raw.length === 0) throw new NsError('URL_INVALID', 'The URL is empty.', { hint: 'Give an address such as https://example.com/login.' });
  if (raw.length > MAX_URL_LENGTH) throw new NsError('URL_TOO_LONG', `The URL has ${raw.length} characters; at most ${MAX_URL_LENGTH} are accepted.`, { kind: 'limit', httpStatus: 400, hint: 'Give the address without the extra data.' });
  const withScheme = HAS_SCHEME.test(raw) || OPAQUE_SCHEME.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new NsError('URL_INVALID', `"${raw.slice(0, 200)}" is not a valid URL.`, { hint: 'Give an address such as https://example.com/login.' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NsError('URL_SCHEME', `Only http and https URLs can be analysed, not ${url.protocol.slice(0, 40)}.`, { hint: 'Give the http(s) address of the site.' });
  }
  if (url.hostname === '') throw new NsError('URL_INVALID', 'The URL has no host.', { hint: 'Give an address such as https://example.com/login.' });
  return { raw, url };
}
