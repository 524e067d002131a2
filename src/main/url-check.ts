/**
 * What a URL check needs, wired from the configuration: the safe fetcher (NS_FETCH_ALLOW,
 * NS_FETCH_TIMEOUT_MS, NS_FETCH_MAX_BYTES), the feature providers (none by default: WHOIS, DNS, rank,
 * index and blocklist features stay "not checked"), and the champion's per-profile models, loaded
 * once per champion version.
 */
import { NsError } from '../core/errors.js';
import { safeFetcher } from '../adapters/web-fetch/safe-fetch.js';
import { parseAllowList } from '../adapters/web-fetch/address-policy.js';
import { loadProfileModels, type ProfileModels } from '../pipeline/analyze.js';
import type { FeatureProvider, PageFetcher } from '../ports/index.js';
import { findVersion } from './champion.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';

export function fetchAllowList(config: Pick<Config, 'NS_FETCH_ALLOW'>): string[] {
  const list = config.NS_FETCH_ALLOW.split(',').map((s) => s.trim()).filter(Boolean);
  parseAllowList(list);
  return list;
}

export function pageFetcher(config: Config): PageFetcher {
  return safeFetcher({ allow: fetchAllowList(config), timeoutMs: config.NS_FETCH_TIMEOUT_MS, maxBytes: config.NS_FETCH_MAX_BYTES });
}

/** Providers of the external features; none are configured by default. */
export function featureProviders(): FeatureProvider[] {
  return [];
}

/** Loads the champion's profile models, keeping the last loaded set while the champion stays. */
export function profileModelCache(ctx: Pick<AppContext, 'registry' | 'artifacts' | 'schema'>): () => Promise<ProfileModels> {
  let cached: ProfileModels | null = null;
  return async () => {
    const mv = await findVersion(ctx);
    if (!mv) throw new NsError('NO_CHAMPION', 'There is no champion model yet.', { kind: 'not_found', hint: 'Train one first: networksecurity train' });
    if (cached?.version === mv.version) return cached;
    const loaded = await loadProfileModels(ctx.artifacts, mv, ctx.schema.hash);
    if (!loaded) throw new NsError('NO_PROFILE_MODEL', `Model v${mv.version} was trained without the URL-check profile models.`, { kind: 'state', hint: 'Retrain (networksecurity train) to train them.' });
    cached = loaded;
    return loaded;
  };
}
