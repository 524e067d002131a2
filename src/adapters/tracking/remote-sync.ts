/**
 * Bookkeeping of a remote copy (MLflow) per local run: the remote run id, what was sent (params, tags,
 * artifacts by key; metrics up to a row id; the final status) and whether anything is missing there.
 * Replay reads it to send only what the remote lacks.
 */
import type { TrackingDb } from './db.js';
import type { RemoteRunState, RemoteSyncStore, SentKind } from './types.js';

interface Row {
  run_id: string; remote_run_id: string | null; artifact_uri: string | null; state: RemoteRunState['state'];
  metrics_sent_upto: number; status_sent: string | null; last_error: string | null;
}

const COLUMNS: Record<keyof Omit<RemoteRunState, 'runId'>, string> = {
  remoteRunId: 'remote_run_id', artifactUri: 'artifact_uri', state: 'state', metricsSentUpto: 'metrics_sent_upto',
  statusSent: 'status_sent', lastError: 'last_error',
};

/** The sync store over the `tracking_remote_*` tables of an open state file. */
export function createRemoteSyncStore(db: TrackingDb): RemoteSyncStore {
  const select = db.prepare('SELECT * FROM tracking_remote_runs WHERE run_id = ?');
  const ensure = db.prepare(`INSERT INTO tracking_remote_runs (run_id, state) VALUES (?, 'sent') ON CONFLICT (run_id) DO NOTHING`);
  const mark = db.prepare('INSERT INTO tracking_remote_sent (run_id, kind, key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  return {
    get(runId) {
      const row = select.get(runId) as Row | undefined;
      if (!row) return undefined;
      return {
        runId: row.run_id, remoteRunId: row.remote_run_id, artifactUri: row.artifact_uri, state: row.state,
        metricsSentUpto: row.metrics_sent_upto, statusSent: row.status_sent, lastError: row.last_error,
      };
    },
    update(runId, patch) {
      const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof typeof COLUMNS, unknown][];
      db.transaction(() => {
        ensure.run(runId);
        if (entries.length === 0) return;
        const sets = entries.map(([k]) => `${COLUMNS[k]} = ?`).join(', ');
        db.prepare(`UPDATE tracking_remote_runs SET ${sets} WHERE run_id = ?`).run(...entries.map(([, v]) => v), runId);
      })();
    },
    markSent(runId, kind: SentKind, keys) {
      db.transaction(() => {
        for (const key of keys) mark.run(runId, kind, key);
      })();
    },
    markUnsent(runId, kind: SentKind, keys) {
      const unmark = db.prepare('DELETE FROM tracking_remote_sent WHERE run_id = ? AND kind = ? AND key = ?');
      db.transaction(() => {
        for (const key of keys) unmark.run(runId, kind, key);
      })();
    },
    sentKeys(runId, kind) {
      const rows = db.prepare('SELECT key FROM tracking_remote_sent WHERE run_id = ? AND kind = ?').all(runId, kind) as { key: string }[];
      return new Set(rows.map((r) => r.key));
    },
    notSent() {
      const rows = db.prepare(`SELECT s.run_id FROM tracking_remote_runs s JOIN tracking_runs r ON r.id = s.run_id
        WHERE s.state = 'not_sent' ORDER BY r.start_time, r.rowid`).all() as { run_id: string }[];
      return rows.map((r) => r.run_id);
    },
  };
}
