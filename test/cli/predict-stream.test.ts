/**
 * `predict` streams (issue 19) and its output is safe to open (issue 18): rows come out in input order
 * across chunk boundaries, a file whose every row is bad exits 3 with the per-row errors, echoed cells
 * that a spreadsheet would read as formulas are escaped, and an output path that is a folder fails
 * before any work without leaving a temporary file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CsvTokenizer } from '../../src/data/csv.js';
import { PREDICT_CHUNK_ROWS } from '../../src/pipeline/batch-predict.js';
import { bundledCsv, runCli, tempHome } from './cli-helpers.js';

const lines = readFileSync(bundledCsv, 'utf8').trim().split('\n');
const header = lines[0]!;
const rows = lines.slice(1);

describe('predict: streamed output', () => {
  const home = tempHome();
  beforeAll(async () => {
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    expect((await runCli(['train', '--preset', 'quick'], home)).code).toBe(0);
  }, 600_000);

  it('keeps input order across chunks, with bad rows around a chunk boundary', async () => {
    expect(rows.length).toBeGreaterThan(PREDICT_CHUNK_ROWS + 10);
    const body = [...rows];
    const bad = [0, PREDICT_CHUNK_ROWS - 1, PREDICT_CHUNK_ROWS, PREDICT_CHUNK_ROWS + 2, body.length - 1];
    for (const i of bad) body[i] = body[i]!.replace(/^-?1,/, '5,');
    const input = join(home, 'order.csv');
    writeFileSync(input, [header, ...body].join('\n') + '\n');
    const out = join(home, 'order.out.csv');
    const r = await runCli(['predict', '--input', input, '--output', out, '--json'], home);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: body.length, predicted: body.length - bad.length, rejected: bad.length });
    const outLines = readFileSync(out, 'utf8').trim().split('\n');
    expect(outLines).toHaveLength(body.length + 1);
    for (let i = 0; i < body.length; i++) {
      const cells = outLines[i + 1]!.split(',');
      expect(cells.slice(0, 31).join(','), `row ${i}`).toBe(body[i]);
      if (bad.includes(i)) expect(cells[31]).toBe('');
      else expect(['-1', '1']).toContain(cells[31]);
    }
    expect(readdirSync(home).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('every row bad: exit 3, each row with its error, no output cell a formula', async () => {
    const formulas = ['=HYPERLINK("http://evil.example","x")', '@SUM(1)', "=cmd|' /C calc'!A0", '+1+1', '-2-3'];
    const field = (c: string): string => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    const body = formulas.map((f) => [field(f), ...rows[0]!.split(',').slice(1)].join(','));
    const input = join(home, 'bad.csv');
    writeFileSync(input, [header, ...body].join('\n') + '\n');
    const out = join(home, 'bad.out.csv');
    const r = await runCli(['predict', '--input', input, '--output', out], home);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/BAD_SHAPE/);
    expect(r.stderr.match(/rejected line/g)).toHaveLength(formulas.length);
    const text = readFileSync(out, 'utf8');
    const outLines = text.trim().split('\n');
    expect(outLines).toHaveLength(formulas.length + 1);
    for (const line of outLines.slice(1)) expect(line).toMatch(/,,,.+$/);
    const t = new CsvTokenizer();
    const parsed = [...t.push(text), ...t.end()];
    expect(parsed.map((row) => row.cells[0])).toEqual(['having_IP_Address', ...formulas.map((f) => `'${f}`)]);
    for (const row of parsed) for (const cell of row.cells) expect(cell).not.toMatch(/^[=@+\t\r]|^-(?!\d)/);
  });

  it('--output naming a folder fails with exit 2 before any work and leaves no temporary file', async () => {
    const dir = join(home, 'outdir');
    mkdirSync(dir);
    const r = await runCli(['predict', '--input', bundledCsv, '--output', dir], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/OUTPUT_IS_FOLDER/);
    expect(readdirSync(home).filter((f) => f.startsWith('outdir.tmp-'))).toEqual([]);
    expect(existsSync(dir)).toBe(true);
  });
});
