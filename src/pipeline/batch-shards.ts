/**
 * Cutting a CSV into shards of rows for batch scoring on queue workers, and putting the scored shards
 * back together. Rows are read with the product's tokenizer (CsvTokenizer) and written back with RFC
 * 4180 quoting, so a worker reading a shard sees exactly the cells the inline path sees; the shard keeps
 * the file's line numbers (`firstLine`, blank lines kept as blank lines), so a rejected row names its
 * line in the whole file. Validation and scoring happen on the workers (predictCsvStream).
 *
 * @example
 *   for await (const shard of splitCsvShards(source, schema, 50_000)) await store.put(`in-${shard.index}.csv`, shard.text);
 */
import { NsError } from '../core/errors.js';
import { csvQuote, CsvTokenizer, type CsvRow } from '../data/csv.js';
import { detectBinary, planHeader } from '../data/records.js';
import type { Schema } from '../data/schema.js';
import type { BatchPredictSummary } from './batch-predict.js';

const BINARY_HINT = 'Pass a UTF-8 CSV text file (re-save it as "CSV UTF-8" if it came from a spreadsheet).';

export interface CsvShard {
  index: number;
  /** The header line and the shard's rows, as CSV text. */
  text: string;
  /** Data rows in the shard. */
  rows: number;
  /** Line number (in the whole file) that the shard's first line (its header) stands for. */
  firstLine: number;
}

function lineBreaks(cells: string[]): number {
  let n = 0;
  for (const c of cells) for (let i = c.indexOf('\n'); i !== -1; i = c.indexOf('\n', i + 1)) n++;
  return n;
}

/** One row as CSV text; a row the tokenizer found unterminated stays unterminated (its worker reports it). */
function rowText(row: CsvRow): string {
  if (row.error !== undefined) {
    const last = row.cells[row.cells.length - 1] ?? '';
    return [...row.cells.slice(0, -1).map(csvQuote), `"${last.replace(/"/g, '""')}`].join(',');
  }
  // A lone empty cell would be an empty line, which the reader skips.
  if (row.cells.length === 1 && row.cells[0] === '') return '""';
  return row.cells.map(csvQuote).join(',');
}

/**
 * Streams `source` as shards of at most `shardRows` data rows. Throws (before any shard) what the
 * header alone shows: CSV_BINARY, CSV_EMPTY and planHeader's errors; CSV_NO_ROWS after a header with
 * no rows. Row errors are left to the workers.
 */
export async function* splitCsvShards(source: AsyncIterable<string | Uint8Array>, schema: Schema, shardRows: number): AsyncGenerator<CsvShard, void, undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes?: Uint8Array): string => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch (e) {
      throw new NsError('CSV_BINARY', 'The file contains bytes that are not valid UTF-8.', { cause: e, hint: BINARY_HINT });
    }
  };
  const tokenizer = new CsvTokenizer();
  let header: string | null = null;
  let first = true;
  let index = 0;
  let parts: string[] = [];
  let rows = 0;
  let firstLine = 0;
  let nextLine = 0;
  const ready: CsvShard[] = [];
  const flush = (): void => {
    if (rows === 0) return;
    ready.push({ index: index++, text: parts.join(''), rows, firstLine });
    parts = [];
    rows = 0;
  };
  const take = (batch: CsvRow[]): void => {
    for (const row of batch) {
      if (header === null) {
        if (row.cells.every((c) => c.trim() === '')) continue;
        planHeader(row.cells, schema, { requireTarget: false });
        header = `${row.cells.map(csvQuote).join(',')}\n`;
        continue;
      }
      if (rows === 0) {
        firstLine = row.line - 1;
        nextLine = row.line;
        parts.push(header);
      }
      if (row.line > nextLine) parts.push('\n'.repeat(row.line - nextLine));
      parts.push(rowText(row), row.error === undefined ? '\n' : '');
      nextLine = row.line + lineBreaks(row.cells) + 1;
      if (++rows >= shardRows) flush();
    }
  };
  for await (const chunk of source) {
    if (first && typeof chunk !== 'string' && chunk.length > 0 && detectBinary(chunk.subarray(0, 65536))) {
      throw new NsError('CSV_BINARY', 'The file is not UTF-8 text; it looks binary.', { hint: BINARY_HINT });
    }
    first = false;
    take(tokenizer.push(typeof chunk === 'string' ? chunk : decode(chunk)));
    yield* ready.splice(0);
  }
  take(tokenizer.push(decode()));
  take(tokenizer.end());
  flush();
  yield* ready.splice(0);
  if (header === null) throw new NsError('CSV_EMPTY', 'The file is empty.', { hint: 'Pass a CSV with a header row and at least one data row.' });
  if (index === 0) throw new NsError('CSV_NO_ROWS', 'The file has a header but no data rows.', { hint: 'Add at least one data row below the header.' });
}

const FIRST_ERRORS = 10;

/** The summaries of a file's shards, in order, as one. */
export function mergeSummaries(parts: readonly BatchPredictSummary[]): BatchPredictSummary {
  const total: BatchPredictSummary = { rows: 0, predicted: 0, firstErrors: [], rejected: 0, phishing: 0, missingValues: 0 };
  for (const p of parts) {
    total.rows += p.rows;
    total.predicted += p.predicted;
    total.rejected += p.rejected;
    total.phishing += p.phishing;
    total.missingValues += p.missingValues;
    for (const e of p.firstErrors) if (total.firstErrors.length < FIRST_ERRORS) total.firstErrors.push(e);
  }
  return total;
}
