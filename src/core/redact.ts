/**
 * Credentials out of text that may be shown or logged: the password (or a lone token) in the user-info
 * part of any `scheme://user:password@host` URL is replaced by `***`. The one masker of URLs (MongoDB,
 * Redis, MLflow, request logs, store descriptions).
 *
 * @example redactUrlCredentials('mongodb://bob:pw@h:27017/db') // 'mongodb://bob:***@h:27017/db'
 */
const userInfo = /\b([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]*)(?::([^@/\s]*))?@/gi;

export function redactUrlCredentials(text: string): string {
  return text.replace(userInfo, (_m, scheme: string, user: string, password: string | undefined) =>
    password === undefined ? (user ? `${scheme}***@` : `${scheme}@`) : `${scheme}${user}:***@`);
}
