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
 *
 * The index is also the registry's backup: when the local state file is lost (an empty registry next
 * to a published index), the first use takes the versions and aliases back from the index, and every
 * `register` first takes in any published number the local registry lacks — so a number is never
 * given to a second model. Reads go on without the index when it cannot be read; writes are refused.
 */
import { NsError } from '../core/errors.js';
import type { Alias, ArtifactStore, ModelVersion, NewModelVersion, Registry, StateRegistry } from '../ports/index.js';

export const REGISTRY_INDEX_KEY = 'registry/index.json';

export interface RegistryIndex {
  publishedAt: string;
  aliases: Partial<Record<Alias, number>>;
  versions: ModelVersion[];
}

/** What the restore needs of the registry under `inner` (see StateRegistry.adopt). */
export type AdoptingRegistry = Pick<StateRegistry, 'adopt'>;

/**
 * Wraps `inner` so that every register and alias move also publishes the index; see the module comment.
 * `afterAliasMove` runs after a published move (the champion announcement on Redis).
 */
export function publishingRegistry(inner: Registry, artifacts: ArtifactStore, local?: AdoptingRegistry, afterAliasMove?: (alias: Alias, version: number | null) => Promise<void>): Registry {
  const adoptPublished = async (): Promise<void> => {
    const index = local && (await readRegistryIndex(artifacts));
    if (index?.versions.length) await local!.adopt(index, `restored from ${REGISTRY_INDEX_KEY}`);
  };
  let restored: Promise<void> | undefined;
  const restoreIfLost = (): Promise<void> => (restored ??= (async () => {
    if ((await inner.list()).length === 0) await adoptPublished();
  })().catch((e: unknown) => {
    restored = undefined;
    throw e;
  }));
  const beforeRead = (): Promise<void> => restoreIfLost().catch(() => undefined);
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
    list: async () => (await beforeRead(), inner.list()),
    get: async (v) => (await beforeRead(), inner.get(v)),
    getAlias: async (a) => (await beforeRead(), inner.getAlias(a)),
    history: async (a) => (await beforeRead(), inner.history(a)),
    async register(version: NewModelVersion) {
      await adoptPublished();
      const registered = await inner.register(version);
      await publish();
      return registered;
    },
    async setAlias(alias, version, expected, reason) {
      await restoreIfLost();
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
