/**
 * Reading one S3 object as a stream of bytes, for the ETL's CSV source (`--source s3://bucket/key.csv`):
 * the object is never held whole in memory.
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { NsError } from '../../core/errors.js';
import { createS3Client, s3Secrets } from './client.js';
import type { S3ClientOptions } from './client.js';
import { toS3NsError } from './errors.js';

export interface S3Location {
  bucket: string;
  key: string;
}

/**
 * Splits an s3:// URI into bucket and key; throws NsError S3_URI_INVALID otherwise.
 *
 * @example parseS3Uri('s3://data/new/2024-05-01.csv') // { bucket: 'data', key: 'new/2024-05-01.csv' }
 */
export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(uri);
  if (!m?.[1] || !m[2]) {
    throw new NsError('S3_URI_INVALID', `"${uri}" is not an S3 object URI.`, {
      kind: 'input', hint: 'Write it as s3://bucket/path/to/file.csv (lower-case bucket name).',
    });
  }
  return { bucket: m[1], key: m[2] };
}

export interface OpenS3ObjectOptions extends S3ClientOptions {
  /** Use this client instead of building one. */
  client?: S3Client;
  signal?: AbortSignal;
}

/**
 * The object's ETag and size, without reading it: a stamp that changes when the object is replaced.
 *
 * @example (await statS3Object('s3://data/new.csv', { endpoint })).etag // '"9b2cf535f27731c974343645a3985328"'
 */
export async function statS3Object(uri: string, options: OpenS3ObjectOptions = {}): Promise<{ etag: string; size: number }> {
  const { bucket, key } = parseS3Uri(uri);
  const client = options.client ?? createS3Client(options);
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), options.signal ? { abortSignal: options.signal } : {});
    return { etag: head.ETag ?? '', size: head.ContentLength ?? 0 };
  } catch (e) {
    throw toS3NsError(e, { doing: `checking ${uri}`, endpoint: options.endpoint ?? 'AWS', secrets: s3Secrets(options), notFoundCode: 'S3_OBJECT_NOT_FOUND' });
  }
}

/**
 * Streams the object's bytes in the chunks the network delivers. A missing object is
 * S3_OBJECT_NOT_FOUND; credentials and connection problems are S3_AUTH / S3_UNAVAILABLE.
 *
 * @example
 *   for await (const chunk of openS3Object('s3://data/new.csv', { endpoint: process.env.S3_ENDPOINT })) parser.write(chunk);
 */
export async function* openS3Object(uri: string, options: OpenS3ObjectOptions = {}): AsyncIterable<Uint8Array> {
  const { bucket, key } = parseS3Uri(uri);
  const client = options.client ?? createS3Client(options);
  const ctx = { doing: `reading ${uri}`, endpoint: options.endpoint ?? 'AWS', secrets: s3Secrets(options), notFoundCode: 'S3_OBJECT_NOT_FOUND' };
  try {
    let body: AsyncIterable<Uint8Array>;
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), options.signal ? { abortSignal: options.signal } : {});
      if (!res.Body) throw new NsError('S3_OBJECT_NOT_FOUND', `Nothing found while reading ${uri}.`, { kind: 'not_found' });
      body = res.Body as AsyncIterable<Uint8Array>;
    } catch (e) {
      throw toS3NsError(e, ctx);
    }
    try {
      for await (const chunk of body) yield chunk;
    } catch (e) {
      throw toS3NsError(e, ctx);
    }
  } finally {
    if (!options.client) client.destroy();
  }
}
