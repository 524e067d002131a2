/**
 * The shape of a record in MongoDB: the feature columns and `Result` flat, as the original project
 * stored them, with our stable row identity as `_id` (unique by definition, and the only field that
 * FerretDB 1.x with SQLite looks up without scanning the whole collection) and `_updatedAt` (ms since
 * the epoch, the ingest watermark). Reading maps "na", empty strings and NaN to null as the original's
 * `df.replace({"na": np.nan})` did, and keeps `_id` out of the values.
 */
import type { RecordInput, RecordValues, StoredRecord } from '../../ports/record-store.js';

export type MongoRecordDoc = Record<string, unknown> & { _id: string; _updatedAt: number };

/** The document stored for one record. */
export function toDocument(record: RecordInput, updatedAt: number): MongoRecordDoc {
  return { _id: record.id, ...record.values, _updatedAt: updatedAt };
}

/** A stored value as a number, or null when missing ("na", "", NaN, null, non-numeric text). */
export function toValue(v: unknown): number | null {
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '' || t.toLowerCase() === 'na' || t.toLowerCase() === 'nan') return null;
    const n = Number(t);
    return Number.isNaN(n) ? null : n;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

/**
 * The record for a stored document. Documents written by the original project have an ObjectId as
 * `_id` (its hex string becomes the identity) and no `_updatedAt` (their time is 0).
 */
export function fromDocument(doc: Record<string, unknown>): StoredRecord {
  const values: RecordValues = {};
  for (const key in doc) {
    if (key === '_id' || key === '_updatedAt') continue;
    values[key] = toValue(doc[key]);
  }
  const rawId = doc._id;
  const id = typeof rawId === 'string' ? rawId : String(rawId);
  const t = doc._updatedAt;
  return { id, values, updatedAt: typeof t === 'number' ? t : 0 };
}
