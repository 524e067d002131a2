/**
 * A Registry that also publishes its state — every version and the current aliases — as
 * `registry/index.json` in the artifact store after each change. With S3 as the artifact store, any
 * machine can then find and load the champion bundle without the registry database of the machine
 * that trained it (see loadModel).
 *
 * Each change is made in the inner registry first and then published; when publishing fails (the
 * artifact store is down) the store's error is thrown and the change stays made locally. A version
 * whose publishing failed right after `register` therefore stays registered, never promoted, with the
 * failed run as its lineage: its bundle is stored and checked, its number may already be mirrored to
 * MLflow, and the Registry port has no removal, so dropping it would reuse or hide a number. The next
 * change that publishes includes it, and numbering goes on after it. An alias move whose publishing
 * failed is put back by the push stage (restoreChampion), which publishes again.
 */
import { NsError } from '../core/errors.js';
import type { Alias, ArtifactStore, ModelVersion, NewModelVersion, Registry } from '../ports/index.js';

export const REGISTRY_INDEX_KEY = 'registry/index.json';

export interface RegistryIndex {
  publishedAt: string;
  aliases: Partial<Record<Alias, number>>;
  versions: ModelVersion[];
}

/**
 * Wraps `inner` so that every register and alias move also publishes the index; see the module comment.
 * `afterAliasMove` runs after a published move (the champion announcement on Redis).
 */
export function publishingRegistry(inner: Registry, artifacts: ArtifactStore, afterAliasMove?: (alias: Alias, version: number | null) => Promise<void>): Registry {
  const publish = async (): Promise<void> => {
    const versions = await inner.list();
    const aliases: Partial<Record<Alias, number>> = {};
    for (const alias of ['champion', 'challenger'] as const) {
      const v = await inner.getAlias(alias);
      if (v) aliases[alias] = v.version;
    }
    const index: RegistryIndex = { publishedAt: new Date().toISOString(), aliases, versions };
    await artifacts.put(REGISTRY_INDEX_KEY, JSON.stringify(index, null, 2));
  };
  return {
    describe: () => inner.describe(),
    list: () => inner.list(),
    get: (v) => inner.get(v),
    getAlias: (a) => inner.getAlias(a),
    history: (a) => inner.history(a),
    async register(version: NewModelVersion) {
      const registered = await inner.register(version);
      await publish();
      return registered;
    },
    async setAlias(alias, version, expected, reason) {
      await inner.setAlias(alias, version, expected, reason);
      await publish();
      await afterAliasMove?.(alias, version);
    },
  };
}

/** The published index, or undefined when none was published to this artifact store. */
export async function readRegistryIndex(artifacts: ArtifactStore): Promise<RegistryIndex | undefined> {
  if (!(await artifacts.exists(REGISTRY_INDEX_KEY))) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(await artifacts.get(REGISTRY_INDEX_KEY))) as RegistryIndex;
  } catch (e) {
    throw new NsError('REGISTRY_INDEX_INVALID', `${REGISTRY_INDEX_KEY} in ${artifacts.describe()} is not valid JSON.`, { kind: 'state', cause: e, hint: 'Promote the champion again to republish it.' });
  }
}
