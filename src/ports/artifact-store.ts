/**
 * ArtifactStore: feature-store snapshots, run artifacts and model bundles, addressed by
 * slash-separated keys ("<run-id>/manifest.json", "models/3/bundle.nsm"). Embedded default: a local
 * folder; production: S3. Writes are atomic: a reader never sees half an object.
 */
export interface PutResult {
  key: string;
  sha256: string;
  size: number;
}

/** A key written a piece at a time (ArtifactStore.openWriter); nobody sees it until `commit`. */
export interface ArtifactWriter {
  /** Queues a piece; returns at once (the bytes go out in the background). */
  write(piece: Uint8Array | string): void;
  /** Waits for every piece, then publishes the key whole (atomic, as `put`). */
  commit(): Promise<PutResult>;
  /** Drops what was written; the key is left as it was. */
  abort(): Promise<void>;
}

export interface ArtifactStore {
  /** e.g. "file:///abs/artifacts" or "s3://bucket/prefix". */
  describe(): string;
  put(key: string, body: Uint8Array | string): Promise<PutResult>;
  /** Optional: writes a key a piece at a time, hashed as it goes (stores without it take `put` of the whole). */
  openWriter?(key: string): Promise<ArtifactWriter>;
  /** Throws NsError code ARTIFACT_NOT_FOUND when missing. */
  get(key: string): Promise<Uint8Array>;
  exists(key: string): Promise<boolean>;
  /** Keys below a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
}
