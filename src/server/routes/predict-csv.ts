/**
 * POST /api/v1/predict/csv: a CSV upload (raw `text/csv` body or a `multipart/form-data` file field)
 * comes back as CSV with `prediction` (-1 phishing, 1 legitimate), `phishing_probability` and `error` columns.
 * Rows with bad values get an error instead of failing the file; the header must name every feature.
 * Headers X-Rows, X-Row-Errors, X-Missing-Values (imputed cells) and X-Model-Version summarise the result.
 */
import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NsError, isNsError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { RouteContext } from '../context.js';
import type { ScoringModel } from '../deps.js';
import { parseCsvBatch, scoredCsvChunks, uploadTooLarge } from '../csv-batch.js';
import { countMissing } from '../rows.js';

/** Slack for multipart boundaries and part headers when comparing Content-Length with the file limit. */
const multipartOverhead = 16 * 1024;

async function uploadStream(request: FastifyRequest, limit: number): Promise<AsyncIterable<Uint8Array | string>> {
  const type = request.headers['content-type'] ?? '';
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (type.startsWith('multipart/form-data')) {
    if (declared > limit + multipartOverhead) throw uploadTooLarge(limit);
    // One byte over the limit lets the reader see the excess: busboy cuts a file at fileSize and ends it normally.
    const file = await request.file({ limits: { fileSize: limit + 1, files: 1 } });
    if (!file) throw new NsError('CSV_EMPTY', 'The form has no file.', { hint: 'Send the CSV in a file field of the form.' });
    return file.file;
  }
  if (declared > limit) throw uploadTooLarge(limit);
  return request.body as Readable;
}

/** Rows scored between two turns of the event loop, so a big upload does not hold up other requests. */
const scoreBlockRows = 16_384;

async function scoreInBlocks(ctx: RouteContext, model: ScoringModel, X: Matrix): Promise<{ label: Float64Array; probPhishing: Float64Array }> {
  const label = new Float64Array(X.rows);
  const probPhishing = new Float64Array(X.rows);
  for (let start = 0; start < X.rows; start += scoreBlockRows) {
    const end = Math.min(X.rows, start + scoreBlockRows);
    const part = ctx.score(model, matrix(end - start, X.cols, X.data.subarray(start * X.cols, end * X.cols)));
    label.set(part.label, start);
    probPhishing.set(part.probPhishing, start);
    if (end < X.rows) await setImmediate();
  }
  return { label, probPhishing };
}

/** Registers POST /api/v1/predict/csv. */
export function registerPredictCsv(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/api/v1/predict/csv', { config: { rateLimit: ctx.predictRateLimit } }, async (request, reply) => {
    const type = request.headers['content-type'] ?? '';
    if (!type.startsWith('text/csv') && !type.startsWith('multipart/form-data')) {
      throw new NsError('UNSUPPORTED_MEDIA_TYPE', `Content-Type ${type || '(none)'} is not accepted here.`, {
        httpStatus: 415, hint: 'Send the file as text/csv, or as multipart/form-data with a file field.',
      });
    }
    const model = ctx.requireModel();
    const limit = ctx.deps.limits.csvUploadBytes;
    const batch = await uploadStream(request, limit).then((stream) => parseCsvBatch(stream, ctx.columnsFor(model), limit)).catch((e: unknown) => {
      // The body may not have been read to its end: close the connection after the answer instead of
      // reading on (or resetting it before the answer is out).
      void reply.header('connection', 'close');
      // Stream errors without a status (a cut-off or malformed multipart body, no boundary) are the client's input.
      if (isNsError(e) || typeof (e as { statusCode?: unknown }).statusCode === 'number') throw e;
      throw new NsError('BAD_UPLOAD', 'The upload could not be read to its end.', { cause: e, hint: 'Send the file again; for multipart, check the boundaries.' });
    });
    const { label, probPhishing } = await scoreInBlocks(ctx, model, batch.X);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="predictions.csv"')
      .header('x-model-version', String(model.version))
      .header('x-rows', String(batch.lines.length))
      .header('x-row-errors', String(batch.errors.size))
      .header('x-missing-values', String(countMissing(batch.X)))
      .send(Readable.from(scoredCsvChunks(batch, label, probPhishing)));
  });
}
