import { describe, expect, it } from 'vitest';
import { csvCell, CsvTokenizer, escapeFormula, isFormulaLike, type CsvCaps, type CsvRow } from './csv.js';

function tokenize(chunks: string[], caps?: CsvCaps): CsvRow[] {
  const t = new CsvTokenizer(caps);
  const rows: CsvRow[] = [];
  for (const c of chunks) rows.push(...t.push(c));
  rows.push(...t.end());
  return rows;
}

/** Every way of cutting `text` into two chunks must give the same rows. */
function allSplits(text: string): CsvRow[][] {
  const out: CsvRow[][] = [];
  for (let i = 0; i <= text.length; i++) out.push(tokenize([text.slice(0, i), text.slice(i)]));
  return out;
}

describe('CsvTokenizer', () => {
  it('splits LF rows and numbers lines from 1', () => {
    expect(tokenize(['a,b\n1,2\n3,4\n'])).toEqual([
      { line: 1, cells: ['a', 'b'] }, { line: 2, cells: ['1', '2'] }, { line: 3, cells: ['3', '4'] },
    ]);
  });

  it('handles CRLF, a missing final line break and chunk boundaries anywhere', () => {
    const text = 'a,b\r\n1,2\r\n3,4';
    const expected = [{ line: 1, cells: ['a', 'b'] }, { line: 2, cells: ['1', '2'] }, { line: 3, cells: ['3', '4'] }];
    for (const rows of allSplits(text)) expect(rows).toEqual(expected);
    expect(tokenize(text.split(''))).toEqual(expected);
  });

  it('strips a UTF-8 BOM at the start only', () => {
    expect(tokenize(['\uFEFFa,b\n1,2\n'])[0]).toEqual({ line: 1, cells: ['a', 'b'] });
    expect(tokenize(['', '\uFEFF', 'a\n'])[0]!.cells).toEqual(['a']);
    expect(tokenize(['a\n\uFEFFb\n'])[1]!.cells).toEqual(['\uFEFFb']);
  });

  it('skips empty lines but counts them', () => {
    expect(tokenize(['a\n\n\r\nb\n\n'])).toEqual([{ line: 1, cells: ['a'] }, { line: 4, cells: ['b'] }]);
  });

  it('parses RFC 4180 quotes, doubled quotes and line breaks inside quotes', () => {
    const text = 'x,y\n"a,b","say ""hi"""\n"multi\nline",2\r\nlast,"q"\n';
    const expected = [
      { line: 1, cells: ['x', 'y'] },
      { line: 2, cells: ['a,b', 'say "hi"'] },
      { line: 3, cells: ['multi\nline', '2'] },
      { line: 5, cells: ['last', 'q'] },
    ];
    for (const rows of allSplits(text)) expect(rows).toEqual(expected);
  });

  it('keeps empty cells and text after a closing quote', () => {
    expect(tokenize([',,\n"a"b,"",c\n'])).toEqual([{ line: 1, cells: ['', '', ''] }, { line: 2, cells: ['ab', '', 'c'] }]);
  });

  it('reports an unterminated quote at the end of input', () => {
    const rows = tokenize(['a,b\n1,"2\n3,4\n']);
    expect(rows[1]).toEqual({ line: 2, cells: ['1', '2\n3,4\n'], error: 'unterminated quoted field' });
  });

  it('accepts a quoted last field without a final line break', () => {
    expect(tokenize(['a,"b"'])).toEqual([{ line: 1, cells: ['a', 'b'] }]);
  });
});

describe('CsvTokenizer: caps and linearity', () => {
  const caps = { maxFieldChars: 10, maxRecordChars: 30 };
  const code = (f: () => unknown): string | undefined => {
    try { f(); } catch (e) { return (e as { code?: string }).code; }
    return undefined;
  };

  it('gives the same rows fed one character at a time as in one piece', () => {
    const text = '\uFEFFa,b\r\n1,"x,\n""y"""\r\n\r\n"",2\r\n"a"b\r,c\n4';
    const whole = tokenize([text]);
    expect(tokenize([...text])).toEqual(whole);
    for (const rows of allSplits(text)) expect(rows).toEqual(whole);
    expect(whole).toEqual([
      { line: 1, cells: ['a', 'b'] }, { line: 2, cells: ['1', 'x,\n"y"'] }, { line: 5, cells: ['', '2'] }, { line: 6, cells: ['ab\r', 'c'] }, { line: 7, cells: ['4'] },
    ]);
  });

  it('throws CSV_FIELD_TOO_LONG (413) once a field passes the cap, also across chunks and inside quotes', () => {
    const t = new CsvTokenizer(caps);
    expect(t.push('a,"12345')).toEqual([]);
    expect(() => t.push('67890123')).toThrow(expect.objectContaining({ code: 'CSV_FIELD_TOO_LONG', httpStatus: 413, hint: expect.stringMatching(/quote that is never closed/) as string }) as Error);
    expect(code(() => tokenize(['x\n12345678901\n'], caps))).toBe('CSV_FIELD_TOO_LONG');
    expect(code(() => tokenize([...'x\n12345678901\n'], caps))).toBe('CSV_FIELD_TOO_LONG');
    expect(tokenize(['1234567890,1234567890\n'], caps)).toEqual([{ line: 1, cells: ['1234567890', '1234567890'] }]);
  });

  it('throws CSV_RECORD_TOO_LONG once a row passes the cap, whole or in pieces', () => {
    const row = Array.from({ length: 8 }, () => '1234').join(',');
    expect(code(() => tokenize([`${row}\n`], caps))).toBe('CSV_RECORD_TOO_LONG');
    expect(code(() => tokenize([...row], caps))).toBe('CSV_RECORD_TOO_LONG');
    const t = new CsvTokenizer(caps);
    expect(code(() => { for (let i = 0; i < 10; i++) t.push('1234,'); })).toBe('CSV_RECORD_TOO_LONG');
  });

  it('stops an unclosed quote in a long stream at the cap, in the chunk that passes it', () => {
    const t = new CsvTokenizer();
    t.push('a,b\n1,"');
    const chunk = 'x'.repeat(4096);
    let pushed = 0;
    expect(code(() => { for (; pushed < 10_000; pushed++) t.push(chunk); })).toBe('CSV_FIELD_TOO_LONG');
    expect(pushed).toBe(16); // 64 Ki characters: the 17th chunk passes the cap
  });
});

describe('escapeFormula / csvCell', () => {
  it('prefixes cells a spreadsheet would evaluate, and leaves numbers and text alone', () => {
    for (const f of ['=1+1', '@SUM(1)', '+A1', '-A1', '\tx', '\rx', "=cmd|' /C calc'!A0"]) expect(escapeFormula(f)).toBe(`'${f}`);
    for (const v of ['-1', '+1', '0', '1e3', '-0.5', 'abc', '', 'a=b']) expect(escapeFormula(v)).toBe(v);
  });

  it('quotes after escaping when the cell holds a comma, quote or line break', () => {
    expect(csvCell('=HYPERLINK("u","x")')).toBe(`"'=HYPERLINK(""u"",""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('-1')).toBe('-1');
  });
});

describe('isFormulaLike', () => {
  it('escapes formula-like text but leaves numbers alone', () => {
    expect(isFormulaLike('-1')).toBe(false);
    expect(isFormulaLike('+3.5e2')).toBe(false);
    expect(isFormulaLike('=SUM(A1)')).toBe(true);
    expect(isFormulaLike('@cmd')).toBe(true);
    expect(isFormulaLike('-2+3')).toBe(true);
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('plain')).toBe('plain');
  });
});
