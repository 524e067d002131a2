/**
 * The product's one batch scorer of a CSV (CLI `predict` and the API's POST /api/v1/predict/csv),
 * streamed: the file is read, validated, scored and written a chunk of rows at
 * a time (readRecordChunks), so memory does not grow with the file. Every input row comes out in the
 * same order with three more columns — `prediction` (-1 phishing, 1 legitimate),
 * `phishing_probability`, and `error` (the reason a bad row got no prediction). A `Result` column may
 * be present or not; columns the schema does not know (an id, say) are passed through. Echoed cells
 * are escaped against spreadsheet formulas (csvCell).
 *
 * Whole-file errors found only at the end (with `strict`: any bad row) are thrown after earlier chunks
 * were written: the caller writes to a temporary file and publishes it only when this resolves.
 *
 * @example
 *   const s = await predictCsvStream(chunks, schema, predictor, { strict: false }, (text) => out.write(text));
 */
import type { Matrix } from '../core/matrix.js';
import { csvCell, type CsvCaps } from '../data/csv.js';
import { describeRowError, readRecordChunks, type RowError } from '../data/records.js';
import type { Schema } from '../data/schema.js';
import { PHISHING } from './predictor.js';

export interface BatchPredictSummary {
  /** Data rows read (good + bad). */
  rows: number;
  predicted: number;
  /** The first FIRST_ERRORS bad rows (all of them are in the output's error column). */
  firstErrors: RowError[];
  rejected: number;
  phishing: number;
  /** Missing feature values (empty, na, NaN) in the scored rows; imputed by the model. */
  missingValues: number;
}

/** What scores a chunk: a Predictor, or the server's champion with its metrics. */
export interface BatchScorer {
  predict(X: Matrix): { label: Float64Array; probPhishing: Float64Array };
}

export interface BatchPredictOptions {
  /** Any bad row fails the whole file (CSV_ROW_ERRORS, thrown at the end). */
  strict: boolean;
  /** Rows per chunk (default PREDICT_CHUNK_ROWS). */
  chunkRows?: number;
  /** Field and row caps of the CSV reader (default defaultCsvCaps). */
  caps?: CsvCaps;
  /** The number of the source's first line (a shard of a bigger file counts on from where it was cut). */
  firstLine?: number;
  /** false: write no header row (a shard after the first; batch-shards.ts). */
  header?: boolean;
}

/**
 * Rows per chunk: about 0.5 MB of features, still large enough that the model's per-call cost is
 * amortized. A chunk's rows live until it is written, so they outlive young-generation collections;
 * with 8,192 rows `predict` on 1M rows peaked at 305 MB, with 2,048 at 244 MB (same rows/s).
 */
export const PREDICT_CHUNK_ROWS = 2048;
const FIRST_ERRORS = 10;

/** Scores `source` and hands the output CSV to `write` in pieces, in input order. */
export async function predictCsvStream(
  source: AsyncIterable<string | Uint8Array>, schema: Schema, predictor: BatchScorer, opts: BatchPredictOptions,
  write: (text: string) => Promise<void>,
): Promise<BatchPredictSummary> {
  const summary: BatchPredictSummary = { rows: 0, predicted: 0, firstErrors: [], rejected: 0, phishing: 0, missingValues: 0 };
  // A shard of a bigger file (batch-shards.ts) leaves the header to the first shard.
  let headerDone = opts.header === false;
  const readOpts = { requireTarget: false, allowExtra: true, strict: opts.strict, chunkRows: opts.chunkRows ?? PREDICT_CHUNK_ROWS, echoRows: true, firstLine: opts.firstLine ?? 1, ...(opts.caps ? { caps: opts.caps } : {}) };
  for await (const chunk of readRecordChunks(source, schema, readOpts)) {
    const out: string[] = [];
    if (!headerDone) {
      out.push([...chunk.header.map(csvCell), 'prediction', 'phishing_probability', 'error'].join(','));
      headerDone = true;
    }
    // No good row in the chunk: nothing to score (a model refuses an empty matrix).
    const scored = chunk.X.rows > 0 ? predictor.predict(chunk.X) : undefined;
    let g = 0;
    let e = 0;
    // Good rows and bad rows come in file order: the next row is the good one when its line is first.
    for (const text of chunk.echo!) {
      if (g < chunk.lines.length && (e >= chunk.errors.length || chunk.lines[g]! < chunk.errors[e]!.line)) {
        const label = scored!.label[g]!;
        if (label === PHISHING) summary.phishing++;
        out.push(`${text},${label},${scored!.probPhishing[g]!.toFixed(6)},`);
        g++;
      } else {
        const err = chunk.errors[e++]!;
        out.push(`${text},,,${csvCell(describeRowError(err))}`);
      }
    }
    summary.predicted += chunk.X.rows;
    summary.rejected += chunk.errors.length;
    summary.missingValues += chunk.missingValues;
    for (const err of chunk.errors) if (summary.firstErrors.length < FIRST_ERRORS) summary.firstErrors.push(err);
    summary.rows = chunk.rowsRead;
    await write(`${out.join('\n')}\n`);
  }
  return summary;
}
