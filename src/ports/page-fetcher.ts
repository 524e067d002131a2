/**
 * Fetching a page a user named, for analysis. The implementation decides what may be fetched (see
 * src/adapters/web-fetch); callers get what was seen, never a connection.
 */

export interface FetchedPage {
  /** Address of the last response (after redirects). */
  finalUrl: URL;
  /** Addresses visited, the first one included. */
  chain: string[];
  redirects: number;
  status: number;
  contentType: string | null;
  /** Body as text when the response is HTML (or untyped); null otherwise. */
  html: string | null;
  /** The body was longer than the byte cap and was cut there. */
  truncated: boolean;
  /** TLS of the final response; null for plain http. */
  tls: { trusted: boolean; validFrom: Date; authorizationError: string | null } | null;
}

export interface PageFetcher {
  fetch(url: URL, signal?: AbortSignal): Promise<FetchedPage>;
}
