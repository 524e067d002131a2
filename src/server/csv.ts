/**
 * CSV for the batch scoring endpoints: an incremental record splitter (RFC 4180 quoting, CRLF or LF)
 * that takes the upload chunk by chunk, a cell parser, and output cells escaped against spreadsheet
 * formula injection (`csvCell` and `isFormulaLike` of src/data/csv.ts, shared with every CSV writer).
 *
 * @example
 *   const split = new CsvRecordSplitter();
 *   for (const line of split.push('a,b\n1,2\n')) console.log(parseCsvRecord(line)); // ['a','b'], ['1','2']
 */
import { NsError } from '../core/errors.js';
import { isFormulaLike } from '../data/csv.js';

/** Longest field and record the splitter accepts, in characters. */
export interface CsvCaps { maxFieldChars: number; maxRecordChars: number }

/** Default caps: a field up to 64 Ki characters, a record up to 1 Mi characters (a phishing row is ~90). */
export const defaultCsvCaps: CsvCaps = { maxFieldChars: 64 * 1024, maxRecordChars: 1024 * 1024 };

/**
 * Splits a character stream into CSV records (raw text without the line break), quote-aware.
 *
 * Linear in the input: each character is looked at once, in the chunk it arrives in; the start of an
 * unfinished record is kept as a list of pieces and joined once, when its line break comes (joining
 * `pending + chunk` on every push made a record spanning many chunks quadratic: 27.9 s and 2.1 GB for
 * 60 MB with an unclosed quote). A field or record longer than the caps throws CSV_FIELD_TOO_LONG or
 * CSV_RECORD_TOO_LONG (413) as soon as it is seen, so neither can grow with the upload.
 */
export class CsvRecordSplitter {
  /** Pieces of the unfinished record from earlier chunks. */
  private pieces: string[] = [];
  private pieceChars = 0;
  private inQuotes = false;
  /** Characters of the unfinished field carried over from earlier chunks. */
  private fieldCarry = 0;
  /** Records completed so far (for the line number in errors). */
  private records = 0;

  constructor(private readonly caps: CsvCaps = defaultCsvCaps) {}

  /** Feeds text; returns the records completed by it. */
  push(text: string): string[] {
    const out: string[] = [];
    const { maxFieldChars, maxRecordChars } = this.caps;
    let start = 0;
    let inQuotes = this.inQuotes;
    // Field and record starts in this chunk's coordinates (negative: begun in an earlier chunk).
    let fieldStart = -this.fieldCarry;
    let recordStart = -this.pieceChars;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 34) inQuotes = !inQuotes;
      else if (!inQuotes && (ch === 44 || ch === 10)) {
        if (i - fieldStart > maxFieldChars) throw this.tooLong('field', maxFieldChars, inQuotes);
        fieldStart = i + 1;
        if (ch === 10) {
          if (i - recordStart > maxRecordChars) throw this.tooLong('record', maxRecordChars, inQuotes);
          let record = text.slice(start, i);
          if (this.pieces.length > 0) { this.pieces.push(record); record = this.pieces.join(''); this.pieces = []; this.pieceChars = 0; }
          out.push(record.charCodeAt(record.length - 1) === 13 ? record.slice(0, -1) : record);
          this.records++;
          start = i + 1;
          recordStart = i + 1;
        }
      }
    }
    if (n - fieldStart > maxFieldChars) throw this.tooLong('field', maxFieldChars, inQuotes);
    if (n - recordStart > maxRecordChars) throw this.tooLong('record', maxRecordChars, inQuotes);
    if (start < n) { this.pieces.push(text.slice(start)); this.pieceChars += n - start; }
    this.fieldCarry = n - fieldStart;
    this.inQuotes = inQuotes;
    return out;
  }

  /** The last record when the input does not end with a line break. */
  end(): string[] {
    let rest = this.pieces.join('');
    this.pieces = [];
    this.pieceChars = 0;
    this.fieldCarry = 0;
    if (rest.endsWith('\r')) rest = rest.slice(0, -1);
    return rest === '' ? [] : [rest];
  }

  private tooLong(what: 'field' | 'record', max: number, inQuotes: boolean): NsError {
    const code = what === 'field' ? 'CSV_FIELD_TOO_LONG' : 'CSV_RECORD_TOO_LONG';
    const quoteHint = inQuotes ? ' Check for a quote that is never closed.' : '';
    return new NsError(code, `CSV record ${this.records + 1} has a ${what} longer than ${max} characters.`, {
      kind: 'limit', hint: `Keep each ${what} under ${max} characters and end every row with a line break.${quoteHint}`, details: { record: this.records + 1, maxChars: max },
    });
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
