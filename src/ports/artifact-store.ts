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

export interface ArtifactStore {
  /** e.g. "file:///abs/artifacts" or "s3://bucket/prefix". */
  describe(): string;
  put(key: string, body: Uint8Array | string): Promise<PutResult>;
  /** Throws NsError code ARTIFACT_NOT_FOUND when missing. */
  get(key: string): Promise<Uint8Array>;
  exists(key: string): Promise<boolean>;
  /** Keys below a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
}
