/**
 * Registry: model versions with lineage and the aliases `champion` and `challenger`. Moving an alias
 * is a compare-and-set: the caller states which version it expects the alias to hold now, and a
 * concurrent move makes the call fail with NsError code ALIAS_CONFLICT.
 */
export type Alias = 'champion' | 'challenger';

export interface ModelVersion {
  version: number;
  runId: string;
  createdAt: string;
  /** Artifact-store key of the model bundle and its sha256. */
  bundleKey: string;
  bundleSha256: string;
  modelKind: string;
  metrics: Record<string, number>;
  snapshotSha256: string;
  schemaHash: string;
}

export type NewModelVersion = Omit<ModelVersion, 'version' | 'createdAt'>;

export interface AliasChange {
  alias: Alias;
  from: number | null;
  to: number | null;
  at: string;
  reason: string;
}

export interface Registry {
  describe(): string;
  register(version: NewModelVersion): Promise<ModelVersion>;
  list(): Promise<ModelVersion[]>;
  get(version: number): Promise<ModelVersion | undefined>;
  getAlias(alias: Alias): Promise<ModelVersion | undefined>;
  /** Compare-and-set: fails with ALIAS_CONFLICT when the alias does not hold `expected` now. */
  setAlias(alias: Alias, version: number | null, expected: number | null, reason: string): Promise<void>;
  /** Alias moves, newest first (rollback uses it). */
  history(alias: Alias): Promise<AliasChange[]>;
}

/** A version as a published index or another registry states it, with its number. */
export interface PublishedRegistry {
  versions: readonly ModelVersion[];
  aliases: Partial<Record<Alias, number>>;
}

/**
 * The registry that decides (numbers, compare-and-set moves, history): the SQLite one in `state.db`, or
 * the MongoDB one shared by every machine (NS_STATE_URL). Besides the Registry it keeps what a remote
 * mirror (MLflow) needs per version and takes back a published copy (see published-registry.ts).
 */
export interface StateRegistry extends Registry {
  /** The remote (e.g. MLflow) model version a version was mirrored to. */
  remoteVersion(version: number): Promise<{ name: string; version: string } | undefined>;
  setRemoteVersion(version: number, remote: { name: string; version: string }): Promise<void>;
  /**
   * Takes in versions (with their numbers) that this registry lacks, and the aliases it does not set,
   * from a published copy — so numbering goes on after them and never reuses one. Returns how many
   * versions were added.
   */
  adopt(published: PublishedRegistry, reason: string): Promise<number>;
}
