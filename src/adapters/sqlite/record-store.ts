/**
 * The embedded RecordStore: the "phishingdata" records in a SQLite table. Values are kept as one JSON
 * object per record (the column set comes from the schema, not the table), keyed by the stable row id.
 * replaceAll loads a staging table and swaps it in one transaction, so a failure leaves the old data.
 */
import { NsError } from '../../core/errors.js';
import { toAsync } from '../../core/iter.js';
import type { RecordInput, RecordStore, RecordValues, ScanOptions, StoredRecord, WriteResult } from '../../ports/record-store.js';
import { openSqlite, type SqliteDb } from './open.js';

const TABLE = 'phishingdata';

export class SqliteRecordStore implements RecordStore {
  private readonly db: SqliteDb;
  private lastStamp = 0;

  constructor(private readonly path: string) {
    this.db = openSqlite(path);
    this.createTable(TABLE);
  }

  describe(): string {
    return `sqlite:${this.path}`;
  }

  private createTable(name: string): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${name} (id TEXT PRIMARY KEY, updated_at INTEGER NOT NULL, seq INTEGER NOT NULL, values_json TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS ${name}_updated ON ${name} (updated_at, seq);`);
  }

  /** Strictly increasing millisecond stamps, so a watermark never splits one batch from the next. */
  private stamp(): number {
    const now = Date.now();
    this.lastStamp = now > this.lastStamp ? now : this.lastStamp + 1;
    return this.lastStamp;
  }

  count(): Promise<number> {
    const row = this.db.prepare(`SELECT count(*) AS n FROM ${TABLE}`).get() as { n: number };
    return Promise.resolve(row.n);
  }

  maxUpdatedAt(): Promise<number> {
    const row = this.db.prepare(`SELECT max(updated_at) AS m FROM ${TABLE}`).get() as { m: number | null };
    return Promise.resolve(row.m ?? 0);
  }

  private insertInto(table: string, records: readonly RecordInput[]): WriteResult {
    const stmt = this.db.prepare(`INSERT OR IGNORE INTO ${table} (id, updated_at, seq, values_json) VALUES (?, ?, ?, ?)`);
    const at = this.stamp();
    let inserted = 0;
    this.db.transaction(() => {
      records.forEach((r, i) => {
        inserted += stmt.run(r.id, at, i, JSON.stringify(r.values)).changes;
      });
    })();
    return { inserted, skipped: records.length - inserted };
  }

  insertBatch(records: readonly RecordInput[]): Promise<WriteResult> {
    return Promise.resolve(this.insertInto(TABLE, records));
  }

  scan(options: ScanOptions = {}): AsyncIterable<StoredRecord[]> {
    return toAsync(this.pages(options));
  }

  /** Pages of the scan; synchronous underneath (better-sqlite3), adapted to the async port. */
  private *pages(options: ScanOptions): Generator<StoredRecord[]> {
    const batchSize = options.batchSize ?? 5000;
    const stmt = this.db.prepare(
      `SELECT id, updated_at AS updatedAt, seq, values_json AS v FROM ${TABLE}
       WHERE (updated_at, seq) > (?, ?) ORDER BY updated_at, seq, id LIMIT ?`,
    );
    // Keyset pagination on (updated_at, seq): rows inserted meanwhile never shift a page.
    let afterAt = options.since ?? 0;
    let afterSeq = options.since === undefined ? -1 : Number.MAX_SAFE_INTEGER;
    for (;;) {
      if (options.signal?.aborted) throw new NsError('ABORTED', 'The scan was cancelled.', { kind: 'state' });
      const rows = stmt.all(afterAt, afterSeq, batchSize) as { id: string; updatedAt: number; seq: number; v: string }[];
      if (rows.length === 0) return;
      yield rows.map((r) => ({ id: r.id, updatedAt: r.updatedAt, values: JSON.parse(r.v) as RecordValues }));
      const last = rows[rows.length - 1]!;
      afterAt = last.updatedAt;
      afterSeq = last.seq;
      if (rows.length < batchSize) return;
    }
  }

  async replaceAll(batches: AsyncIterable<readonly RecordInput[]>): Promise<WriteResult> {
    const staging = `${TABLE}_staging`;
    this.db.exec(`DROP TABLE IF EXISTS ${staging}`);
    this.createTable(staging);
    let total: WriteResult = { inserted: 0, skipped: 0 };
    try {
      for await (const batch of batches) {
        const r = this.insertInto(staging, batch);
        total = { inserted: total.inserted + r.inserted, skipped: total.skipped + r.skipped };
      }
    } catch (e) {
      this.db.exec(`DROP TABLE IF EXISTS ${staging}`);
      throw e;
    }
    this.db.transaction(() => {
      this.db.exec(`DELETE FROM ${TABLE}; INSERT INTO ${TABLE} SELECT * FROM ${staging}; DROP TABLE ${staging};`);
    })();
    return total;
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
