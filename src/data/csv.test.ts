import { describe, expect, it } from 'vitest';
import { csvCell, CsvTokenizer, escapeFormula, type CsvRow } from './csv.js';

function tokenize(chunks: string[]): CsvRow[] {
  const t = new CsvTokenizer();
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
