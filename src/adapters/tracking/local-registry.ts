/**
 * The embedded model registry: versions with their lineage (run, bundle, data snapshot, schema hash,
 * metrics) and the aliases `champion` / `challenger` in the local SQLite state file. Moving an alias is a
 * compare-and-set inside an IMMEDIATE transaction, so two processes promoting at once cannot both win:
 * the second sees that the alias no longer holds what it expected and gets ALIAS_CONFLICT.
 */
import type { Alias, AliasChange, ModelVersion, NewModelVersion, PublishedRegistry, StateRegistry } from '../../ports/registry.js';
import { openTrackingDb, settle, type TrackingDb } from './db.js';
import { ALIASES, aliasConflict, aliasInvalid, versionNotFound } from './registry-errors.js';

interface VersionRow {
  version: number; run_id: string; created_at: string; bundle_key: string; bundle_sha256: string; model_kind: string;
  metrics: string; snapshot_sha256: string; schema_hash: string;
}
interface HistoryRow { alias: Alias; from_version: number | null; to_version: number | null; at: string; reason: string }

function toVersion(row: VersionRow): ModelVersion {
  return {
    version: row.version, runId: row.run_id, createdAt: row.created_at, bundleKey: row.bundle_key,
    bundleSha256: row.bundle_sha256, modelKind: row.model_kind, metrics: JSON.parse(row.metrics) as Record<string, number>,
    snapshotSha256: row.snapshot_sha256, schemaHash: row.schema_hash,
  };
}

/** The registry in the local state file (see StateRegistry); closed with the state file. */
export interface LocalRegistry extends StateRegistry {
  close(): void;
}

class SqliteLocalRegistry implements LocalRegistry {
  constructor(private readonly db: TrackingDb, private readonly path: string) {}

  describe(): string {
    return `local:${this.path}`;
  }

  register(version: NewModelVersion): Promise<ModelVersion> {
    return settle(() => this.registerSync(version));
  }

  private registerSync(version: NewModelVersion): ModelVersion {
    const createdAt = new Date().toISOString();
    const info = this.db.prepare(`INSERT INTO registry_versions
      (run_id, created_at, bundle_key, bundle_sha256, model_kind, metrics, snapshot_sha256, schema_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(version.runId, createdAt, version.bundleKey, version.bundleSha256, version.modelKind, JSON.stringify(version.metrics),
        version.snapshotSha256, version.schemaHash);
    return { ...version, version: Number(info.lastInsertRowid), createdAt };
  }

  list(): Promise<ModelVersion[]> {
    return settle(() => (this.db.prepare('SELECT * FROM registry_versions ORDER BY version DESC').all() as VersionRow[]).map(toVersion));
  }

  get(version: number): Promise<ModelVersion | undefined> {
    return settle(() => {
      const row = this.db.prepare('SELECT * FROM registry_versions WHERE version = ?').get(version) as VersionRow | undefined;
      return row ? toVersion(row) : undefined;
    });
  }

  getAlias(alias: Alias): Promise<ModelVersion | undefined> {
    return settle(() => {
      const row = this.db.prepare('SELECT v.* FROM registry_aliases a JOIN registry_versions v ON v.version = a.version WHERE a.alias = ?')
        .get(alias) as VersionRow | undefined;
      return row ? toVersion(row) : undefined;
    });
  }

  setAlias(alias: Alias, version: number | null, expected: number | null, reason: string): Promise<void> {
    if (!ALIASES.includes(alias)) return Promise.reject(aliasInvalid(String(alias)));
    const move = this.db.transaction(() => {
      const current = (this.db.prepare('SELECT version FROM registry_aliases WHERE alias = ?').get(alias) as { version: number } | undefined)?.version ?? null;
      if (current !== expected) throw aliasConflict(alias, current, expected, version);
      if (version !== null && !this.db.prepare('SELECT 1 FROM registry_versions WHERE version = ?').get(version)) throw versionNotFound(version);
      if (version === null) this.db.prepare('DELETE FROM registry_aliases WHERE alias = ?').run(alias);
      else this.db.prepare('INSERT INTO registry_aliases (alias, version) VALUES (?, ?) ON CONFLICT (alias) DO UPDATE SET version = excluded.version').run(alias, version);
      this.db.prepare('INSERT INTO registry_alias_history (alias, from_version, to_version, at, reason) VALUES (?, ?, ?, ?, ?)')
        .run(alias, current, version, new Date().toISOString(), reason);
    });
    // IMMEDIATE takes the write lock before reading, so the read-compare-write cannot interleave with another process.
    return settle(() => { move.immediate(); });
  }

  history(alias: Alias): Promise<AliasChange[]> {
    return settle(() => (this.db.prepare('SELECT alias, from_version, to_version, at, reason FROM registry_alias_history WHERE alias = ? ORDER BY id DESC')
      .all(alias) as HistoryRow[]).map((r) => ({ alias: r.alias, from: r.from_version, to: r.to_version, at: r.at, reason: r.reason })));
  }

  adopt(published: PublishedRegistry, reason: string): Promise<number> {
    const insert = this.db.prepare(`INSERT OR IGNORE INTO registry_versions
      (version, run_id, created_at, bundle_key, bundle_sha256, model_kind, metrics, snapshot_sha256, schema_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const take = this.db.transaction(() => {
      let added = 0;
      for (const v of published.versions) {
        added += insert.run(v.version, v.runId, v.createdAt, v.bundleKey, v.bundleSha256, v.modelKind, JSON.stringify(v.metrics), v.snapshotSha256, v.schemaHash).changes;
      }
      for (const alias of ALIASES) {
        const version = published.aliases[alias];
        if (version === undefined || this.db.prepare('SELECT 1 FROM registry_aliases WHERE alias = ?').get(alias)) continue;
        if (!this.db.prepare('SELECT 1 FROM registry_versions WHERE version = ?').get(version)) continue;
        this.db.prepare('INSERT INTO registry_aliases (alias, version) VALUES (?, ?)').run(alias, version);
        this.db.prepare('INSERT INTO registry_alias_history (alias, from_version, to_version, at, reason) VALUES (?, NULL, ?, ?, ?)')
          .run(alias, version, new Date().toISOString(), reason);
      }
      return added;
    });
    return settle(() => take.immediate());
  }

  remoteVersion(version: number): Promise<{ name: string; version: string } | undefined> {
    return settle(() => {
      const row = this.db.prepare('SELECT remote_name, remote_version FROM registry_remote_versions WHERE version = ?').get(version) as
        { remote_name: string; remote_version: string } | undefined;
      return row ? { name: row.remote_name, version: row.remote_version } : undefined;
    });
  }

  setRemoteVersion(version: number, remote: { name: string; version: string }): Promise<void> {
    return settle(() => {
      this.db.prepare(`INSERT INTO registry_remote_versions (version, remote_name, remote_version) VALUES (?, ?, ?)
        ON CONFLICT (version) DO UPDATE SET remote_name = excluded.remote_name, remote_version = excluded.remote_version`)
        .run(version, remote.name, remote.version);
    });
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Opens the local registry on a SQLite file (created when missing); may share the file with the tracker.
 *
 * @example
 *   const registry = openLocalRegistry('.networksecurity/state.db');
 *   await registry.setAlias('champion', 3, null, 'first model');
 */
export function openLocalRegistry(dbPath: string): LocalRegistry {
  return new SqliteLocalRegistry(openTrackingDb(dbPath, { registry: true }), dbPath);
}
