/**
 * Issue 2's bad-input contract for `etl` and `predict`, case by case: whole-file errors exit 2 and
 * change nothing; row errors process the good rows, report each bad row, and exit 3; --strict turns
 * row errors into a whole-file error; CRLF, BOM, reordered columns, port/port_no and a missing Result
 * column (predict) are valid.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

const lines = readFileSync(bundledCsv, 'utf8').trim().split('\n');
const header = lines[0]!;
const rows = lines.slice(1, 41);
const csv = (h: string, body: string[]): string => [h, ...body].join('\n') + '\n';

function write(dir: string, name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function recordCount(home: string): Promise<number> {
  const r = await runCli(['etl', '--source', write(home, 'empty-probe.csv', csv(header, [])), '--json'], home);
  expect(r.code).toBe(2); // header only: whole-file error, and nothing changes
  const Database = (await import('better-sqlite3')).default;
  const path = join(home, 'records.db');
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true });
  const n = (db.prepare('SELECT count(*) AS n FROM phishingdata').get() as { n: number }).n;
  db.close();
  return n;
}

describe('etl: whole-file errors exit 2 and change nothing', () => {
  const home = tempHome();
  const cases: [string, string | Buffer, RegExp][] = [
    ['empty file', '', /CSV_EMPTY/],
    ['header only', header + '\n', /CSV_NO_ROWS/],
    ['missing column', csv(header.replace('SFH,', ''), rows.map((r) => r.split(',').filter((_, i) => i !== 15).join(','))), /CSV_MISSING_COLUMNS.*SFH/],
    ['extra column', csv(`${header},extra`, rows.map((r) => `${r},1`)), /CSV_EXTRA_COLUMNS.*extra/],
    ['wrong delimiter', csv(header.replaceAll(',', ';'), rows.map((r) => r.replaceAll(',', ';'))), /CSV_DELIMITER/],
    ['binary file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe, 0, 1, 2, 3]), /CSV_BINARY/],
  ];
  for (const [name, content, message] of cases) {
    it(name, async () => {
      const r = await runCli(['etl', '--source', write(home, `${name}.csv`, content)], home);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      // One line for the error, after the start lines naming the state and the stores.
      expect(r.stderr.trim().split('\n').filter((l) => !/^(state|stores): /.test(l))).toHaveLength(1);
      expect(await recordCount(home)).toBe(0);
    });
  }
  it('a path that does not exist', async () => {
    const r = await runCli(['etl', '--source', join(home, 'nope.csv')], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/FILE_NOT_FOUND/);
    expect(await recordCount(home)).toBe(0);
  });
});

describe('etl: row errors, strict mode and accepted variants', () => {
  it('loads good rows, writes a reject file with line and reason, exits 3; --strict loads nothing', async () => {
    const home = tempHome();
    const bad = [...rows];
    bad[3] = bad[3]!.replace(/^-?1,/, '5,'); // line 5: value outside -1/0/1
    bad[7] = bad[7]!.replace(/^-?1,/, 'abc,'); // line 9: not a number
    bad[10] = bad[10]!.split(',').slice(0, 10).join(','); // line 12: short row
    const file = write(home, 'bad.csv', csv(header, bad));
    const strict = await runCli(['etl', '--source', file, '--strict'], home);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/CSV_ROW_ERRORS/);
    expect(await recordCount(home)).toBe(0);

    const rejects = join(home, 'rejects.csv');
    const r = await runCli(['etl', '--source', file, '--rejects', rejects, '--json'], home);
    expect(r.code).toBe(3);
    const summary = JSON.parse(r.stdout) as { inserted: number; rejected: number };
    expect(summary).toMatchObject({ inserted: 37, rejected: 3 });
    const rejectLines = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(rejectLines[0]).toBe('line,column,value,reason');
    expect(rejectLines.slice(1).map((l) => l.split(',')[0])).toEqual(['5', '9', '12']);
    expect(await recordCount(home)).toBe(37);
  });

  it('accepts CRLF, a BOM, reordered columns and port instead of port_no; loading twice adds nothing', async () => {
    const home = tempHome();
    const names = header.split(',');
    const order = names.map((_, i) => i).reverse();
    const reordered = [order.map((i) => names[i]!.replace('port_no', 'port')).join(','), ...rows.map((r) => { const c = r.split(','); return order.map((i) => c[i]).join(','); })];
    const file = write(home, 'variant.csv', '\ufeff' + reordered.join('\r\n') + '\r\n');
    const first = await runCli(['etl', '--source', file, '--json'], home);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ inserted: 40, skipped: 0, rejected: 0 });
    const second = await runCli(['etl', '--source', write(home, 'plain.csv', csv(header, rows)), '--json'], home);
    expect(JSON.parse(second.stdout)).toMatchObject({ inserted: 0, skipped: 40 });
  });
});

describe('predict: bad input', () => {
  const home = tempHome();
  beforeAll(async () => {
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    expect((await runCli(['train', '--preset', 'quick'], home)).code).toBe(0);
  }, 300_000);

  it('whole-file errors exit 2 and write no output', async () => {
    for (const [name, content, message] of [
      ['empty', '', /CSV_EMPTY/],
      ['header-only', header + '\n', /CSV_NO_ROWS/],
      ['semicolons', csv(header.replaceAll(',', ';'), rows.map((r) => r.replaceAll(',', ';'))), /CSV_DELIMITER/],
      ['binary', Buffer.from([0, 1, 2, 0xff, 0xfe, 0]), /CSV_BINARY/],
    ] as const) {
      const out = join(home, `${name}.out.csv`);
      const r = await runCli(['predict', '--input', write(home, `${name}.csv`, content), '--output', out], home);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
    const missing = await runCli(['predict', '--input', join(home, 'nope.csv'), '--output', join(home, 'x.csv')], home);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/FILE_NOT_FOUND/);
  });

  it('row errors: good rows predicted, bad rows get an error column, exit 3; --strict writes nothing', async () => {
    const noResult = rows.map((r) => r.split(',').slice(0, 30).join(','));
    noResult[2] = noResult[2]!.replace(/^-?1,/, '7,');
    const input = write(home, 'rows.csv', csv(header.split(',').slice(0, 30).join(','), noResult));
    const out = join(home, 'rows.out.csv');
    const r = await runCli(['predict', '--input', input, '--output', out], home);
    expect(r.code).toBe(3);
    const outLines = readFileSync(out, 'utf8').trim().split('\n');
    expect(outLines).toHaveLength(41);
    expect(outLines[0]).toMatch(/,prediction,phishing_probability,error$/);
    expect(outLines[3]).toMatch(/,,,.*(7|allowed)/);
    expect(outLines.filter((l, i) => i > 0 && /,-?1,[01]\.\d+,$/.test(l))).toHaveLength(39);
    const strictOut = join(home, 'strict.out.csv');
    const s = await runCli(['predict', '--input', input, '--output', strictOut, '--strict'], home);
    expect(s.code).toBe(2);
    expect(existsSync(strictOut)).toBe(false);
  });
});
