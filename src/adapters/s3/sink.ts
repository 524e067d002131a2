/**
 * Writing one S3 object from a stream of text or bytes (`predict --output s3://bucket/key.csv`): the
 * body goes up in multipart pieces as it is produced, never held whole in memory. The object appears
 * only when the upload completes; when producing fails, the upload is aborted, so a reader never sees
 * a half-written object.
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { Upload } from '@aws-sdk/lib-storage';
import { createS3Client, s3Secrets } from './client.js';
import type { S3ClientOptions } from './client.js';
import { toS3NsError } from './errors.js';
import { parseS3Uri } from './source.js';

export async function writeS3Object<T>(uri: string, options: S3ClientOptions, produce: (write: (piece: string | Uint8Array) => Promise<void>) => Promise<T>): Promise<T> {
  const { bucket, key } = parseS3Uri(uri);
  const client = createS3Client(options);
  const body = new PassThrough();
  const upload = new Upload({ client, params: { Bucket: bucket, Key: key, Body: body, ContentType: 'text/csv' }, queueSize: 2, leavePartsOnError: false });
  const uploading = upload.done();
  uploading.catch(() => undefined);
  const ctx = { doing: `writing ${uri}`, endpoint: options.endpoint ?? 'AWS', secrets: s3Secrets(options), notFoundCode: 'S3_BUCKET_NOT_FOUND' };
  try {
    const result = await produce(async (piece) => {
      if (!body.write(piece)) {
        await Promise.race([once(body, 'drain'), uploading]).catch((e: unknown) => {
          throw toS3NsError(e, ctx);
        });
      }
    });
    body.end();
    try {
      await uploading;
    } catch (e) {
      throw toS3NsError(e, ctx);
    }
    return result;
  } catch (e) {
    await upload.abort().catch(() => undefined);
    body.destroy();
    throw e;
  } finally {
    client.destroy();
  }
}
