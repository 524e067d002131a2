/**
 * A source of features that need an outside service (WHOIS, DNS, traffic rank, search index,
 * blocklists). A provider answers only for what it really checked; a feature it cannot check is left
 * out, and shows as "not checked". With no providers configured (the default) those features are
 * never guessed.
 */

export interface FeatureProvider {
  name: string;
  /** Schema names of the features it may answer. */
  features: readonly string[];
  /** Values (-1, 0, 1) for the features it checked for this address. */
  provide(url: URL, signal?: AbortSignal): Promise<Partial<Record<string, -1 | 0 | 1>>>;
}
