/**
 * RecordStore on MongoDB (and FerretDB, which speaks its wire protocol) with the official driver.
 *
 * Which collection is live: FerretDB 1.x has no transactions and no renameCollection with dropTarget,
 * so `replaceAll` cannot swap collections in place. Instead a pointer document in the `ns_pointers`
 * collection (`{_id: <collection>, live: <physical name>}`) names the physical collection that holds
 * the records; without a pointer the collection itself is live (data loaded by the original project).
 * `replaceAll` loads a fresh staging collection and, only when every batch is in, moves the pointer
 * with one single-document update (atomic on every server), then drops the old collection. A failure
 * before the switch drops the staging collection and leaves the live data untouched.
 *
 * Record shape (documents.ts): `recordFormat` or env MONGO_RECORD_FORMAT = `packed` (default) or
 * `flat`. Packed keeps `_id` and `_updatedAt` as fields and the values in one Binary field; FerretDB's
 * cost is per field of every document, so packed writes and reads about 5x faster. `flat` writes the
 * original project's shape (one field per column) for tools that read the collection directly. Reads
 * accept both shapes in the same collection, so switching the setting needs no migration.
 *
 * FerretDB (detected from buildInfo) gets two measured shortcuts: `count` reads collStats (SQLite's
 * COUNT(*), exact) instead of countDocuments, which makes FerretDB decode every document (as long as a
 * full scan); and no `_updatedAt` index, which FerretDB 1.x never uses for a range filter or a sort
 * (same time with and without) but which costs about 20% of every insert.
 */
import { MongoClient } from 'mongodb';
import type { Collection, Db, Document } from 'mongodb';
import { NsError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { RecordInput, RecordStore, ScanOptions, StoredRecord, WriteResult } from '../../ports/record-store.js';
import { fitsLayout, fromDocument, layoutId, layoutIdOfKey, layoutKey, packable, packedLayoutKey, toDocument, toPackedDocuments } from './documents.js';
import type { Layout } from './documents.js';
import type { MongoErrorContext, RetryOptions } from './errors.js';
import { toMongoNsError, withMongoRetry } from './errors.js';
import { mongoHosts, mongoUrlSecrets, mongoWhere } from './url.js';

export interface MongoRecordStoreOptions {
  /** Database name; default "networksecurity". */
  database?: string;
  /** Logical collection name; default "phishingdata". */
  collection?: string;
  /** How long the driver looks for a server before an operation fails; default 5000 ms. */
  serverSelectionTimeoutMS?: number;
  /** Retries of an operation after a transient error; default 3. */
  retries?: number;
  /** First backoff delay, doubled per retry; default 250 ms. */
  retryBaseMs?: number;
  /** Default batch size of scans; default 5000. */
  batchSize?: number;
  logger?: Logger;
  /** Clock for `_updatedAt` (tests). */
  now?: () => number;
  /** Shape of written records; default env MONGO_RECORD_FORMAT, else "packed" (see the module comment). */
  recordFormat?: MongoRecordFormat;
}

export type MongoRecordFormat = 'flat' | 'packed';

/** The record format named by `value` (MONGO_RECORD_FORMAT), "packed" when unset; NsError otherwise. */
export function parseRecordFormat(value: string | undefined): MongoRecordFormat {
  if (value === undefined || value === '' || value === 'packed') return 'packed';
  if (value === 'flat') return 'flat';
  throw new NsError('MONGO_RECORD_FORMAT_INVALID', `MONGO_RECORD_FORMAT is "${value}", not a record format.`, {
    kind: 'config', hint: 'Set MONGO_RECORD_FORMAT to packed (default, fast) or flat (the original project\'s shape).',
  });
}

const POINTERS = 'ns_pointers';
const LAYOUTS = 'ns_layouts';
/** Staging collections older than this, left by a crashed replaceAll, are dropped by the next one. */
const STALE_STAGING_MS = 60 * 60 * 1000;

/** RecordStore over a MongoDB collection; create it with openMongoRecordStore. */
export class MongoRecordStore implements RecordStore {
  private readonly db: Db;
  private readonly base: string;
  private readonly ctx: MongoErrorContext;
  private readonly retry: RetryOptions;
  private readonly batchSize: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly format: MongoRecordFormat;
  /** Column lists of packed records by layout key, read from or written to `ns_layouts`. */
  private readonly layouts = new Map<number, readonly string[]>();
  private lastStamp = 0;
  /** Set by detectServer(): the server is FerretDB. */
  private ferret = false;

  constructor(
    private readonly client: MongoClient,
    private readonly url: string,
    options: MongoRecordStoreOptions = {},
  ) {
    this.db = client.db(options.database ?? 'networksecurity');
    this.base = options.collection ?? 'phishingdata';
    this.ctx = { hosts: mongoHosts(url), secrets: mongoUrlSecrets(url) };
    this.retry = { retries: options.retries ?? 3, baseMs: options.retryBaseMs ?? 250 };
    this.batchSize = options.batchSize ?? 5000;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.format = options.recordFormat ?? parseRecordFormat(process.env.MONGO_RECORD_FORMAT);
  }

  /** The shape this store writes records in. */
  get recordFormat(): MongoRecordFormat {
    return this.format;
  }

  describe(): string {
    return `${mongoWhere(this.url, this.db.databaseName)}.${this.base}`;
  }

  /** Runs one database operation with retries and error mapping. */
  private op<T>(doing: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withMongoRetry(fn, { ...this.retry, ...(signal ? { signal } : {}) }, this.ctx, doing);
  }

  /** Name of the physical collection that holds the records now. */
  async liveCollectionName(): Promise<string> {
    const ptr = await this.op('reading the live-collection pointer', () =>
      this.db.collection<{ _id: string; live: string }>(POINTERS).findOne({ _id: this.base }),
    );
    return ptr?.live ?? this.base;
  }

  private async live(): Promise<Collection<Document>> {
    return this.db.collection(await this.liveCollectionName());
  }

  /** A time for `_updatedAt` strictly above every earlier one of this store, so watermarks never tie. */
  private stamp(): number {
    const t = Math.max(this.now(), this.lastStamp + 1);
    this.lastStamp = t;
    return t;
  }

  /** Asks the server what it is (FerretDB answers buildInfo with a `ferretdbVersion`). */
  async detectServer(): Promise<void> {
    const info = await this.op('reading the server build', () => this.db.admin().command({ buildInfo: 1 }));
    this.ferret = 'ferretdbVersion' in info;
  }

  /**
   * Creates the `_updatedAt` index used by watermark scans (idempotent; `_id` is the row identity).
   * Not on FerretDB, which never uses it (see the module comment).
   */
  async ensureIndexes(name?: string): Promise<void> {
    if (this.ferret) return;
    const coll = name ? this.db.collection(name) : await this.live();
    await this.op('creating indexes', () => coll.createIndex({ _updatedAt: 1 }, { name: 'ns_updatedAt' }));
  }

  async count(): Promise<number> {
    const coll = await this.live();
    if (this.ferret) {
      const stats = await this.op('counting records', () => this.db.command({ collStats: coll.collectionName }));
      return typeof stats.count === 'number' ? stats.count : 0;
    }
    return this.op('counting records', () => coll.countDocuments({}));
  }

  async maxUpdatedAt(): Promise<number> {
    const coll = await this.live();
    const top = await this.op('reading the watermark', () =>
      coll.find({}, { projection: { _id: 0, _updatedAt: 1 } }).sort({ _updatedAt: -1 }).limit(1).toArray(),
    );
    const t = top[0]?._updatedAt as unknown;
    return typeof t === 'number' ? t : 0;
  }

  async insertBatch(records: readonly RecordInput[]): Promise<WriteResult> {
    return this.insertInto(await this.live(), records);
  }

  /**
   * Unordered bulk insert keyed by `_id`: new ids are inserted, existing ones are rejected by the server
   * as duplicates and counted as skipped (never changed). A retry after a transient error is harmless;
   * the documents that made it the first time are then counted as skipped.
   */
  private async insertInto(coll: Collection<Document>, records: readonly RecordInput[]): Promise<WriteResult> {
    if (records.length === 0) return { inserted: 0, skipped: 0 };
    const docs = await this.toDocuments(records, this.stamp());
    // In `_id` order, the server's inserts walk its `_id` index in order instead of at random (row
    // identities are hashes): measured 1.5x faster inserts on FerretDB at 300,000 records.
    docs.sort(byId);
    const inserted = await this.op('writing records', async () => {
      try {
        return (await coll.insertMany(docs, { ordered: false })).insertedCount;
      } catch (e) {
        if (isDuplicatesOnly(e)) return e.result.insertedCount;
        throw e;
      }
    });
    return { inserted, skipped: records.length - inserted };
  }

  /** The documents of records in this store's format (records that cannot be packed stay flat). */
  private async toDocuments(records: readonly RecordInput[], t: number): Promise<Document[]> {
    if (this.format === 'flat') return records.map((r) => toDocument(r, t));
    const docs: Document[] = [];
    let run: RecordInput[] = [];
    let layout: Layout | null = null;
    const flush = (): void => {
      if (layout && run.length > 0) for (const d of toPackedDocuments(run, layout, t)) docs.push(d);
      run = [];
    };
    for (const r of records) {
      if (!packable(r.values)) {
        docs.push(toDocument(r, t));
        continue;
      }
      if (!layout || !fitsLayout(r.values, layout.columns)) {
        flush();
        layout = await this.layoutFor(Object.keys(r.values));
      }
      run.push(r);
    }
    flush();
    return docs;
  }

  /** The layout of a column list, stored in `ns_layouts` the first time it is used. */
  private async layoutFor(columns: readonly string[]): Promise<Layout> {
    const id = layoutId(columns);
    const key = layoutKey(id);
    const known = this.layouts.get(key);
    if (known) {
      if (!sameColumns(known, columns)) throw layoutConflict(id);
      return { id, columns: known };
    }
    const coll = this.db.collection<{ _id: string; columns: string[] }>(LAYOUTS);
    const stored = await this.op('storing a record layout', async () => {
      try {
        await coll.insertOne({ _id: id, columns: [...columns] });
        return [...columns];
      } catch (e) {
        if ((e as { code?: unknown }).code !== 11000) throw e;
        return (await coll.findOne({ _id: id }))?.columns ?? [];
      }
    });
    if (!sameColumns(stored, columns)) throw layoutConflict(id);
    this.layouts.set(key, stored);
    return { id, columns: stored };
  }

  /** Loads the layouts of packed documents that this store has not seen yet. */
  private async loadLayouts(docs: readonly Document[]): Promise<void> {
    const missing = new Set<number>();
    for (const d of docs) {
      const k = packedLayoutKey(d);
      if (k !== null && !this.layouts.has(k)) missing.add(k);
    }
    if (missing.size === 0) return;
    const ids = [...missing].map(layoutIdOfKey);
    const found = await this.op('reading record layouts', () =>
      this.db.collection<{ _id: string; columns: string[] }>(LAYOUTS).find({ _id: { $in: ids } }).toArray(),
    );
    for (const l of found) this.layouts.set(layoutKey(l._id), l.columns);
    const absent = ids.filter((id) => !this.layouts.has(layoutKey(id)));
    if (absent.length > 0) {
      throw new NsError('MONGO_LAYOUT_MISSING', `Packed records use the layout ${absent.join(', ')}, which ${this.db.databaseName}.${LAYOUTS} does not hold.`, {
        kind: 'state', hint: `Restore the ${LAYOUTS} collection (it names the columns of packed records) or reload the data with the etl command.`,
      });
    }
  }

  async *scan(options: ScanOptions = {}): AsyncIterable<StoredRecord[]> {
    const batchSize = options.batchSize ?? this.batchSize;
    const coll = await this.live();
    // An incremental scan (`since`) is sorted by _updatedAt. A full scan is read in natural order:
    // FerretDB 1.x sorts only in memory (1,000,000 records took it over 10 minutes and 5 GB before the
    // first batch), and a full read needs no order; its watermark is maxUpdatedAt().
    const cursor = options.since === undefined
      ? coll.find({}, { batchSize })
      : coll.find({ _updatedAt: { $gt: options.since } }, { batchSize }).sort({ _updatedAt: 1 });
    try {
      for (;;) {
        if (options.signal?.aborted) return;
        // hasNext fetches the next server batch; readBufferedDocuments hands it over without copying doc by doc.
        const more = await (async () => {
          try {
            return await cursor.hasNext();
          } catch (e) {
            throw toMongoNsError(e, this.ctx, 'scanning records');
          }
        })();
        if (!more) return;
        const docs = cursor.readBufferedDocuments(batchSize);
        await this.loadLayouts(docs);
        const batch = new Array<StoredRecord>(docs.length);
        for (let i = 0; i < docs.length; i++) batch[i] = fromDocument(docs[i]!, this.layouts);
        yield batch;
      }
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }

  async replaceAll(batches: AsyncIterable<readonly RecordInput[]>): Promise<WriteResult> {
    const oldLive = await this.liveCollectionName();
    await this.dropStaleStaging(oldLive);
    const staging = `${this.base}__r${this.now()}_${Math.random().toString(36).slice(2, 8)}`;
    await this.op('creating the staging collection', () => this.db.createCollection(staging));
    const total: WriteResult = { inserted: 0, skipped: 0 };
    try {
      await this.ensureIndexes(staging);
      const coll = this.db.collection(staging);
      for await (const batch of batches) {
        const r = await this.insertInto(coll, batch);
        total.inserted += r.inserted;
        total.skipped += r.skipped;
      }
    } catch (e) {
      await this.db.dropCollection(staging).catch(() => undefined);
      throw e;
    }
    // The switch: one atomic single-document update. Before it readers see the old data, after it the new.
    await this.op('switching to the new collection', () =>
      this.db.collection<{ _id: string; live: string; switchedAt: number }>(POINTERS).updateOne(
        { _id: this.base },
        { $set: { live: staging, switchedAt: this.now() } },
        { upsert: true },
      ),
    );
    try {
      await this.db.dropCollection(oldLive);
    } catch (e) {
      this.logger.warn('old collection not dropped after replaceAll', { collection: oldLive, error: toMongoNsError(e, this.ctx).message });
    }
    return total;
  }

  /** Drops staging collections left by a replaceAll that crashed long enough ago. */
  private async dropStaleStaging(live: string): Promise<void> {
    const names = await this.op('listing collections', () =>
      this.db.listCollections({}, { nameOnly: true }).toArray(),
    );
    const prefix = `${this.base}__r`;
    for (const { name } of names) {
      if (!name.startsWith(prefix) || name === live) continue;
      const created = Number(name.slice(prefix.length).split('_')[0]);
      if (Number.isFinite(created) && this.now() - created > STALE_STAGING_MS) {
        await this.db.dropCollection(name).catch(() => undefined);
      }
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function byId(a: Document, b: Document): number {
  const x = String(a._id);
  const y = String(b._id);
  return x < y ? -1 : x > y ? 1 : 0;
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

function layoutConflict(id: string): NsError {
  return new NsError('MONGO_LAYOUT_CONFLICT', `The record layout ${id} in ${LAYOUTS} names other columns than this data (a hash collision).`, {
    kind: 'conflict', hint: 'Write these records with MONGO_RECORD_FORMAT=flat.',
  });
}

interface DuplicatesOnlyError {
  result: { insertedCount: number };
}

/** A bulk-write error whose every failure is a duplicate key (ids already stored). */
function isDuplicatesOnly(e: unknown): e is DuplicatesOnlyError {
  const bulk = e as { name?: unknown; result?: { insertedCount?: unknown }; writeErrors?: unknown };
  if (bulk.name !== 'MongoBulkWriteError' || typeof bulk.result?.insertedCount !== 'number') return false;
  const list = Array.isArray(bulk.writeErrors) ? (bulk.writeErrors as { code?: unknown }[]) : [bulk.writeErrors as { code?: unknown }];
  return list.every((w) => w?.code === 11000);
}

/**
 * Connects to MongoDB and returns the record store; fails with one clear NsError line
 * (MONGO_URL_INVALID, MONGO_AUTH or MONGO_UNAVAILABLE) that never contains the password.
 *
 * @example
 *   const store = await openMongoRecordStore(process.env.MONGO_DB_URL!, { collection: 'phishingdata' });
 */
export async function openMongoRecordStore(url: string, options: MongoRecordStoreOptions = {}): Promise<MongoRecordStore> {
  const ctx: MongoErrorContext = { hosts: mongoHosts(url), secrets: mongoUrlSecrets(url) };
  const recordFormat = options.recordFormat ?? parseRecordFormat(process.env.MONGO_RECORD_FORMAT);
  let client: MongoClient;
  try {
    client = new MongoClient(url, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
      connectTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
    });
  } catch (e) {
    throw toMongoNsError(e, ctx, 'parsing the URL');
  }
  const retry = { retries: options.retries ?? 3, baseMs: options.retryBaseMs ?? 250 };
  try {
    await withMongoRetry(() => client.connect(), retry, ctx, 'connecting');
    const store = new MongoRecordStore(client, url, { ...options, recordFormat });
    await store.detectServer();
    await store.ensureIndexes();
    return store;
  } catch (e) {
    await client.close().catch(() => undefined);
    throw toMongoNsError(e, ctx, 'connecting');
  }
}
