/**
 * A streaming CSV tokenizer: feed decoded text in chunks of any size, get complete rows back.
 *
 * - RFC 4180 quoting (`"a,b"`, `""` for a quote, line breaks inside quotes); text after a closing quote
 *   is kept as is rather than rejected.
 * - LF and CRLF line ends; a lone CR is not a line break.
 * - A UTF-8 byte-order mark at the start is dropped.
 * - Lines are numbered from 1 (the header is line 1); a row spanning lines carries the number of the
 *   line it starts on. Empty lines are skipped but counted.
 * - An unterminated quote at the end of input yields the partial row with `error` set.
 *
 * Speed: a line without quotes is cut with `String.prototype.split`, the fastest path V8 offers; only
 * lines with a quote go through the character loop.
 *
 * @example
 *   const t = new CsvTokenizer(); const rows = [...t.push('a,b\n1,'), ...t.push('2\n'), ...t.end()];
 *   // rows: [{ line: 1, cells: ['a', 'b'] }, { line: 2, cells: ['1', '2'] }]
 */

export interface CsvRow {
  /** 1-based line number where the row starts (header = line 1). */
  line: number;
  cells: string[];
  /** Set when the row could not be tokenized completely (unterminated quote). */
  error?: string;
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;

interface QuotedRow {
  cells: string[];
  /** Index just after the row's line end. */
  next: number;
  /** Line breaks consumed, including the one ending the row. */
  breaks: number;
  complete: boolean;
  /** Input ended inside a quoted field. */
  unterminated: boolean;
}

/** Tokenizes one row that contains a quote, starting at `pos`; incomplete when input runs out first. */
function scanQuotedRow(text: string, pos: number): QuotedRow {
  const cells: string[] = [];
  let i = pos;
  let breaks = 0;
  const n = text.length;
  for (;;) {
    let field = '';
    if (i < n && text.charCodeAt(i) === QUOTE) {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          field += text.slice(i);
          for (let k = i; k < n; k++) if (text.charCodeAt(k) === LF) breaks++;
          cells.push(field);
          return { cells, next: n, breaks, complete: false, unterminated: true };
        }
        for (let k = i; k < q; k++) if (text.charCodeAt(k) === LF) breaks++;
        field += text.slice(i, q);
        if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    }
    const start = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === COMMA || c === LF) break;
      i++;
    }
    let end = i;
    if ((i === n || text.charCodeAt(i) === LF) && end > start && text.charCodeAt(end - 1) === CR) end--;
    field += text.slice(start, end);
    cells.push(field);
    if (i === n) return { cells, next: n, breaks, complete: false, unterminated: false };
    if (text.charCodeAt(i) === LF) return { cells, next: i + 1, breaks: breaks + 1, complete: true, unterminated: false };
    i++; // comma
  }
}

/** Streaming tokenizer; see the module comment for the rules. */
export class CsvTokenizer {
  private rest = '';
  private started = false;

  /** `firstLine`: the number of the input's first line (a shard of a bigger file counts on from where it was cut). */
  constructor(private line = 1) {}

  /** Adds a chunk of text; returns the rows completed by it. */
  push(chunk: string): CsvRow[] {
    const rows: CsvRow[] = [];
    this.rest = this.scan(this.rest.length > 0 ? this.rest + chunk : chunk, rows, false);
    return rows;
  }

  /** Ends the input; returns the last row when the text did not end with a line break. */
  end(): CsvRow[] {
    const rows: CsvRow[] = [];
    this.scan(this.rest, rows, true);
    this.rest = '';
    return rows;
  }

  /** Scans complete rows into `rows`; returns the unconsumed tail. */
  private scan(input: string, rows: CsvRow[], final: boolean): string {
    let text = input;
    if (!this.started && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.started = true;
    }
    const n = text.length;
    let pos = 0;
    let nextQuote = -2; // cached index of the next quote at or after pos (-1: none left)
    while (pos < n) {
      let nl = text.indexOf('\n', pos);
      if (nl === -1) {
        if (!final) break;
        nl = n;
      }
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
      if (nextQuote === -1 || nextQuote >= nl) {
        let end = nl;
        if (end > pos && text.charCodeAt(end - 1) === CR) end--;
        if (end > pos) rows.push({ line: this.line, cells: text.slice(pos, end).split(',') });
        this.line++;
        pos = nl + 1;
        continue;
      }
      const r = scanQuotedRow(text, pos);
      if (!r.complete && !final) break;
      rows.push(r.unterminated ? { line: this.line, cells: r.cells, error: 'unterminated quoted field' } : { line: this.line, cells: r.cells });
      this.line += r.breaks;
      pos = r.next;
      nextQuote = -2;
    }
    return pos >= n ? '' : text.slice(pos);
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
