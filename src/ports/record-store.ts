/**
 * RecordStore: where the labelled website records live ("phishingdata"). Embedded default: SQLite;
 * production: MongoDB. Records are flat maps of column name to value (null = missing), keyed by a
 * stable identity so that loading the same data twice adds nothing.
 */
export type RecordValues = Record<string, number | null>;

export interface RecordInput {
  /** Stable row identity (see data/identity.ts for the rule). */
  id: string;
  values: RecordValues;
}

export interface StoredRecord extends RecordInput {
  /** Insertion / update time, milliseconds since the epoch; the ingest watermark compares against it. */
  updatedAt: number;
}

export interface ScanOptions {
  /** Only records with updatedAt strictly greater than this (ms). */
  since?: number;
  batchSize?: number;
  signal?: AbortSignal;
}

export interface WriteResult {
  inserted: number;
  skipped: number;
}

export interface RecordStore {
  /** e.g. "sqlite:/path/db" or "mongodb://host/db" with any password removed. */
  describe(): string;
  count(): Promise<number>;
  /** Inserts records whose id is new; existing ids are skipped (counted, not changed). */
  insertBatch(records: readonly RecordInput[]): Promise<WriteResult>;
  /**
   * Streams records in batches, never the whole collection at once. Scans with `since` are ordered by
   * updatedAt; a full scan may come in the store's natural order (FerretDB sorts only in memory).
   */
  scan(options?: ScanOptions): AsyncIterable<StoredRecord[]>;
  /**
   * Replaces every record with the given ones. Must never leave the store empty or half-filled when it
   * fails midway: implementations load into staging and switch over.
   */
  replaceAll(batches: AsyncIterable<readonly RecordInput[]>): Promise<WriteResult>;
  /** Highest updatedAt in the store, or 0 when empty. */
  maxUpdatedAt(): Promise<number>;
  close(): Promise<void>;
}
