/**
 * The model registry in MongoDB, shared by every machine of an installation (NS_STATE_URL): versions
 * in `ns_registry_versions` (`_id` = the version number) and one document per alias in
 * `ns_registry_aliases` holding the version and the alias's history.
 *
 * Numbers are never given twice: `register` inserts the next number after the highest as `_id`, and a
 * concurrent register that took it makes the insert fail with a duplicate key, so it tries the next.
 * An alias move is a compare-and-set in one conditional single-document update (atomic on every
 * server, FerretDB included, without transactions): it matches only while the alias holds the
 * expected version, sets the new one and appends the change to the history in the same write. No
 * match means another move came first: ALIAS_CONFLICT. A write retried after a lost answer is
 * recognised as its own (the same bundle at that number, the same move id in the history).
 */
import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { NsError } from '../../core/errors.js';
import type { Alias, AliasChange, ModelVersion, NewModelVersion, PublishedRegistry, StateRegistry } from '../../ports/registry.js';
import { ALIASES, aliasConflict, aliasInvalid, versionNotFound } from '../tracking/registry-errors.js';
import { unlessDuplicate } from './errors.js';
import type { MongoOp } from './state.js';

interface VersionDoc extends Omit<ModelVersion, 'version' | 'metrics'> {
  _id: number;
  /** JSON text (see state.ts). */
  metrics: string;
  remote?: { name: string; version: string };
}
interface Change { id: string; from: number | null; to: number | null; at: string; reason: string }
/** `moves`: the ids of the moves made (also in `history`), as plain strings a filter can test on every server. */
interface AliasDoc { _id: Alias; version: number | null; history: Change[]; moves?: string[] }

/** Register attempts before giving up: each lost one means another process took that number meanwhile. */
const REGISTER_ATTEMPTS = 50;

export class MongoRegistry implements StateRegistry {
  private readonly versions: Collection<VersionDoc>;
  private readonly aliases: Collection<AliasDoc>;

  constructor(db: Db, private readonly op: MongoOp, private readonly where: string) {
    this.versions = db.collection<VersionDoc>('ns_registry_versions');
    this.aliases = db.collection<AliasDoc>('ns_registry_aliases');
  }

  describe(): string {
    return this.where;
  }

  async register(version: NewModelVersion): Promise<ModelVersion> {
    const createdAt = new Date().toISOString();
    for (let attempt = 0; attempt < REGISTER_ATTEMPTS; attempt++) {
      const top = await this.op('reading the newest version', () => this.versions.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).toArray());
      const next = (top[0]?._id ?? 0) + 1;
      const registered: ModelVersion = { ...version, version: next, createdAt };
      if (await this.op('registering a version', () => unlessDuplicate(() => this.versions.insertOne(toDoc(registered))))) return registered;
      const taken = await this.get(next);
      // Our own insert, landed before a lost answer and retried: it is registered.
      if (taken && taken.createdAt === createdAt && taken.bundleKey === version.bundleKey && taken.runId === version.runId) return taken;
    }
    throw new NsError('REGISTRY_BUSY', `Could not take a version number after ${REGISTER_ATTEMPTS} tries: other processes registered meanwhile.`, {
      kind: 'unavailable', hint: 'Run again; runs on one registry should be one at a time.',
    });
  }

  async list(): Promise<ModelVersion[]> {
    const docs = await this.op('listing versions', () => this.versions.find({}).sort({ _id: -1 }).toArray());
    return docs.map(toVersion);
  }

  async get(version: number): Promise<ModelVersion | undefined> {
    const doc = await this.op('reading a version', () => this.versions.findOne({ _id: version }));
    return doc ? toVersion(doc) : undefined;
  }

  private async aliasVersion(alias: Alias): Promise<number | null> {
    return (await this.op('reading an alias', () => this.aliases.findOne({ _id: alias }, { projection: { version: 1 } })))?.version ?? null;
  }

  async getAlias(alias: Alias): Promise<ModelVersion | undefined> {
    const version = await this.aliasVersion(alias);
    return version === null ? undefined : this.get(version);
  }

  async setAlias(alias: Alias, version: number | null, expected: number | null, reason: string): Promise<void> {
    if (!ALIASES.includes(alias)) throw aliasInvalid(String(alias));
    const current = await this.aliasVersion(alias);
    if (current !== expected) throw aliasConflict(alias, current, expected, version);
    if (version !== null && !(await this.get(version))) throw versionNotFound(version);
    const change: Change = { id: randomUUID(), from: expected, to: version, at: new Date().toISOString(), reason };
    if (await this.move(alias, change)) return;
    const now = await this.op('reading an alias', () => this.aliases.findOne({ _id: alias }));
    if (now?.history.some((c) => c.id === change.id)) return;
    throw aliasConflict(alias, now?.version ?? null, expected, version);
  }

  /**
   * The compare-and-set: true when the alias held `change.from` and now holds `change.to`. A retry of a
   * move that landed (its id already in `moves`) matches nothing, so a move to the same version is not
   * recorded twice. (FerretDB ignores `$ne` on a field of the history's documents, hence `moves`.)
   */
  private async move(alias: Alias, change: Change): Promise<boolean> {
    const update = { $set: { version: change.to }, $push: { history: change, moves: change.id } };
    const moved = await this.op('moving an alias', () => this.aliases.updateOne({ _id: alias, version: change.from, moves: { $ne: change.id } }, update));
    if (moved.matchedCount === 1) return true;
    if (change.from !== null) return false;
    // Never set before: the first move creates the document; a concurrent first move makes it a duplicate.
    return this.op('moving an alias', () => unlessDuplicate(() => this.aliases.insertOne({ _id: alias, version: change.to, history: [change], moves: [change.id] })));
  }

  async history(alias: Alias): Promise<AliasChange[]> {
    const doc = await this.op('reading alias history', () => this.aliases.findOne({ _id: alias }));
    return (doc?.history ?? []).map((c) => ({ alias, from: c.from, to: c.to, at: c.at, reason: c.reason })).reverse();
  }

  async adopt(published: PublishedRegistry, reason: string): Promise<number> {
    let added = 0;
    for (const v of published.versions) {
      if (await this.op('restoring a version', () => unlessDuplicate(() => this.versions.insertOne(toDoc(v))))) added++;
    }
    for (const alias of ALIASES) {
      const version = published.aliases[alias];
      if (version === undefined || (await this.aliasVersion(alias)) !== null || !(await this.get(version))) continue;
      await this.move(alias, { id: randomUUID(), from: null, to: version, at: new Date().toISOString(), reason });
    }
    return added;
  }

  async remoteVersion(version: number): Promise<{ name: string; version: string } | undefined> {
    return (await this.op('reading a mirrored version', () => this.versions.findOne({ _id: version }, { projection: { remote: 1 } })))?.remote;
  }

  async setRemoteVersion(version: number, remote: { name: string; version: string }): Promise<void> {
    await this.op('recording a mirrored version', () => this.versions.updateOne({ _id: version }, { $set: { remote } }));
  }
}

function toDoc(v: ModelVersion): VersionDoc {
  return {
    _id: v.version, runId: v.runId, createdAt: v.createdAt, bundleKey: v.bundleKey, bundleSha256: v.bundleSha256,
    modelKind: v.modelKind, metrics: JSON.stringify(v.metrics), snapshotSha256: v.snapshotSha256, schemaHash: v.schemaHash,
  };
}

function toVersion(d: VersionDoc): ModelVersion {
  return {
    version: d._id, runId: d.runId, createdAt: d.createdAt, bundleKey: d.bundleKey, bundleSha256: d.bundleSha256,
    modelKind: d.modelKind, metrics: JSON.parse(d.metrics) as Record<string, number>, snapshotSha256: d.snapshotSha256, schemaHash: d.schemaHash,
  };
}
