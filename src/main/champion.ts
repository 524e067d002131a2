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

/**
 * Loads `version` to prove it can be served before an alias moves to it: a bundle that is missing,
 * fails its checksum or does not load refuses the move with MODEL_UNLOADABLE (409, exit 2).
 */
export async function requireLoadable(ctx: Pick<AppContext, 'registry' | 'artifacts' | 'schema'>, version: number): Promise<Predictor> {
  try {
    return await requireModel(ctx, version);
  } catch (e) {
    if (e instanceof NsError && e.code === 'MODEL_NOT_FOUND') throw e;
    const reason = e instanceof NsError ? `${e.code}: ${e.message}` : (e as Error).message;
    throw new NsError('MODEL_UNLOADABLE', `Model v${version} cannot be served, so the champion stays where it is (${reason}).`, {
      kind: 'conflict', cause: e, details: { version, reason },
      hint: 'Choose another version, or push this one again (`networksecurity train --from push`).',
    });
  }
}
