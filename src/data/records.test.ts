import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NsError } from '../core/errors.js';
import { detectBinary, parseRow, planHeader, readRecordChunks, readRecordsCsv, type ReadOptions } from './records.js';
import { parseSchema } from './schema.js';
import { chunked, dataLine, headerLine } from './test-support.test-helpers.js';

const schema = parseSchema(readFileSync(new URL('../../config/schema.yaml', import.meta.url), 'utf8'));
const bundled = readFileSync(new URL('../../data/phisingData.csv', import.meta.url));
const H = headerLine(schema);
const train: ReadOptions = { requireTarget: true };

async function read(text: string | Uint8Array, opts: ReadOptions = train, size?: number) {
  return readRecordsCsv(chunked(text, size), schema, opts);
}

async function failure(text: string | Uint8Array, opts: ReadOptions = train): Promise<NsError> {
  try {
    await read(text, opts);
  } catch (e) {
    if (e instanceof NsError) return e;
    throw e;
  }
  throw new Error('expected a whole-file error');
}

describe('readRecordsCsv on the bundled data', () => {
  it('reads 11,055 rows with labels 4,898 x -1 and 6,157 x 1 and no errors, in any chunk size', async () => {
    for (const size of [65536, 997]) {
      const r = await read(bundled, train, size);
      expect(r.X.rows).toBe(11055);
      expect(r.X.cols).toBe(30);
      expect(r.rowsRead).toBe(11055);
      expect(r.errors).toEqual([]);
      expect(r.y!.filter((v) => v === -1).length).toBe(4898);
      expect(r.y!.filter((v) => v === 1).length).toBe(6157);
      expect(r.lines[0]).toBe(2);
      expect(r.lines[11054]).toBe(11056);
      expect(r.header[10]).toBe('port_no');
      // first data row, as in the file
      expect(Array.from(r.X.data.subarray(0, 5))).toEqual([-1, 1, 1, 1, -1]);
    }
  });

  it('finds 5,849 distinct rows and 5,785 distinct feature vectors', async () => {
    const r = await read(bundled);
    const rows = new Set<string>();
    const vectors = new Set<string>();
    for (let i = 0; i < r.X.rows; i++) {
      const v = Array.from(r.X.data.subarray(i * 30, (i + 1) * 30)).join(',');
      vectors.add(v);
      rows.add(`${v}|${r.y![i]}`);
    }
    expect(rows.size).toBe(5849);
    expect(vectors.size).toBe(5785);
  });
});

describe('readRecordChunks', () => {
  it('hands the bundled file out in chunks of at most chunkRows rows that add up to the whole-file read', async () => {
    const whole = await read(bundled);
    const sizes: number[] = [];
    const X: number[] = [];
    let last = 0;
    for await (const c of readRecordChunks(chunked(bundled, 4096), schema, { ...train, chunkRows: 1000 })) {
      sizes.push(c.X.rows + c.errors.length);
      for (const v of c.X.data) X.push(v);
      expect(c.rowsRead).toBeGreaterThan(last);
      last = c.rowsRead;
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(11055);
    expect(last).toBe(11055);
    expect(Float64Array.from(X)).toEqual(whole.X.data);
  });

  it('counts bad rows into the chunk size and hands them out with their chunk', async () => {
    const lines = [H, dataLine(schema, 1), dataLine(schema, 7), dataLine(schema, -1), dataLine(schema, 0)];
    const chunks = [];
    for await (const c of readRecordChunks(chunked(`${lines.join('\n')}\n`, 10), schema, { ...train, chunkRows: 2 })) chunks.push(c);
    expect(chunks.map((c) => [c.X.rows, c.errors.map((e) => e.line)])).toEqual([[1, [3]], [2, []]]);
  });
});

describe('readRecordsCsv: inputs accepted as valid', () => {
  it('CRLF line ends and a UTF-8 BOM (as bytes and as text)', async () => {
    const text = `\uFEFF${H}\r\n${dataLine(schema, 0)}\r\n${dataLine(schema, -1, -1)}\r\n`;
    for (const input of [text, new TextEncoder().encode(text)]) {
      const r = await read(input, train, 7);
      expect(r.X.rows).toBe(2);
      expect(Array.from(r.y!)).toEqual([1, -1]);
      expect(r.X.data[59]).toBe(-1);
    }
  });

  it('columns in another order, and port_no for port', async () => {
    const cols = [...schema.columns].reverse().map((c) => (c === 'port' ? 'port_no' : c));
    const values = cols.map((c) => (c === 'Result' ? -1 : c === 'port' || c === 'port_no' ? 0 : c === 'SFH' ? -1 : 1));
    const r = await read(`${cols.join(',')}\n${values.join(',')}\n`);
    expect(r.y![0]).toBe(-1);
    expect(r.X.data[schema.features.indexOf('port')]).toBe(0);
    expect(r.X.data[schema.features.indexOf('SFH')]).toBe(-1);
    expect(r.X.data[0]).toBe(1);
  });

  it('no Result column when the target is not required: labels are null', async () => {
    const r = await read(`${headerLine(schema, false)}\n${dataLine(schema, 1, null)}\n`, { requireTarget: false });
    expect(r.y).toBeNull();
    expect(r.X.rows).toBe(1);
    const e = await failure(`${headerLine(schema, false)}\n${dataLine(schema, 1, null)}\n`);
    expect(e.code).toBe('CSV_MISSING_COLUMNS');
    expect(e.message).toContain('Result');
  });

  it('empty, na and NaN cells are missing values (NaN); quoted numbers are fine', async () => {
    const cells = dataLine(schema, 1).split(',');
    cells[0] = 'na'; cells[1] = 'NaN'; cells[2] = ''; cells[3] = '"0"'; cells[4] = '-1';
    const r = await read(`${H}\n${cells.join(',')}\n`);
    expect(Array.from(r.X.data.subarray(0, 5))).toEqual([NaN, NaN, NaN, 0, -1]);
  });

  it('other spellings are row errors, not numbers: " 1 ", 1e0, 0x1, 0b1, +1, 1.0, 01, NA, null', async () => {
    const spellings = [' 1 ', '1e0', '0x1', '0b1', '+1', '1.0', '01', 'NA', 'null'];
    const rows = spellings.map((v) => { const cells = dataLine(schema, 1).split(','); cells[0] = v; return cells.join(','); });
    const r = await read(`${H}\n${rows.join('\n')}\n`);
    expect(r.X.rows).toBe(0);
    expect(r.errors.map((e) => e.value)).toEqual(spellings);
    expect(r.errors.every((e) => / is not a number$/.test(e.reason))).toBe(true);
  });
});

describe('readRecordsCsv: whole-file errors', () => {
  it('empty file and whitespace only: CSV_EMPTY', async () => {
    for (const text of ['', '   \n\n', '\uFEFF', new Uint8Array(0)]) {
      const e = await failure(text);
      expect(e.code).toBe('CSV_EMPTY');
      expect(e.kind).toBe('input');
      expect(e.exitCode).toBe(2);
    }
  });

  it('header only: CSV_NO_ROWS', async () => {
    expect((await failure(`${H}\n`)).code).toBe('CSV_NO_ROWS');
    expect((await failure(`${H}\n\n\n`)).code).toBe('CSV_NO_ROWS');
  });

  it('a missing column: CSV_MISSING_COLUMNS naming it', async () => {
    const cols = schema.columns.filter((c) => c !== 'SFH');
    const e = await failure(`${cols.join(',')}\n${cols.map(() => 1).join(',')}\n`);
    expect(e.code).toBe('CSV_MISSING_COLUMNS');
    expect(e.message).toContain('SFH');
    expect(e.details).toMatchObject({ missing: ['SFH'] });
    expect(e.hint).toBeTruthy();
  });

  it('an extra column: CSV_EXTRA_COLUMNS naming it, unless allowExtra', async () => {
    const text = `${H},comment\n${dataLine(schema, 1)},hello\n`;
    const e = await failure(text);
    expect(e.code).toBe('CSV_EXTRA_COLUMNS');
    expect(e.message).toContain('comment');
    const r = await read(text, { requireTarget: true, allowExtra: true });
    expect(r.X.rows).toBe(1);
  });

  it('a duplicate column (port and port_no): CSV_DUPLICATE_COLUMNS', async () => {
    const e = await failure(`${H},port_no\n${dataLine(schema, 1)},1\n`);
    expect(e.code).toBe('CSV_DUPLICATE_COLUMNS');
    expect(e.message).toContain('port_no');
  });

  it('a wrong delimiter: CSV_DELIMITER', async () => {
    for (const d of [';', '\t', '|']) {
      const e = await failure(`${schema.columns.join(d)}\n${dataLine(schema, 1).split(',').join(d)}\n`);
      expect(e.code).toBe('CSV_DELIMITER');
    }
  });

  it('a binary file: CSV_BINARY (NUL bytes, invalid UTF-8, NUL in text)', async () => {
    const gz = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xff]);
    expect((await failure(gz)).code).toBe('CSV_BINARY');
    expect((await failure(Uint8Array.from([0x61, 0x2c, 0xe9, 0x0a]))).code).toBe('CSV_BINARY');
    expect((await failure('PK\u0003\u0004\u0000\u0000')).code).toBe('CSV_BINARY');
  });

  it('a UTF-8 character cut off at the end of the file: CSV_BINARY; split across chunks: fine', async () => {
    const text = new TextEncoder().encode(`${H},note\n${dataLine(schema, 1)},€\n`);
    expect((await failure(text.subarray(0, text.length - 2), { requireTarget: true, allowExtra: true })).code).toBe('CSV_BINARY');
    const r = await read(text, { requireTarget: true, allowExtra: true }, text.length - 3);
    expect(r.X.rows).toBe(1);
  });

  it('a header of values: CSV_NO_HEADER', async () => {
    expect((await failure(`${dataLine(schema, 1)}\n${dataLine(schema, 1)}\n`)).code).toBe('CSV_NO_HEADER');
  });
});

describe('readRecordsCsv: row errors', () => {
  const rows = [
    dataLine(schema, 1), // line 2 good
    dataLine(schema, 1).replace(/^1,/, '2,'), // line 3: outside -1/0/1
    dataLine(schema, 1).replace(/^1,1,/, '1,abc,'), // line 4: non-numeric
    dataLine(schema, 1).split(',').slice(0, 20).join(','), // line 5: short row
    `${dataLine(schema, 1)},1`, // line 6: long row
    dataLine(schema, 0, 0), // line 7: label outside -1/1
    dataLine(schema, 0, 'na'), // line 8: missing label
    dataLine(schema, -1, -1), // line 9 good
  ];
  const text = `${H}\n${rows.join('\n')}\n`;

  it('keeps the good rows and reports each bad row with its line, column and reason', async () => {
    const r = await read(text);
    expect(r.rowsRead).toBe(8);
    expect(r.X.rows).toBe(2);
    expect(Array.from(r.lines)).toEqual([2, 9]);
    expect(Array.from(r.y!)).toEqual([1, -1]);
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'having_IP_Address'], [4, 'URL_Length'], [5, undefined], [6, undefined], [7, 'Result'], [8, 'Result'],
    ]);
    expect(r.errors[0]!.reason).toMatch(/value 2 is not allowed/);
    expect(r.errors[0]!.value).toBe('2');
    expect(r.errors[1]!.reason).toMatch(/'abc' is not a number/);
    expect(r.errors[2]!.reason).toMatch(/expected 31 values, found 20/);
    expect(r.errors[3]!.reason).toMatch(/found 32/);
    expect(r.errors[5]!.reason).toMatch(/missing/);
  });

  it('strict turns any row error into CSV_ROW_ERRORS naming the first ones', async () => {
    const e = await failure(text, { requireTarget: true, strict: true });
    expect(e.code).toBe('CSV_ROW_ERRORS');
    expect(e.message).toContain('6 of 8 rows');
    expect(e.message).toContain('line 3');
  });

  it('maxErrors stops the read with CSV_TOO_MANY_ERRORS', async () => {
    const e = await failure(text, { requireTarget: true, maxErrors: 2 });
    expect(e.code).toBe('CSV_TOO_MANY_ERRORS');
  });

  it('a missing label is fine when the target is not required; a wrong one is not', async () => {
    const r = await read(`${H}\n${dataLine(schema, 1, '')}\n${dataLine(schema, 1, 5)}\n`, { requireTarget: false });
    expect(Array.from(r.y!)).toEqual([NaN]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.line).toBe(3);
  });
});

describe('planHeader and parseRow', () => {
  it('maps features in schema order to cell positions', () => {
    const header = [...schema.columns].reverse();
    const plan = planHeader(header, schema, train);
    expect(plan.featureIndex[0]).toBe(30);
    expect(plan.targetIndex).toBe(0);
    const out = new Float64Array(30);
    const cells = header.map((c, i) => (c === 'Result' ? '1' : String((i % 3) - 1)));
    expect(parseRow({ line: 2, cells }, plan, schema, out)).toEqual({ label: 1, missing: 0 });
    expect(out[0]).toBe((30 % 3) - 1);
  });

  it('reports an unterminated quote as a row error', () => {
    const plan = planHeader(schema.columns, schema, train);
    expect(parseRow({ line: 9, cells: ['1'], error: 'unterminated quoted field' }, plan, schema, new Float64Array(30))).toEqual({ line: 9, reason: 'unterminated quoted field' });
  });
});

describe('detectBinary', () => {
  it('accepts UTF-8 text, including a character cut at the sample end', () => {
    const bytes = new TextEncoder().encode('a,b\nü,€\n');
    expect(detectBinary(bytes)).toBe(false);
    expect(detectBinary(new TextEncoder().encode('x€').subarray(0, 3))).toBe(false);
  });

  it('flags NUL bytes, stray continuation bytes, overlong forms and UTF-16', () => {
    expect(detectBinary(Uint8Array.from([0x61, 0x00]))).toBe(true);
    expect(detectBinary(Uint8Array.from([0x80, 0x61]))).toBe(true);
    expect(detectBinary(Uint8Array.from([0xc0, 0xaf]))).toBe(true);
    expect(detectBinary(Uint8Array.from([0xff, 0xfe, 0x61, 0x00]))).toBe(true);
  });
});
