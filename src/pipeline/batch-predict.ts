/**
 * Batch scoring of a CSV: every input row comes out in the same order with three more columns —
 * `prediction` (-1 phishing, 1 legitimate), `phishing_probability`, and `error` (the reason a bad row
 * got no prediction). A `Result` column may be present or not.
 */
import { toAsync } from '../core/iter.js';
import { CsvTokenizer } from '../data/csv.js';
import { describeRowError, readRecordsCsv, type RowError } from '../data/records.js';
import type { Schema } from '../data/schema.js';
import type { Predictor } from './predictor.js';

export interface BatchPredictResult {
  csv: string;
  rows: number;
  predicted: number;
  errors: RowError[];
  phishing: number;
}

const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export async function predictCsv(bytes: Uint8Array, schema: Schema, predictor: Predictor, opts: { strict: boolean }): Promise<BatchPredictResult> {
  const read = await readRecordsCsv(toAsync([bytes]), schema, { requireTarget: false, strict: opts.strict });
  const { label, probPhishing } = predictor.predict(read.X);
  const byLine = new Map<number, number>();
  read.lines.forEach((line, i) => byLine.set(line, i));
  const errByLine = new Map(read.errors.map((e) => [e.line, e]));

  // Second pass over the text to echo every input row as it was.
  const tokenizer = new CsvTokenizer();
  const text = new TextDecoder().decode(bytes);
  const rows = [...tokenizer.push(text), ...tokenizer.end()];
  const out: string[] = [];
  let headerSeen = false;
  let phishing = 0;
  for (const row of rows) {
    if (!headerSeen) {
      if (row.cells.every((c) => c.trim() === '')) continue;
      out.push([...row.cells.map(quote), 'prediction', 'phishing_probability', 'error'].join(','));
      headerSeen = true;
      continue;
    }
    const i = byLine.get(row.line);
    const err = errByLine.get(row.line);
    if (i === undefined && !err) continue; // blank line
    const cells = row.cells.map(quote);
    if (i !== undefined) {
      if (label[i] === -1) phishing++;
      out.push([...cells, String(label[i]), probPhishing[i]!.toFixed(6), ''].join(','));
    } else {
      out.push([...cells, '', '', quote(describeRowError(err!))].join(','));
    }
  }
  return { csv: out.join('\n') + '\n', rows: read.rowsRead, predicted: read.X.rows, errors: read.errors, phishing };
}
