/**
 * ArtifactStore on S3 or any S3-compatible service: keys live under `<bucket>/<prefix>`. Every object
 * carries its sha256 as metadata (`x-amz-meta-sha256`): after an upload the stored size and hash are
 * checked, and every read is hashed and compared, so a truncated or altered object is an error, never
 * a silently wrong model. Bodies above the multipart threshold go up in parts (lib-storage), each part
 * checksummed by the server; smaller ones in one PUT whose SHA-256 checksum the server verifies.
 * S3 writes are atomic: a reader sees the old object or the new one, never half of one.
 */
import {
  CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand,
  ListObjectsV2Command, PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash } from 'node:crypto';
import { NsError } from '../../core/errors.js';
import { sha256 } from '../../core/hash.js';
import { deleteListed, putGathered, type ArtifactStore, type PieceWriter, type PutResult } from '../../ports/artifact-store.js';
import { createS3Client, s3Secrets } from './client.js';
import type { S3ClientOptions } from './client.js';
import { toS3NsError } from './errors.js';

export interface S3ArtifactStoreOptions extends S3ClientOptions {
  bucket: string;
  /** Key prefix inside the bucket ("" or e.g. "networksecurity/"); a trailing slash is added. */
  prefix?: string;
  /** Bodies of at least this many bytes use multipart upload; default 16 MiB. */
  multipartThresholdBytes?: number;
  /** Part size of multipart uploads (S3's minimum is 5 MiB); default 8 MiB. */
  partSizeBytes?: number;
  /** Use this client instead of building one (tests, shared connection pools). */
  client?: S3Client;
}

const MiB = 1024 * 1024;

function normalizePrefix(prefix: string | undefined): string {
  const p = (prefix ?? '').replace(/^\/+/, '');
  return p === '' || p.endsWith('/') ? p : `${p}/`;
}

/** Rejects keys that could escape the prefix or are not plain slash-separated names. */
function checkKey(key: string): void {
  if (key === '' || key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '.') || key.includes('\\')) {
    throw new NsError('ARTIFACT_KEY_INVALID', `The artifact key "${key}" is not a relative slash-separated path.`, {
      kind: 'input', hint: 'Use keys like "<run-id>/manifest.json".',
    });
  }
}

/** ArtifactStore backed by an S3 bucket; see the module comment. */
export class S3ArtifactStore implements ArtifactStore {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly endpoint: string;
  private readonly secrets: string[];
  private readonly threshold: number;
  private readonly partSize: number;
  private readonly ownsClient: boolean;

  constructor(options: S3ArtifactStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.prefix);
    this.client = options.client ?? createS3Client(options);
    this.ownsClient = options.client === undefined;
    this.endpoint = options.endpoint ?? 'AWS';
    this.secrets = s3Secrets(options);
    this.threshold = options.multipartThresholdBytes ?? 16 * MiB;
    this.partSize = Math.max(5 * MiB, options.partSizeBytes ?? 8 * MiB);
  }

  describe(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  private fullKey(key: string): string {
    checkKey(key);
    return this.prefix + key;
  }

  private fail(e: unknown, doing: string): NsError {
    return toS3NsError(e, { doing, endpoint: this.endpoint, secrets: this.secrets });
  }

  /** Creates the bucket when it does not exist (for tests and first runs). */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (e) {
      const err = this.fail(e, `checking bucket ${this.bucket}`);
      if (err.code !== 'ARTIFACT_NOT_FOUND' && err.code !== 'S3_BUCKET_NOT_FOUND') throw err;
      try {
        await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
      } catch (e2) {
        throw this.fail(e2, `creating bucket ${this.bucket}`);
      }
    }
  }

  async put(key: string, body: Uint8Array | string): Promise<PutResult> {
    const full = this.fullKey(key);
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const hex = sha256(bytes);
    const doing = `writing s3://${this.bucket}/${full}`;
    try {
      if (bytes.byteLength >= this.threshold) {
        const upload = new Upload({
          client: this.client,
          params: { Bucket: this.bucket, Key: full, Body: bytes, Metadata: { sha256: hex }, ChecksumAlgorithm: 'SHA256' },
          partSize: this.partSize,
          queueSize: 2,
          leavePartsOnError: false,
        });
        await upload.done();
      } else {
        await this.client.send(new PutObjectCommand({
          Bucket: this.bucket, Key: full, Body: bytes, Metadata: { sha256: hex },
          ChecksumSHA256: Buffer.from(hex, 'hex').toString('base64'),
        }));
      }
    } catch (e) {
      throw this.fail(e, doing);
    }
    await this.verifyStored(full, hex, bytes.byteLength);
    return { key, sha256: hex, size: bytes.byteLength };
  }

  /** Gathers the pieces, then one `put` (the object's sha256 metadata is sent before its body). */
  putFrom<T>(key: string, produce: (write: PieceWriter) => Promise<T>): Promise<{ put: PutResult; value: T }> {
    this.fullKey(key);
    return putGathered(this, key, produce);
  }

  /** After an upload: the object the service now holds has our size and hash. */
  private async verifyStored(full: string, hex: string, size: number): Promise<void> {
    let head;
    try {
      head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: full }));
    } catch (e) {
      throw this.fail(e, `checking s3://${this.bucket}/${full} after upload`);
    }
    if (head.ContentLength !== size || head.Metadata?.sha256 !== hex) {
      throw new NsError('ARTIFACT_CORRUPT', `The upload of s3://${this.bucket}/${full} did not store what was sent (size ${String(head.ContentLength)} of ${size}).`, {
        kind: 'unavailable', hint: 'Upload again; if it keeps failing, check the S3 service.',
      });
    }
  }

  async get(key: string): Promise<Uint8Array> {
    const full = this.fullKey(key);
    const doing = `reading s3://${this.bucket}/${full}`;
    let bytes: Uint8Array;
    let expected: string | undefined;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: full }));
      if (!res.Body) throw new NsError('ARTIFACT_NOT_FOUND', `Nothing found while ${doing}.`, { kind: 'not_found' });
      bytes = await res.Body.transformToByteArray();
      expected = res.Metadata?.sha256;
    } catch (e) {
      throw this.fail(e, doing);
    }
    if (expected !== undefined && createHash('sha256').update(bytes).digest('hex') !== expected) {
      throw new NsError('ARTIFACT_CORRUPT', `s3://${this.bucket}/${full} does not match its recorded sha256.`, {
        kind: 'state', hint: 'The object was changed or damaged after upload; push it again.',
      });
    }
    return bytes;
  }

  async exists(key: string): Promise<boolean> {
    const full = this.fullKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: full }));
      return true;
    } catch (e) {
      const err = this.fail(e, `checking s3://${this.bucket}/${full}`);
      if (err.code === 'ARTIFACT_NOT_FOUND') return false;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const full = this.prefix + prefix;
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: full, ContinuationToken: token }));
        for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.prefix.length));
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      throw this.fail(e, `listing s3://${this.bucket}/${full}`);
    }
    return keys.sort();
  }

  /** Every listed key below the prefix (an upload cut off mid-way never became an object). */
  deleteAll(prefix: string): Promise<void> {
    return deleteListed(this, prefix);
  }

  async delete(key: string): Promise<void> {
    const full = this.fullKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: full }));
    } catch (e) {
      throw this.fail(e, `deleting s3://${this.bucket}/${full}`);
    }
  }

  /** Closes the client's connections (only when this store built the client). */
  close(): void {
    if (this.ownsClient) this.client.destroy();
  }
}

/**
 * The S3 artifact store for the options; with `createBucket` the bucket is made when missing.
 *
 * @example
 *   const store = await openS3ArtifactStore({ bucket: 'models', prefix: 'networksecurity', endpoint: process.env.S3_ENDPOINT });
 */
export async function openS3ArtifactStore(options: S3ArtifactStoreOptions & { createBucket?: boolean }): Promise<S3ArtifactStore> {
  const store = new S3ArtifactStore(options);
  if (options.createBucket) await store.ensureBucket();
  return store;
}
