/**
 * POST /api/v1/predict/csv: a CSV upload (raw `text/csv` body or a `multipart/form-data` file field)
 * comes back as CSV with `prediction` (-1 phishing, 1 legitimate), `phishing_probability` and `error` columns.
 * The upload goes through the same reader and scorer as `networksecurity predict`
 * (pipeline/batch-predict.ts): the same header rules, row errors and output for the same file.
 * Headers X-Rows, X-Row-Errors, X-Missing-Values (imputed cells) and X-Model-Version summarise the result.
 * In `serve` the upload is read and scored in a worker thread (deps.scoreCsvUpload, src/main/csv-scoring-thread.ts):
 * this event loop only passes the bytes on, so /healthz and other requests keep their turns.
 * The answer is built in memory and sent once the whole upload is scored, so a file that fails late
 * (over the size limit, a field over the cap) gets its 4xx instead of a cut-off CSV.
 */
import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NsError, isNsError } from '../../core/errors.js';
import { predictCsvStream, type BatchPredictSummary } from '../../pipeline/batch-predict.js';
import type { RouteContext } from '../context.js';
import type { ScoringModel } from '../deps.js';
import { limitedUpload, uploadTooLarge, type UploadStream } from '../csv-batch.js';

/** Slack for multipart boundaries and part headers when comparing Content-Length with the file limit. */
const multipartOverhead = 16 * 1024;

async function uploadStream(request: FastifyRequest, limit: number): Promise<UploadStream> {
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

/**
 * Rows per scored chunk. Each chunk is one turn of the event loop (read, score, format), so it is kept
 * small enough that /healthz and other requests get a turn often during a big upload.
 */
const chunkRows = 256;

/**
 * The scored CSV and its summary: in the scoring thread when the server has one (deps.scoreCsvUpload;
 * this loop only passes the bytes on), else on this loop in turns of `chunkRows` rows.
 */
async function scoreUpload(ctx: RouteContext, model: ScoringModel, stream: UploadStream, limit: number): Promise<{ body: Readable | Uint8Array; summary: BatchPredictSummary }> {
  if (ctx.deps.scoreCsvUpload) {
    const scored = await ctx.deps.scoreCsvUpload(model, limitedUpload(stream, limit, { slices: false }));
    ctx.metrics.countPredictions(scored.summary.phishing, scored.summary.predicted);
    return scored;
  }
  const out: string[] = [];
  const scorer = { predict: (X: Parameters<typeof model.predict>[0]) => ctx.score(model, X) };
  const summary = await predictCsvStream(limitedUpload(stream, limit), ctx.deps.schema, scorer, { strict: false, chunkRows }, async (text) => {
    out.push(text);
    await setImmediate();
  });
  return { body: Readable.from(out), summary };
}

/** Registers POST /api/v1/predict/csv. */
export function registerPredictCsv(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/api/v1/predict/csv', { onRequest: ctx.scoringRateLimit() }, async (request, reply) => {
    const type = request.headers['content-type'] ?? '';
    if (!type.startsWith('text/csv') && !type.startsWith('multipart/form-data')) {
      throw new NsError('UNSUPPORTED_MEDIA_TYPE', `Content-Type ${type || '(none)'} is not accepted here.`, {
        httpStatus: 415, hint: 'Send the file as text/csv, or as multipart/form-data with a file field.',
      });
    }
    const model = ctx.requireModel();
    const limit = ctx.deps.limits.csvUploadBytes;
    const { body, summary } = await uploadStream(request, limit)
      .then((stream) => scoreUpload(ctx, model, stream, limit))
      .catch((e: unknown) => {
        // The body may not have been read to its end: close the connection after the answer instead of
        // reading on (or resetting it before the answer is out).
        void reply.header('connection', 'close');
        // Stream errors without a status (a cut-off or malformed multipart body, no boundary) are the client's input.
        if (isNsError(e) || typeof (e as { statusCode?: unknown }).statusCode === 'number') throw e;
        throw new NsError('BAD_UPLOAD', 'The upload could not be read to its end.', { cause: e, hint: 'Send the file again; for multipart, check the boundaries.' });
      });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="predictions.csv"')
      .header('x-model-version', String(model.version))
      .header('x-rows', String(summary.rows))
      .header('x-row-errors', String(summary.rejected))
      .header('x-missing-values', String(summary.missingValues))
      .send(body);
  });
}
