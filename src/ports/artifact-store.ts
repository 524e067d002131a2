/**
 * ArtifactStore: feature-store snapshots, run artifacts and model bundles, addressed by
 * slash-separated keys ("<run-id>/manifest.json", "models/3/bundle.nsm"). Embedded default: a local
 * folder; production: S3. Writes are atomic: a reader never sees half an object.
 */
import { NsError } from '../core/errors.js';

export interface PutResult {
  key: string;
  sha256: string;
  size: number;
}

/** Hands one piece of an object's body, in order, to {@link ArtifactStore.putFrom}. */
export type PieceWriter = (piece: Uint8Array | string) => Promise<void>;

export interface ArtifactStore {
  /** e.g. "file:///abs/artifacts" or "s3://bucket/prefix". */
  describe(): string;
  put(key: string, body: Uint8Array | string): Promise<PutResult>;
  /**
   * Stores the body that `produce` writes piece by piece, as atomically as `put`: nothing is stored
   * when `produce` throws. A local folder writes each piece as it comes (the producer's work and the
   * writing overlap, as a streamed output does); S3 gathers them for one `put`, whose sha256 needs the
   * whole body.
   */
  putFrom<T>(key: string, produce: (write: PieceWriter) => Promise<T>): Promise<{ put: PutResult; value: T }>;
  /** Throws NsError code ARTIFACT_NOT_FOUND when missing. */
  get(key: string): Promise<Uint8Array>;
  exists(key: string): Promise<boolean>;
  /** Keys below a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /**
   * Deletes every key below a folder-like `prefix` (ending in "/") and what unfinished writes left
   * there (a local folder's temporary files of a writer that died mid-`putFrom`).
   */
  deleteAll(prefix: string): Promise<void>;
}

/** A `deleteAll` prefix names a folder below the root: not empty, ends in "/", no "." or ".." part. */
export function requireFolderPrefix(prefix: string): void {
  const parts = prefix.split('/').slice(0, -1);
  if (!prefix.endsWith('/') || parts.length === 0 || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new NsError('ARTIFACT_KEY_INVALID', `"${prefix}" is not a folder below the artifact root.`, { kind: 'input', hint: 'Pass a prefix like "batches/<id>/".' });
  }
}

/** `deleteAll` for stores without unfinished writes to sweep: every listed key, one by one. */
export async function deleteListed(store: Pick<ArtifactStore, 'list' | 'delete'>, prefix: string): Promise<void> {
  requireFolderPrefix(prefix);
  for (const key of await store.list(prefix)) await store.delete(key);
}

/** `putFrom` for stores that need the whole body first: gathers the pieces, then one `put`. */
export async function putGathered<T>(store: Pick<ArtifactStore, 'put'>, key: string, produce: (write: PieceWriter) => Promise<T>): Promise<{ put: PutResult; value: T }> {
  const pieces: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const value = await produce((piece) => {
    pieces.push(typeof piece === 'string' ? encoder.encode(piece) : piece);
    return Promise.resolve();
  });
  const body = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of pieces) {
    body.set(p, at);
    at += p.byteLength;
  }
  return { put: await store.put(key, body), value };
}
