/**
 * The browser's client of the REST API: JSON fetches that turn error bodies into ApiError, and the
 * API token for state-changing calls, kept in sessionStorage and asked for when the server says 401/403.
 */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly hint?: string) { super(message); }
}

const tokenKey = 'ns-api-token';
export const getToken = (): string | null => sessionStorage.getItem(tokenKey);
export const setToken = (t: string | null): void => { if (t) sessionStorage.setItem(tokenKey, t); else sessionStorage.removeItem(tokenKey); };

/** Hook the app installs to ask the user for a token; resolves to the token or null when cancelled. */
export let askToken: (message: string) => Promise<string | null> = () => Promise.resolve(null);
export function setTokenPrompt(fn: typeof askToken): void { askToken = fn; }

async function toError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; hint?: string } };
    return new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? res.statusText, body.error?.hint);
  } catch {
    return new ApiError(res.status, `HTTP_${res.status}`, res.statusText || 'Request failed');
  }
}

/** GET a JSON resource. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw await toError(res);
  return (await res.json()) as T;
}

/** A fetch that sends the token when `auth` is set and, on 401/403, asks for it once and retries. */
async function fetchOk(url: string, init: { method?: string; headers: Record<string, string>; body?: string }, auth: boolean): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const headers = { ...init.headers };
    const token = getToken();
    if (auth && token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(url, { ...init, headers });
    if (res.ok) return res;
    const err = await toError(res);
    if (auth && attempt === 0 && (res.status === 401 || res.status === 403) && err.code !== 'AUTH_NOT_CONFIGURED') {
      const t = await askToken(err.code === 'AUTH_INVALID' ? 'That token was not accepted. Enter the API token:' : 'This action needs the API token (NS_API_TOKEN):');
      if (t) { setToken(t); continue; }
    }
    throw err;
  }
}

/** POST JSON; state-changing calls retry once after asking for the token. */
export async function postJson<T>(url: string, body: unknown, opts: { auth?: boolean } = {}): Promise<T> {
  const res = await fetchOk(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body ?? {}) }, opts.auth ?? false);
  return (await res.json()) as T;
}

/** Downloads a file from a route that needs the token (a plain link cannot send it) and saves it as `filename`. */
export async function downloadWithToken(url: string, filename: string): Promise<void> {
  const blob = await (await fetchOk(url, { headers: {} }, true)).blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Uploads a CSV file and returns the scored CSV text plus the summary headers. */
export async function scoreCsv(file: Blob): Promise<{ text: string; rows: number; rowErrors: number; modelVersion: string }> {
  const res = await fetch('/api/v1/predict/csv', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: file });
  if (!res.ok) throw await toError(res);
  return { text: await res.text(), rows: Number(res.headers.get('x-rows')), rowErrors: Number(res.headers.get('x-row-errors')), modelVersion: res.headers.get('x-model-version') ?? '' };
}

/** "message (hint)" for showing an error. */
export const errorText = (e: unknown): string =>
  e instanceof ApiError ? `${e.message}${e.hint ? ` ${e.hint}` : ''} [${e.code}]` : e instanceof Error ? e.message : String(e);
