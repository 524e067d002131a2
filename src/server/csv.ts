/**
 * CSV for the batch scoring endpoints: an incremental record splitter (RFC 4180 quoting, CRLF or LF)
 * that takes the upload chunk by chunk, a cell parser, and output cells escaped against spreadsheet
 * formula injection (a cell starting with = + - @ tab or CR that is not a plain number gets a leading
 * apostrophe, as OWASP recommends).
 *
 * @example
 *   const split = new CsvRecordSplitter();
 *   for (const line of split.push('a,b\n1,2\n')) console.log(parseCsvRecord(line)); // ['a','b'], ['1','2']
 */
import { isFormulaLike } from '../data/csv.js';

/** The formula escaping of every CSV we write lives in src/data/csv.ts. */
export { csvCell, isFormulaLike } from '../data/csv.js';

/** Splits a character stream into CSV records (raw text without the line break), quote-aware. */
export class CsvRecordSplitter {
  private pending = '';
  private inQuotes = false;
  /** Where scanning of `pending` resumes (everything before it is inside the current record). */
  private scanned = 0;

  /** Feeds text; returns the records completed by it. */
  push(text: string): string[] {
    const buf = this.pending + text;
    const out: string[] = [];
    let start = 0;
    let inQuotes = this.inQuotes;
    // One pass over the characters; quotes toggle state, a newline outside quotes ends a record.
    for (let i = this.scanned; i < buf.length; i++) {
      const ch = buf.charCodeAt(i);
      if (ch === 34) inQuotes = !inQuotes;
      else if (ch === 10 && !inQuotes) {
        const end = i > start && buf.charCodeAt(i - 1) === 13 ? i - 1 : i;
        out.push(buf.slice(start, end));
        start = i + 1;
      }
    }
    this.pending = buf.slice(start);
    this.scanned = this.pending.length;
    this.inQuotes = inQuotes;
    return out;
  }

  /** The last record when the input does not end with a line break. */
  end(): string[] {
    const rest = this.pending.endsWith('\r') ? this.pending.slice(0, -1) : this.pending;
    this.pending = '';
    this.scanned = 0;
    return rest === '' ? [] : [rest];
  }
}

/** Cells of one record; quoted cells are unquoted ("" → "). */
export function parseCsvRecord(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (line[i + 1] === '"') { cell += '"'; i++; } else inQuotes = false;
      } else cell += ch;
    } else if (ch === '"') inQuotes = true;
    else if (ch === ',') { cells.push(cell); cell = ''; }
    else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** True when a raw record can be echoed as it is (no quotes, no formula-like cell). */
export function isPlainRecord(line: string): boolean {
  if (line.includes('"')) return false;
  let start = 0;
  for (;;) {
    const end = line.indexOf(',', start);
    const c = line.charCodeAt(start);
    if ((c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13) && isFormulaLike(line.slice(start, end < 0 ? undefined : end))) return false;
    if (end < 0) return true;
    start = end + 1;
  }
}
