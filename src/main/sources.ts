/**
 * Opening data sources named on the command line: a local path or an s3://bucket/key URI. Errors a
 * user can cause (missing file, a folder, bad URI) become NsErrors before anything is read.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { NsError } from '../core/errors.js';
import type { Config } from './config.js';

export async function openSource(uri: string, config: Config): Promise<AsyncIterable<Uint8Array>> {
  if (uri.startsWith('s3://')) {
    const { openS3Object } = await import('../adapters/s3/source.js');
    return openS3Object(uri, { region: config.AWS_REGION, ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}) });
  }
  let info;
  try {
    info = await stat(uri);
  } catch {
    throw new NsError('FILE_NOT_FOUND', `The file ${uri} does not exist.`, { hint: 'Check the path (relative paths start from the current folder).' });
  }
  if (!info.isFile()) throw new NsError('NOT_A_FILE', `${uri} is not a file.`, { hint: 'Pass the path of a CSV file.' });
  return createReadStream(uri, { highWaterMark: 1 << 16 });
}

/**
 * A stamp of the source's current content, cheap to take: size and mtime of a file, ETag and size of
 * an S3 object. Two stamps differ when the source was replaced in between.
 */
export async function sourceStamp(uri: string, config: Config): Promise<string> {
  if (uri.startsWith('s3://')) {
    const { statS3Object } = await import('../adapters/s3/source.js');
    const head = await statS3Object(uri, { region: config.AWS_REGION, ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}) });
    return `${head.size}:${head.etag}`;
  }
  const info = await stat(uri).catch(() => undefined);
  return info ? `${info.size}:${info.mtimeMs}` : '';
}

export async function readAll(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}
