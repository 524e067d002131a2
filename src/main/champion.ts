/**
 * Loading a registered model version (the champion by default) from the artifact store, checking the
 * bundle's sha256 against the registry and its schema against the current one.
 */
import { NsError } from '../core/errors.js';
import { Predictor } from '../pipeline/predictor.js';
import type { ModelVersion } from '../ports/index.js';
import type { AppContext } from './context.js';
import { readRegistryIndex } from './published-registry.js';

/**
 * A version from the local registry, or — on a machine that never trained — from the registry index
 * published in the (shared) artifact store.
 */
export async function findVersion(ctx: Pick<AppContext, 'registry' | 'artifacts'>, version?: number): Promise<ModelVersion | undefined> {
  const local = version === undefined ? await ctx.registry.getAlias('champion') : await ctx.registry.get(version);
  if (local) return local;
  const index = await readRegistryIndex(ctx.artifacts);
  const wanted = version ?? index?.aliases.champion;
  return index?.versions.find((v) => v.version === wanted);
}

export async function loadModel(ctx: Pick<AppContext, 'registry' | 'artifacts' | 'schema'>, version?: number): Promise<Predictor | undefined> {
  const mv = await findVersion(ctx, version);
  if (!mv) {
    if (version !== undefined) throw new NsError('MODEL_NOT_FOUND', `There is no model version ${version}.`, { kind: 'not_found', hint: 'List versions with `networksecurity models list`.' });
    return undefined;
  }
  return Predictor.fromVersion(await ctx.artifacts.get(mv.bundleKey), mv, ctx.schema.hash);
}

export async function requireModel(ctx: Pick<AppContext, 'registry' | 'artifacts' | 'schema'>, version?: number): Promise<Predictor> {
  const p = await loadModel(ctx, version);
  if (!p) throw new NsError('NO_CHAMPION', 'There is no champion model yet.', { kind: 'not_found', hint: 'Train one first: networksecurity train' });
  return p;
}
