/**
 * One CSV reader for the product: the same corpus (quoted fields, CRLF, a BOM, an unclosed quote, an
 * overlong field or row, formula cells, bad values) goes to each surface through the code its command
 * or route runs — the ETL (`loadCsvIntoStore`, as `networksecurity etl`), CLI predict
 * (`predictCsvStream`, as `networksecurity predict`) and the API upload (POST /api/v1/predict/csv on the
 * real server) — and each gives the same outcome: the same whole-file error code, or the same rows
 * read, the same rejected lines with the same reasons, and (predict vs API) the same scored CSV.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNsError } from '../core/errors.js';
import { CsvTokenizer } from '../data/csv.js';
import { describeRowError } from '../data/records.js';
import { parseSchema } from '../data/schema.js';
import { chunked } from '../data/test-support.test-helpers.js';
import type { RecordInput, RecordStore, WriteResult } from '../ports/record-store.js';
import { predictCsvStream } from '../pipeline/batch-predict.js';
import { loadCsvIntoStore } from '../pipeline/etl.js';
import { buildServer } from './app.js';
import { fakeModel, fakeWorld } from './fake-deps.test-helpers.js';

const schema = parseSchema(readFileSync(new URL('../../config/schema.yaml', import.meta.url), 'utf8'));
const bundled = readFileSync(new URL('../../data/phisingData.csv', import.meta.url), 'utf8').split('\n');
const header = bundled[0]!.trim();
const rows = bundled.slice(1, 21).map((l) => l.trim());
const csv = (lines: string[], eol = '\n'): string => lines.join(eol) + eol;
/** Row i with its first cell replaced. */
const withFirst = (i: number, cell: string): string => `${cell},${rows[i]!.split(',').slice(1).join(',')}`;

/** The outcome a surface gives for one file; the same for every surface. */
interface Outcome {
  code?: string;
  rowsRead?: number;
  /** One line per rejected row: "line N: column: reason". */
  rejected?: string[];
}

const corpus: [name: string, text: string, expected: Outcome][] = [
  ['plain rows', csv([header, ...rows]), { rowsRead: 20, rejected: [] }],
  ['quoted fields, doubled quotes and a quoted line break in an unused cell', csv([header, ...rows.slice(0, 4).map((r) => r.split(',').map((c) => `"${c}"`).join(',')), withFirst(5, '"1\n"')]), {
    rowsRead: 5, rejected: ["line 6: having_IP_Address: '1\n' is not a number"],
  }],
  ['CRLF line ends and a BOM', `\ufeff${csv([header, ...rows], '\r\n')}`, { rowsRead: 20, rejected: [] }],
  ['an unclosed quote at the end', `${csv([header, ...rows.slice(0, 3)])}${withFirst(3, '"1')}\n`, { rowsRead: 4, rejected: ['line 5: unterminated quoted field'] }],
  ['an unclosed quote in a long file', `${csv([header, ...rows.slice(0, 3)])}${withFirst(3, '"1')}\n${csv(Array.from({ length: 2000 }, () => rows[0]!))}`, { code: 'CSV_FIELD_TOO_LONG' }],
  ['an overlong field', csv([header, withFirst(0, 'x'.repeat(70_000))]), { code: 'CSV_FIELD_TOO_LONG' }],
  ['an overlong row without line breaks', `${header}\n${'1,'.repeat(600_000)}`, { code: 'CSV_RECORD_TOO_LONG' }],
  ['formula cells', csv([header, withFirst(0, '=HYPERLINK("http://x")'), withFirst(1, '@SUM(1)'), withFirst(2, "=cmd|' /C calc'!A0"), ...rows.slice(3)]), {
    rowsRead: 20,
    rejected: [`line 2: having_IP_Address: '=HYPERLINK("http://x")' is not a number`, "line 3: having_IP_Address: '@SUM(1)' is not a number", "line 4: having_IP_Address: '=cmd|' /C calc'!A0' is not a number"],
  }],
  ['bad values and a short row', csv([header, withFirst(0, '7'), withFirst(1, '1e0'), rows[2]!.split(',').slice(0, 5).join(','), ...rows.slice(3)]), {
    rowsRead: 20,
    rejected: ['line 2: having_IP_Address: value 7 is not allowed (allowed: -1, 0, 1)', "line 3: having_IP_Address: '1e0' is not a number", 'line 4: expected 31 values, found 5 (short row)'],
  }],
  ['an empty file', '', { code: 'CSV_EMPTY' }],
  ['a header only', `${header}\r\n`, { code: 'CSV_NO_ROWS' }],
  ['semicolons', csv([header, ...rows].map((l) => l.replaceAll(',', ';'))), { code: 'CSV_DELIMITER' }],
];

/** A record store that keeps nothing: the ETL's outcome is in its result. */
const nullStore: RecordStore = {
  describe: () => 'null',
  count: () => Promise.resolve(0),
  insertBatch: (records: readonly RecordInput[]): Promise<WriteResult> => Promise.resolve({ inserted: records.length, skipped: 0 }),
  async *scan() { /* empty */ },
  replaceAll: () => Promise.resolve({ inserted: 0, skipped: 0 }),
  maxUpdatedAt: () => Promise.resolve(0),
  close: () => Promise.resolve(),
};

async function failureCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (isNsError(e)) return e.code;
    throw e;
  }
}

/** The error column of a scored CSV, read with the product's reader, for the rows that have one. */
function errorColumn(scored: string): { rows: number; rejected: string[] } {
  const t = new CsvTokenizer();
  const out = [...t.push(scored), ...t.end()].slice(1);
  return { rows: out.length, rejected: out.map((r) => r.cells.at(-1)!).filter((e) => e !== '') };
}

async function viaEtl(text: string): Promise<Outcome> {
  let result: Awaited<ReturnType<typeof loadCsvIntoStore>> | undefined;
  const code = await failureCode(loadCsvIntoStore(chunked(Buffer.from(text), 4096), schema, nullStore, { mode: 'append', strict: false }).then((r) => { result = r; }));
  return code !== undefined ? { code } : { rowsRead: result!.rowsRead, rejected: result!.rejected.map(describeRowError) };
}

async function viaPredict(text: string): Promise<{ outcome: Outcome; scored?: string }> {
  let scored = '';
  const code = await failureCode(predictCsvStream(chunked(Buffer.from(text), 4096), schema, fakeModel(1), { strict: false }, (s) => { scored += s; return Promise.resolve(); }));
  if (code !== undefined) return { outcome: { code } };
  const e = errorColumn(scored);
  return { outcome: { rowsRead: e.rows, rejected: e.rejected }, scored };
}

let app: FastifyInstance;
beforeAll(async () => {
  const world = fakeWorld();
  world.deps.schema = schema;
  app = await buildServer(world.deps);
});
afterAll(() => app.close());

async function viaApi(text: string): Promise<{ outcome: Outcome; status: number; scored?: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/predict/csv', payload: text, headers: { 'content-type': 'text/csv' } });
  if (res.statusCode !== 200) return { outcome: { code: res.json<{ error: { code: string } }>().error.code }, status: res.statusCode };
  const e = errorColumn(res.body);
  expect(res.headers['x-rows']).toBe(String(e.rows));
  expect(res.headers['x-row-errors']).toBe(String(e.rejected.length));
  return { outcome: { rowsRead: e.rows, rejected: e.rejected }, status: 200, scored: res.body };
}

describe('the same CSV gives the same outcome on the ETL, CLI predict and the API upload', () => {
  for (const [name, text, expected] of corpus) {
    it(name, async () => {
      const etl = await viaEtl(text);
      const predict = await viaPredict(text);
      const api = await viaApi(text);
      expect(etl).toEqual(expected);
      expect(predict.outcome).toEqual(expected);
      expect(api.outcome).toEqual(expected);
      if (expected.code === undefined) expect(api.scored).toBe(predict.scored);
      else expect(api.status).toBe(expected.code.startsWith('CSV_') && expected.code.endsWith('TOO_LONG') ? 413 : 400);
    });
  }

  it('no echoed cell of the scored CSV can run as a formula', async () => {
    const formulas = corpus.find(([name]) => name === 'formula cells')![1];
    const { scored } = await viaApi(formulas);
    const t = new CsvTokenizer();
    const cells = [...t.push(scored!), ...t.end()].flatMap((r) => r.cells);
    expect(cells.filter((c) => /^[=@]/.test(c))).toEqual([]);
    expect(cells.filter((c) => c.startsWith("'"))).toEqual(['\'=HYPERLINK("http://x")', "'@SUM(1)", "'=cmd|' /C calc'!A0"]);
  });
});
