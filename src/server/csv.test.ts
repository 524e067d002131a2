import { describe, expect, it } from 'vitest';
import { csvCell, isFormulaLike } from '../data/csv.js';
import { CsvRecordSplitter, isPlainRecord, parseCsvRecord } from './csv.js';

describe('CsvRecordSplitter', () => {
  it('splits records across chunk boundaries, CRLF and quoted line breaks included', () => {
    const s = new CsvRecordSplitter();
    const out = [...s.push('a,b\r\n1,"x'), ...s.push('\ny"\n2,'), ...s.push('3'), ...s.end()];
    expect(out).toEqual(['a,b', '1,"x\ny"', '2,3']);
  });
  it('gives the same records fed one character at a time, and cuts a field that passes the cap across chunks', () => {
    const text = 'a,b\r\n1,"x,\n""y"""\n2,3\r\n4';
    const one = new CsvRecordSplitter();
    expect([...text].flatMap((c) => one.push(c)).concat(one.end())).toEqual(['a,b', '1,"x,\n""y"""', '2,3', '4']);
    const capped = new CsvRecordSplitter({ maxFieldChars: 10, maxRecordChars: 30 });
    expect(capped.push('a,"12345')).toEqual([]);
    expect(() => capped.push('67890123')).toThrow(expect.objectContaining({ code: 'CSV_FIELD_TOO_LONG', httpStatus: 413 }) as Error);
    const rec = new CsvRecordSplitter({ maxFieldChars: 10, maxRecordChars: 30 });
    expect(() => { for (let i = 0; i < 10; i++) rec.push('1234,'); }).toThrow(expect.objectContaining({ code: 'CSV_RECORD_TOO_LONG' }) as Error);
  });
  it('returns nothing for an empty stream', () => {
    const s = new CsvRecordSplitter();
    expect([...s.push(''), ...s.end()]).toEqual([]);
  });
});

describe('parseCsvRecord', () => {
  it('unquotes cells and keeps commas inside quotes', () => {
    expect(parseCsvRecord('1,"a,b","say ""hi"""')).toEqual(['1', 'a,b', 'say "hi"']);
    expect(parseCsvRecord('-1,0,1')).toEqual(['-1', '0', '1']);
  });
});

describe('formula injection escaping', () => {
  it('escapes formula-like text but leaves numbers alone', () => {
    expect(isFormulaLike('-1')).toBe(false);
    expect(isFormulaLike('+3.5e2')).toBe(false);
    expect(isFormulaLike('=SUM(A1)')).toBe(true);
    expect(isFormulaLike('@cmd')).toBe(true);
    expect(isFormulaLike('-2+3')).toBe(true);
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('plain')).toBe('plain');
  });
  it('knows which raw records can be echoed unchanged', () => {
    expect(isPlainRecord('-1,0,1,abc')).toBe(true);
    expect(isPlainRecord('1,=cmd|x')).toBe(false);
    expect(isPlainRecord('1,"quoted"')).toBe(false);
  });
});
