import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer, type CsvRow } from '../data/csv.js';
import { parseSchema } from '../data/schema.js';
import { chunked, dataLine, headerLine } from '../data/test-support.test-helpers.js';
import { splitCsvShards } from './batch-shards.js';

const schema = parseSchema(readFileSync(new URL('../../config/schema.yaml', import.meta.url), 'utf8'));

function tokenize(text: string, firstLine = 1): CsvRow[] {
  const t = new CsvTokenizer(undefined, firstLine);
  return [...t.push(text), ...t.end()];
}

async function shards(text: string, rows: number) {
  const out = [];
  for await (const s of splitCsvShards(chunked(new TextEncoder().encode(text), 7), schema, rows)) out.push(s);
  return out;
}

describe('splitCsvShards', () => {
  it('each shard tokenizes to the rows of the whole file, with their line numbers', async () => {
    const rows = [dataLine(schema, 1), '', dataLine(schema, -1).replace('-1', '"a,\r\nb""c"'), dataLine(schema, 0), '""', '', '', dataLine(schema, 1), dataLine(schema, 1).replace(/,1$/, ',"open')];
    const text = `\n${headerLine(schema)}\r\n${rows.join('\r\n')}`;
    const whole = tokenize(text).slice(1);
    for (const size of [1, 2, 3, 100]) {
      const got = await shards(text, size);
      expect(got.map((s) => s.index)).toEqual(got.map((_, i) => i));
      const back = got.flatMap((s) => tokenize(s.text, s.firstLine).slice(1));
      expect(back).toEqual(whole);
      expect(got.reduce((n, s) => n + s.rows, 0)).toBe(whole.length);
      expect(back.at(-1)?.error).toBe('unterminated quoted field');
    }
  });

  it('throws what the header shows before any shard: empty, no rows, binary, bad header', async () => {
    await expect(shards('', 10)).rejects.toMatchObject({ code: 'CSV_EMPTY' });
    await expect(shards(`${headerLine(schema)}\n`, 10)).rejects.toMatchObject({ code: 'CSV_NO_ROWS' });
    await expect(shards('a;b;c\n1;2;3\n', 10)).rejects.toMatchObject({ code: 'CSV_DELIMITER' });
    const binary = new Uint8Array([0, 1, 2, 10]);
    await expect((async () => { for await (const s of splitCsvShards(chunked(binary), schema, 10)) void s; })()).rejects.toMatchObject({ code: 'CSV_BINARY' });
  });
});
