/**
 * Batch scoring of a CSV, streamed: the file is read, validated, scored and written a chunk of rows at
 * a time (readRecordChunks), so memory does not grow with the file. Every input row comes out in the
 * same order with three more columns — `prediction` (-1 phishing, 1 legitimate),
 * `phishing_probability`, and `error` (the reason a bad row got no prediction). A `Result` column may
 * be present or not. Echoed cells are escaped against spreadsheet formulas (csvCell).
 *
 * Whole-file errors found only at the end (with `strict`: any bad row) are thrown after earlier chunks
 * were written: the caller writes to a temporary file and publishes it only when this resolves.
 *
 * @example
 *   const s = await predictCsvStream(chunks, schema, predictor, { strict: false }, (text) => out.write(text));
 */
import { csvCell } from '../data/csv.js';
import { describeRowError, readRecordChunks, type RowError } from '../data/records.js';
import type { Schema } from '../data/schema.js';
import type { Predictor } from './predictor.js';
import { PHISHING } from './predictor.js';

export interface BatchPredictSummary {
  /** Data rows read (good + bad). */
  rows: number;
  predicted: number;
  /** The first FIRST_ERRORS bad rows (all of them are in the output's error column). */
  firstErrors: RowError[];
  rejected: number;
  phishing: number;
}

/** Rows per chunk: about 2 MB of features; large enough that the model's per-call cost is amortized. */
export const PREDICT_CHUNK_ROWS = 8192;
const FIRST_ERRORS = 10;

/** Scores `source` and hands the output CSV to `write` in pieces, in input order. */
export async function predictCsvStream(
  source: AsyncIterable<string | Uint8Array>, schema: Schema, predictor: Predictor,
  opts: { strict: boolean; chunkRows?: number; firstLine?: number; header?: boolean },
  write: (text: string) => Promise<void>,
): Promise<BatchPredictSummary> {
  const summary: BatchPredictSummary = { rows: 0, predicted: 0, firstErrors: [], rejected: 0, phishing: 0 };
  // A shard of a bigger file (batch-shards.ts) leaves the header to the first shard.
  let headerDone = opts.header === false;
  const chunks = readRecordChunks(source, schema, { requireTarget: false, strict: opts.strict, chunkRows: opts.chunkRows ?? PREDICT_CHUNK_ROWS, keepRows: true, firstLine: opts.firstLine ?? 1 });
  for await (const chunk of chunks) {
    const out: string[] = [];
    if (!headerDone) {
      out.push([...chunk.header.map(csvCell), 'prediction', 'phishing_probability', 'error'].join(','));
      headerDone = true;
    }
    // No good row in the chunk: nothing to score (a model refuses an empty matrix).
    const scored = chunk.X.rows > 0 ? predictor.predict(chunk.X) : undefined;
    let g = 0;
    let e = 0;
    for (const row of chunk.rows!) {
      const cells = row.cells.map(csvCell);
      if (g < chunk.lines.length && chunk.lines[g] === row.line) {
        const label = scored!.label[g]!;
        if (label === PHISHING) summary.phishing++;
        out.push([...cells, String(label), scored!.probPhishing[g]!.toFixed(6), ''].join(','));
        g++;
      } else {
        const err = chunk.errors[e++]!;
        out.push([...cells, '', '', csvCell(describeRowError(err))].join(','));
      }
    }
    summary.predicted += chunk.X.rows;
    summary.rejected += chunk.errors.length;
    for (const err of chunk.errors) if (summary.firstErrors.length < FIRST_ERRORS) summary.firstErrors.push(err);
    summary.rows = chunk.rowsRead;
    await write(`${out.join('\n')}\n`);
  }
  return summary;
}
