/**
 * The product's one CSV reader: a streaming tokenizer. Feed decoded text in chunks of any size, get
 * complete rows back. The ETL, `predict` and every API CSV route read through it (records.ts).
 *
 * - RFC 4180 quoting (`"a,b"`, `""` for a quote, line breaks inside quotes); text after a closing quote
 *   is kept as is rather than rejected.
 * - LF and CRLF line ends; a lone CR is not a line break.
 * - A UTF-8 byte-order mark at the start is dropped.
 * - Lines are numbered from 1 (the header is line 1); a row spanning lines carries the number of the
 *   line it starts on. Empty lines are skipped but counted.
 * - An unterminated quote at the end of input yields the partial row with `error` set.
 * - A field longer than `caps.maxFieldChars` or a row longer than `caps.maxRecordChars` throws
 *   NsError CSV_FIELD_TOO_LONG / CSV_RECORD_TOO_LONG (kind 'limit': HTTP 413, exit 2) as soon as the
 *   cap is passed, so neither an unclosed quote nor a file without line breaks can grow without bound.
 *
 * Linear: every character is looked at once, in the chunk it arrives in; an unfinished field is kept
 * as a list of pieces and joined once, when it ends. A row without quotes that lies within one chunk is
 * cut with `String.prototype.split`, the fastest path V8 offers.
 *
 * @example
 *   const t = new CsvTokenizer(); const rows = [...t.push('a,b\n1,'), ...t.push('2\n'), ...t.end()];
 *   // rows: [{ line: 1, cells: ['a', 'b'] }, { line: 2, cells: ['1', '2'] }]
 */
import { NsError } from '../core/errors.js';

export interface CsvRow {
  /** 1-based line number where the row starts (header = line 1). */
  line: number;
  cells: string[];
  /** Set when the row could not be tokenized completely (unterminated quote). */
  error?: string;
}

/** Longest field and row the reader accepts, in characters. */
export interface CsvCaps { maxFieldChars: number; maxRecordChars: number }

/** Default caps: a field up to 64 Ki characters, a row up to 1 Mi characters (a phishing row is ~90). */
export const defaultCsvCaps: CsvCaps = { maxFieldChars: 64 * 1024, maxRecordChars: 1024 * 1024 };

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;

/** Where the reader is inside the current field. */
const At = { FieldStart: 0, Unquoted: 1, Quoted: 2, QuoteInQuoted: 3 } as const;
type At = (typeof At)[keyof typeof At];

function countBreaks(text: string, from: number, to: number): number {
  let k = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) k++;
  return k;
}

/** Streaming tokenizer; see the module comment for the rules. */
export class CsvTokenizer {
  private line: number;
  private started = false;
  /** State of the unfinished row: its completed cells, the pieces of its current field. */
  private at: At = At.FieldStart;
  private cells: string[] = [];
  private pieces: string[] = [];
  private fieldChars = 0;
  /** Characters of the current field after its closing quote (or all of it when unquoted). */
  private tailChars = 0;
  private rowChars = 0;
  private rowLine = 1;
  private rowBreaks = 0;
  private rowQuoted = false;

  /** `firstLine`: the number of the input's first line (a shard of a bigger file counts on from where it was cut). */
  constructor(private readonly caps: CsvCaps = defaultCsvCaps, firstLine = 1) {
    this.line = firstLine;
    this.rowLine = firstLine;
  }

  /** Adds a chunk of text; returns the rows completed by it. */
  push(chunk: string): CsvRow[] {
    const rows: CsvRow[] = [];
    let text = chunk;
    if (!this.started && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.started = true;
    }
    const n = text.length;
    const { maxFieldChars, maxRecordChars } = this.caps;
    let i = 0;
    let nextQuote = -2; // cached index of the next quote at or after i (-1: none left)
    while (i < n) {
      if (this.atRowStart()) {
        const nl = text.indexOf('\n', i);
        if (nl !== -1) {
          if (nextQuote !== -1 && nextQuote < i) nextQuote = text.indexOf('"', i);
          if (nextQuote === -1 || nextQuote > nl) {
            let end = nl;
            if (end > i && text.charCodeAt(end - 1) === CR) end--;
            if (end > i) {
              this.rowLine = this.line;
              if (end - i > maxRecordChars) throw this.tooLong('row', maxRecordChars, false);
              const cells = text.slice(i, end).split(',');
              if (end - i > maxFieldChars && cells.some((c) => c.length > maxFieldChars)) throw this.tooLong('field', maxFieldChars, false);
              rows.push({ line: this.line, cells });
            }
            this.line++;
            i = nl + 1;
            continue;
          }
        }
        this.rowLine = this.line;
      }
      i = this.scan(text, i, rows);
    }
    return rows;
  }

  /** Ends the input; returns the last row when the text did not end with a line break. */
  end(): CsvRow[] {
    const rows: CsvRow[] = [];
    if (!this.atRowStart()) {
      const unterminated = this.at === At.Quoted;
      this.endRow(rows);
      if (unterminated) rows[rows.length - 1] = { ...rows[rows.length - 1]!, error: 'unterminated quoted field' };
    }
    return rows;
  }

  private atRowStart(): boolean {
    return this.at === At.FieldStart && this.cells.length === 0 && this.fieldChars === 0 && !this.rowQuoted;
  }

  /** The character loop for one row (or its part in this chunk), from `i`; returns where it stopped. */
  private scan(text: string, from: number, rows: CsvRow[]): number {
    const n = text.length;
    const { maxFieldChars, maxRecordChars } = this.caps;
    let i = from;
    while (i < n) {
      if (this.at === At.FieldStart) {
        if (text.charCodeAt(i) === QUOTE) {
          this.at = At.Quoted;
          this.rowQuoted = true;
          this.rowChars++;
          i++;
          continue;
        }
        this.at = At.Unquoted;
      }
      if (this.at === At.Quoted) {
        const q = text.indexOf('"', i);
        const stop = q === -1 ? n : q;
        this.addPiece(text, i, stop, false);
        this.rowBreaks += countBreaks(text, i, stop);
        if (this.fieldChars > maxFieldChars) throw this.tooLong('field', maxFieldChars, true);
        if (this.rowChars > maxRecordChars) throw this.tooLong('row', maxRecordChars, true);
        if (q === -1) return n;
        this.rowChars++;
        this.at = At.QuoteInQuoted;
        i = q + 1;
        continue;
      }
      if (this.at === At.QuoteInQuoted) {
        if (text.charCodeAt(i) === QUOTE) { // a doubled quote stands for one quote
          this.pieces.push('"');
          this.fieldChars++;
          this.rowChars++;
          this.at = At.Quoted;
          i++;
          continue;
        }
        this.at = At.Unquoted;
      }
      // Unquoted text (a whole field, or what follows a closing quote) up to a comma or line break.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === LF) break;
        j++;
      }
      this.addPiece(text, i, j, true);
      if (this.fieldChars > maxFieldChars) throw this.tooLong('field', maxFieldChars, false);
      if (this.rowChars > maxRecordChars) throw this.tooLong('row', maxRecordChars, false);
      if (j === n) return n;
      if (text.charCodeAt(j) === COMMA) {
        this.cells.push(this.takeField(false));
        this.rowChars++;
        this.at = At.FieldStart;
        i = j + 1;
        continue;
      }
      this.rowBreaks++;
      this.endRow(rows);
      return j + 1;
    }
    return i;
  }

  private addPiece(text: string, from: number, to: number, unquoted: boolean): void {
    if (to <= from) return;
    this.pieces.push(text.slice(from, to));
    this.fieldChars += to - from;
    this.rowChars += to - from;
    if (unquoted) this.tailChars += to - from;
  }

  /** The current field's text; at a row's end a CR before the line break (outside quotes) is dropped. */
  private takeField(rowEnd: boolean): string {
    let field = this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join('');
    if (rowEnd && this.tailChars > 0 && field.charCodeAt(field.length - 1) === CR) field = field.slice(0, -1);
    this.pieces = [];
    this.fieldChars = 0;
    this.tailChars = 0;
    return field;
  }

  /** Emits the unfinished row (skipping an empty line) and resets the row state. */
  private endRow(rows: CsvRow[]): void {
    const cells = this.cells;
    cells.push(this.takeField(true));
    if (cells.length > 1 || cells[0] !== '' || this.rowQuoted) rows.push({ line: this.rowLine, cells });
    this.line = this.rowLine + Math.max(1, this.rowBreaks);
    this.cells = [];
    this.at = At.FieldStart;
    this.rowChars = 0;
    this.rowBreaks = 0;
    this.rowQuoted = false;
  }

  private tooLong(what: 'field' | 'row', max: number, inQuotes: boolean): NsError {
    const code = what === 'field' ? 'CSV_FIELD_TOO_LONG' : 'CSV_RECORD_TOO_LONG';
    const quoteHint = inQuotes ? ' Check for a quote that is never closed.' : '';
    return new NsError(code, `The CSV row at line ${this.rowLine} has a ${what} longer than ${max} characters.`, {
      kind: 'limit', hint: `Keep each ${what} under ${max} characters and end every row with a line break.${quoteHint}`, details: { line: this.rowLine, maxChars: max },
    });
  }
}

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * True when a spreadsheet could read the cell as a formula: it starts with = + - @ tab or CR and is
 * not a plain number (OWASP's CSV-injection rule; -1 stays -1).
 */
export function isFormulaLike(cell: string): boolean {
  if (cell === '') return false;
  const c = cell.charCodeAt(0);
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return false;
  return !PLAIN_NUMBER.test(cell);
}

/**
 * One cell of an output CSV: formula-like text gets a leading apostrophe (escapeFormula), and the
 * cell is quoted when it holds a comma, a quote or a line break.
 *
 * @example
 *   csvCell('=HYPERLINK("x")'); // "'=HYPERLINK(""x"")"
 */
export function csvCell(cell: string): string {
  // Fast path for the cells that make up almost all of the data: "0", "1", "-1" and other short numbers.
  const n = cell.length;
  if (n === 0) return cell;
  if (n <= 2) {
    const c = cell.charCodeAt(n - 1);
    if (c >= 48 && c <= 57 && (n === 1 || cell.charCodeAt(0) === 45 || (cell.charCodeAt(0) >= 48 && cell.charCodeAt(0) <= 57))) return cell;
  }
  return csvQuote(escapeFormula(cell));
}

/** The cell as written, quoted (RFC 4180) when it holds a comma, a quote or a line break; read back, it is the same text. */
export function csvQuote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** The cell with a leading apostrophe when a spreadsheet could read it as a formula. */
export function escapeFormula(cell: string): string {
  return isFormulaLike(cell) ? `'${cell}` : cell;
}
