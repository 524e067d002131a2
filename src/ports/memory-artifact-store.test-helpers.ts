/**
 * An in-memory ArtifactStore for unit tests of code above the store (run artifacts, the publishing
 * registry): objects in a Map; while `failing` is set every put rejects with S3_UNAVAILABLE and
 * stores nothing, as a store that went down would.
 */
import { NsError } from '../core/errors.js';
import { deleteListed, putGathered, type ArtifactStore, type PieceWriter, type PutResult } from './artifact-store.js';

export class MemoryArtifactStore implements ArtifactStore {
  objects = new Map<string, string>();
  failing = false;
  describe(): string { return 'memory'; }
  put(key: string, body: Uint8Array | string): Promise<PutResult> {
    if (this.failing) return Promise.reject(new NsError('S3_UNAVAILABLE', `S3 is unavailable while writing ${key}.`, { kind: 'unavailable' }));
    const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
    this.objects.set(key, text);
    return Promise.resolve({ key, sha256: 'sha', size: text.length });
  }
  putFrom<T>(key: string, produce: (write: PieceWriter) => Promise<T>): Promise<{ put: PutResult; value: T }> {
    return putGathered(this, key, produce);
  }
  get(key: string): Promise<Uint8Array> {
    const text = this.objects.get(key);
    if (text === undefined) return Promise.reject(new NsError('ARTIFACT_NOT_FOUND', `No ${key}.`, { kind: 'not_found' }));
    return Promise.resolve(new TextEncoder().encode(text));
  }
  exists(key: string): Promise<boolean> { return Promise.resolve(this.objects.has(key)); }
  list(prefix: string): Promise<string[]> { return Promise.resolve([...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort()); }
  delete(key: string): Promise<void> { this.objects.delete(key); return Promise.resolve(); }
  deleteAll(prefix: string): Promise<void> { return deleteListed(this, prefix); }
}
