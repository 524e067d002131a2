/**
 * MongoDB connection strings: parsing what we need (host list, credentials) so that no description, log
 * line or error message ever shows the password (the URL itself is masked by core/redact.ts).
 */

/** Matches the user-info part of a mongodb:// or mongodb+srv:// URL: scheme, user, password. */
const userInfo = /^(mongodb(?:\+srv)?:\/\/)([^:@/]*):([^@/]*)@/i;

import { ConnectionString } from 'mongodb-connection-string-url';
import { redactUrlCredentials } from '../../core/redact.js';

/** The password in the URL (decoded and raw), or [] when there is none. */
export function mongoUrlSecrets(url: string): string[] {
  const m = userInfo.exec(url);
  const raw = m?.[3];
  if (!raw) return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // a malformed escape: only the raw form can appear in messages
  }
  return decoded === raw ? [raw] : [raw, decoded];
}

/** Removes every secret from a text (a driver message may echo parts of the URL). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  return out;
}

/** "host:port[,host:port]" of the URL, for messages; '(unparsable)' when there is none. */
export function mongoHosts(url: string): string {
  const m = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*)/i.exec(url);
  return m?.[1] ? m[1] : '(unparsable)';
}

/**
 * Where a database lives, for logs and start lines: scheme, user (no password), hosts and database,
 * without the query — `mongodb://app:***@db.internal:27017/networksecurity`.
 */
export function mongoWhere(url: string, database: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/)(?:([^@/]*)@)?/i.exec(url);
  const userinfo = m?.[2] === undefined ? '' : `${m[2]}@`;
  return redactUrlCredentials(`${m?.[1] ?? 'mongodb://'}${userinfo}${mongoHosts(url)}/${database}`);
}

/**
 * The database named in the URL's path (`mongodb://host/<db>?…`), or undefined when there is none. Parsed
 * by the driver's own parser, so options holding slashes (`?tlsCAFile=/etc/ca.pem`) are not read as a name.
 * Throws the parser's error for a URL it cannot read (callers turn it into MONGO_URL_INVALID).
 */
export function mongoDatabase(url: string): string | undefined {
  const path = new ConnectionString(url).pathname.replace(/^\//, '');
  return path ? decodeURIComponent(path) : undefined;
}
