/**
 * The embedded tracker: runs, params, metrics, tags and artifacts in the local SQLite state file. It is
 * the source of truth even when MLflow is configured (the MLflow tracker writes here first). Params are
 * immutable once set, as in MLflow; NaN metric values are stored as NULL and read back as NaN.
 */
import { randomUUID } from 'node:crypto';
import { NsError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import type { MetricPoint, ParamValue, RunStatus, StartRunOptions } from '../../ports/tracker.js';
import { openTrackingDb, settle, type TrackingDb } from './db.js';
import { createRemoteSyncStore } from './remote-sync.js';
import type {
  ArtifactInfo, ListRunsOptions, LocalTracker, RemoteSyncStore, StoredMetric, TrackedRun, TrackedRunSummary,
} from './types.js';

interface RunRow {
  id: string; parent_id: string | null; name: string; status: RunStatus; start_time: number; end_time: number | null;
  state: TrackedRunSummary['remoteState'];
}
interface MetricRow { id: number; key: string; value: number | null; step: number; timestamp: number }

const RUN_COLUMNS = `r.id, r.parent_id, r.name, r.status, r.start_time, r.end_time, s.state
  FROM tracking_runs r LEFT JOIN tracking_remote_runs s ON s.run_id = r.id`;

function toSummary(row: RunRow): TrackedRunSummary {
  return {
    id: row.id, parentId: row.parent_id, name: row.name, status: row.status,
    startTime: row.start_time, endTime: row.end_time, remoteState: row.state ?? null,
  };
}

function runNotFound(runId: string): NsError {
  return new NsError('RUN_NOT_FOUND', `Tracking run ${runId} does not exist.`, {
    kind: 'not_found', hint: 'List runs with `networksecurity runs list` and use one of their ids.',
  });
}

/** Stringifies a param value the way MLflow shows it. */
export function paramToString(value: ParamValue): string {
  return typeof value === 'string' ? value : String(value);
}

class SqliteLocalTracker implements LocalTracker {
  readonly remote: RemoteSyncStore;

  constructor(private readonly db: TrackingDb, private readonly path: string) {
    this.remote = createRemoteSyncStore(db);
  }

  describe(): string {
    return `local:${this.path}`;
  }

  private requireRun(runId: string): RunRow {
    const row = this.db.prepare(`SELECT ${RUN_COLUMNS} WHERE r.id = ?`).get(runId) as RunRow | undefined;
    if (!row) throw runNotFound(runId);
    return row;
  }

  startRun(options: StartRunOptions): Promise<string> {
    return settle(() => this.startRunSync(options));
  }

  private startRunSync(options: StartRunOptions): string {
    if (options.parentRunId !== undefined) this.requireRun(options.parentRunId);
    const id = randomUUID().replaceAll('-', '');
    const insertTag = this.db.prepare('INSERT INTO tracking_tags (run_id, key, value) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO tracking_runs (id, parent_id, name, status, start_time) VALUES (?, ?, ?, ?, ?)')
        .run(id, options.parentRunId ?? null, options.name, 'RUNNING', Date.now());
      for (const [k, v] of Object.entries(options.tags ?? {})) insertTag.run(id, k, v);
    })();
    return id;
  }

  logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    return settle(() => this.logParamsSync(runId, params));
  }

  private logParamsSync(runId: string, params: Record<string, ParamValue>): void {
    this.requireRun(runId);
    const get = this.db.prepare('SELECT value FROM tracking_params WHERE run_id = ? AND key = ?');
    const put = this.db.prepare('INSERT INTO tracking_params (run_id, key, value) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const [key, raw] of Object.entries(params)) {
        const value = paramToString(raw);
        const existing = get.get(runId, key) as { value: string } | undefined;
        if (existing === undefined) put.run(runId, key, value);
        else if (existing.value !== value) {
          throw new NsError('PARAM_CHANGED', `Param ${key} of run ${runId} is already ${existing.value}; it cannot become ${value}.`, {
            kind: 'conflict', details: { runId, key, old: existing.value, new: value },
            hint: 'Params are immutable once logged: log the new value under another key or in a new run.',
          });
        }
      }
    })();
  }

  logMetricsWithIds(runId: string, metrics: readonly MetricPoint[]): { firstId: number; lastId: number } | null {
    this.requireRun(runId);
    if (metrics.length === 0) return null;
    const put = this.db.prepare('INSERT INTO tracking_metrics (run_id, key, value, step, timestamp) VALUES (?, ?, ?, ?, ?)');
    const now = Date.now();
    return this.db.transaction(() => {
      let first = 0;
      let last = 0;
      for (const m of metrics) {
        if (typeof m.value !== 'number') {
          throw new NsError('METRIC_INVALID', `Metric ${m.key} of run ${runId} is not a number.`, { hint: 'Log numeric metric values only.' });
        }
        const info = put.run(runId, m.key, Number.isNaN(m.value) ? null : m.value, m.step ?? 0, m.timestamp ?? now);
        last = Number(info.lastInsertRowid);
        if (first === 0) first = last;
      }
      return { firstId: first, lastId: last };
    })();
  }

  logMetrics(runId: string, metrics: readonly MetricPoint[]): Promise<void> {
    return settle(() => { this.logMetricsWithIds(runId, metrics); });
  }

  setTags(runId: string, tags: Record<string, string>): Promise<void> {
    return settle(() => this.setTagsSync(runId, tags));
  }

  private setTagsSync(runId: string, tags: Record<string, string>): void {
    this.requireRun(runId);
    const put = this.db.prepare('INSERT INTO tracking_tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(tags)) put.run(runId, k, v);
    })();
  }

  logArtifact(runId: string, path: string, body: Uint8Array | string): Promise<void> {
    return settle(() => this.logArtifactSync(runId, path, body));
  }

  private logArtifactSync(runId: string, path: string, body: Uint8Array | string): void {
    this.requireRun(runId);
    const clean = normalizeArtifactPath(path);
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    this.db.prepare(`INSERT INTO tracking_artifacts (run_id, path, size, sha256, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (run_id, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, body = excluded.body, created_at = excluded.created_at`)
      .run(runId, clean, bytes.byteLength, sha256(bytes), bytes, Date.now());
  }

  endRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>): Promise<void> {
    return settle(() => {
      this.requireRun(runId);
      this.db.prepare('UPDATE tracking_runs SET status = ?, end_time = ? WHERE id = ?').run(status, Date.now(), runId);
    });
  }

  resumeRun(runId: string): Promise<boolean> {
    return settle(() => this.db.prepare("UPDATE tracking_runs SET status = 'RUNNING', end_time = NULL WHERE id = ? AND parent_id IS NULL").run(runId).changes === 1);
  }

  listRuns(options: ListRunsOptions = {}): Promise<TrackedRunSummary[]> {
    const parent = options.parentId ?? null;
    const where = parent === null ? 'r.parent_id IS NULL' : 'r.parent_id = ?';
    const order = parent === null ? 'DESC' : 'ASC';
    const args: unknown[] = parent === null ? [] : [parent];
    const rows = this.db.prepare(`SELECT ${RUN_COLUMNS} WHERE ${where} ORDER BY r.start_time ${order}, r.rowid ${order} LIMIT ? OFFSET ?`)
      .all(...args, options.limit ?? 100, options.offset ?? 0) as RunRow[];
    return Promise.resolve(rows.map(toSummary));
  }

  async getRun(runId: string): Promise<TrackedRun | undefined> {
    const row = this.db.prepare(`SELECT ${RUN_COLUMNS} WHERE r.id = ?`).get(runId) as RunRow | undefined;
    if (!row) return undefined;
    const pairs = (table: string): Record<string, string> => Object.fromEntries(
      (this.db.prepare(`SELECT key, value FROM ${table} WHERE run_id = ? ORDER BY key`).all(runId) as { key: string; value: string }[])
        .map((r) => [r.key, r.value]),
    );
    const latest = this.db.prepare(`SELECT key, value FROM tracking_metrics m WHERE run_id = ? AND id = (
      SELECT id FROM tracking_metrics WHERE run_id = m.run_id AND key = m.key ORDER BY step DESC, timestamp DESC, id DESC LIMIT 1)
      ORDER BY key`).all(runId) as { key: string; value: number | null }[];
    const artifacts = this.db.prepare('SELECT path, size, sha256 FROM tracking_artifacts WHERE run_id = ? ORDER BY path').all(runId) as ArtifactInfo[];
    return {
      ...toSummary(row),
      params: pairs('tracking_params'),
      tags: pairs('tracking_tags'),
      metrics: Object.fromEntries(latest.map((m) => [m.key, m.value ?? Number.NaN])),
      artifacts,
      children: await this.listRuns({ parentId: runId, limit: 10_000 }),
    };
  }

  getMetricHistory(runId: string, key: string): Promise<MetricPoint[]> {
    const rows = this.db.prepare('SELECT id, key, value, step, timestamp FROM tracking_metrics WHERE run_id = ? AND key = ? ORDER BY step, timestamp, id')
      .all(runId, key) as MetricRow[];
    return Promise.resolve(rows.map((r) => ({ key: r.key, value: r.value ?? Number.NaN, step: r.step, timestamp: r.timestamp })));
  }

  getArtifact(runId: string, path: string): Promise<Uint8Array> {
    return settle(() => this.getArtifactSync(runId, path));
  }

  private getArtifactSync(runId: string, path: string): Uint8Array {
    const row = this.db.prepare('SELECT body FROM tracking_artifacts WHERE run_id = ? AND path = ?').get(runId, normalizeArtifactPath(path)) as
      { body: Buffer } | undefined;
    if (!row) {
      throw new NsError('ARTIFACT_NOT_FOUND', `Run ${runId} has no artifact ${path}.`, {
        kind: 'not_found', hint: 'List the run artifacts first and use one of their paths.',
      });
    }
    return new Uint8Array(row.body.buffer, row.body.byteOffset, row.body.byteLength);
  }

  metricsAfter(runId: string, afterId: number, limit: number): StoredMetric[] {
    const rows = this.db.prepare('SELECT id, key, value, step, timestamp FROM tracking_metrics WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?')
      .all(runId, afterId, limit) as MetricRow[];
    return rows.map((r) => ({ id: r.id, key: r.key, value: r.value ?? Number.NaN, step: r.step, timestamp: r.timestamp }));
  }

  close(): void {
    this.db.close();
  }
}

/** Relative, slash-separated artifact path; rejects absolute paths and `..` segments. */
export function normalizeArtifactPath(path: string): string {
  const parts = path.replaceAll('\\', '/').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..') || path.startsWith('/')) {
    throw new NsError('ARTIFACT_PATH_INVALID', `Artifact path "${path}" is not a relative path inside the run.`, {
      hint: 'Use a relative path such as "reports/drift.json".',
    });
  }
  return parts.join('/');
}

/**
 * Opens the local tracker on a SQLite file (created when missing).
 *
 * @example
 *   const tracker = openLocalTracker('.networksecurity/state.db');
 *   const run = await tracker.startRun({ name: 'pipeline' });
 */
export function openLocalTracker(dbPath: string): LocalTracker {
  return new SqliteLocalTracker(openTrackingDb(dbPath, { tracking: true }), dbPath);
}
