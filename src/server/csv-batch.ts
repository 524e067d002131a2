/**
 * Reading a CSV upload for the scoring routes: the body's bytes, counted against the size limit, with
 * a turn of the event loop every 16 KiB so /healthz and other requests stay fast during a big upload.
 * The CSV itself is read by the product's one reader and scorer (src/data/records.ts,
 * src/pipeline/batch-predict.ts), so an upload behaves as the same file given to `predict` or `etl`.
 *
 * @example
 *   const summary = await predictCsvStream(limitedUpload(body, limit), schema, model, { strict: false }, write);
 */
import { setImmediate } from 'node:timers/promises';
import { NsError } from '../core/errors.js';

/** Raised when the upload passes `limitBytes`. */
export function uploadTooLarge(limitBytes: number): NsError {
  return new NsError('UPLOAD_TOO_LARGE', `The upload is larger than ${limitBytes} bytes.`, { kind: 'limit', hint: 'Split the file into smaller parts.' });
}

/**
 * Bytes handed on between two turns of the event loop (a socket delivers up to 64 KiB at once; it is
 * handed on in slices of this size, each about 180 rows of the phishing data).
 */
const sliceBytes = 1 << 14;

/** Where the upload's bytes come from; `truncated` is set by a multipart file stream cut at its size limit. */
export type UploadStream = AsyncIterable<Uint8Array | string> & { truncated?: boolean; iterator?: (opts: { destroyOnReturn: boolean }) => AsyncIterable<Uint8Array | string> };

/**
 * The upload's chunks, throwing UPLOAD_TOO_LARGE (413) once they pass `limitBytes`. When the reader
 * stops early (an error), the stream is left alone rather than destroyed (destroying a request body
 * resets the connection before the 413/4xx answer is sent); the route answers with `Connection: close`.
 */
export async function* limitedUpload(stream: UploadStream, limitBytes: number, opts: { slices?: boolean } = {}): AsyncGenerator<Uint8Array | string, void, undefined> {
  const chunks = stream.iterator?.({ destroyOnReturn: false }) ?? stream;
  let bytes = 0;
  for await (const chunk of chunks) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += data.byteLength;
    if (bytes > limitBytes) throw uploadTooLarge(limitBytes);
    // slices: false — the chunks go to another thread as they come (deps.scoreCsvUpload); no need to cut them up.
    if (opts.slices === false) {
      yield data;
      continue;
    }
    for (let at = 0; at < data.byteLength; at += sliceBytes) {
      yield data.subarray(at, at + sliceBytes);
      await setImmediate();
    }
  }
  // A multipart file cut at busboy's size limit ends normally, with `truncated` set.
  if (stream.truncated === true) throw uploadTooLarge(limitBytes);
}
