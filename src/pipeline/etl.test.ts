import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NsError } from '../core/errors.js';
import type { RowError } from '../data/records.js';
import { parseSchema } from '../data/schema.js';
import { chunked, dataLine, headerLine } from '../data/test-support.test-helpers.js';
import type { RecordInput, RecordStore, StoredRecord, WriteResult } from '../ports/record-store.js';
import { loadCsvIntoStore, rejectsCsv } from './etl.js';

const schema = parseSchema(readFileSync(new URL('../../config/schema.yaml', import.meta.url), 'utf8'));
const bundled = readFileSync(new URL('../../data/phisingData.csv', import.meta.url));
/** sha256 of the bundled file's 11,055 row ids joined by "\n", computed with the pre-streaming ETL. */
const BUNDLED_IDS_SHA256 = '1ac6c3d7edda2570a91e9fe6d462a4d6fcf6aa3eac762db563521f568b72de4b';

const turn = (): Promise<void> => new Promise((done) => setImmediate(done));

/** An in-memory store that records each batch it is given; `onBatch` sees it before it is stored. */
class MemoryStore implements RecordStore {
  readonly records = new Map<string, RecordInput>();
  readonly order: string[] = [];
  readonly batchSizes: number[] = [];
  constructor(private readonly onBatch: (batch: readonly RecordInput[]) => void = () => undefined) {}
  describe(): string { return 'memory'; }
  count(): Promise<number> { return Promise.resolve(this.records.size); }
  async insertBatch(records: readonly RecordInput[]): Promise<WriteResult> {
    this.onBatch(records);
    this.batchSizes.push(records.length);
    await turn();
    let inserted = 0;
    for (const r of records) {
      if (this.records.has(r.id)) continue;
      this.records.set(r.id, r);
      this.order.push(r.id);
      inserted++;
    }
    return { inserted, skipped: records.length - inserted };
  }
  async *scan(): AsyncIterable<StoredRecord[]> {
    await turn();
    yield [...this.records.values()].map((r) => ({ ...r, updatedAt: 1 }));
  }
  async replaceAll(batches: AsyncIterable<readonly RecordInput[]>): Promise<WriteResult> {
    const staging = new MemoryStore(this.onBatch);
    for await (const b of batches) await staging.insertBatch(b);
    this.records.clear();
    for (const [k, v] of staging.records) this.records.set(k, v);
    this.batchSizes.push(...staging.batchSizes);
    return { inserted: staging.records.size, skipped: 0 };
  }
  maxUpdatedAt(): Promise<number> { return Promise.resolve(this.records.size > 0 ? 1 : 0); }
  close(): Promise<void> { return Promise.resolve(); }
}

async function failure(p: Promise<unknown>): Promise<NsError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NsError) return e;
    throw e;
  }
  throw new Error('expected the load to fail');
}

const H = headerLine(schema);
const good = (n: number): string[] => Array.from({ length: n }, (_, i) => dataLine(schema, [-1, 0, 1][i % 3]!, i % 2 === 0 ? 1 : -1));

describe('loadCsvIntoStore', () => {
  it('gives the bundled rows the same ids as the pre-streaming ETL, in any chunking', async () => {
    for (const [size, batchSize] of [[997, 1000], [1 << 20, 5000]] as const) {
      const store = new MemoryStore();
      const r = await loadCsvIntoStore(chunked(bundled, size), schema, store, { mode: 'append', strict: false, batchSize });
      expect(r).toMatchObject({ rowsRead: 11055, inserted: 11055, skipped: 0, rejectedCount: 0 });
      expect(createHash('sha256').update(store.order.join('\n')).digest('hex')).toBe(BUNDLED_IDS_SHA256);
    }
  });

  it('loads 200,000 generated rows in batches of at most 5,000 without reading far ahead of the writes', async () => {
    const total = 200_000;
    const perChunk = 500;
    let produced = 0;
    let stored = 0;
    let maxAhead = 0;
    async function* source(): AsyncIterable<string> {
      yield `${H}\n`;
      for (let start = 0; start < total; start += perChunk) {
        await turn();
        const lines: string[] = [];
        for (let i = start; i < start + perChunk; i++) {
          const cells = schema.features.map((_, j) => [-1, 0, 1][(i >> j) % 3]!);
          lines.push(`${cells.join(',')},${i % 2 === 0 ? 1 : -1}\n`);
        }
        produced += perChunk;
        yield lines.join('');
      }
    }
    const store = new MemoryStore((batch) => {
      stored += batch.length;
      maxAhead = Math.max(maxAhead, produced - stored);
    });
    const r = await loadCsvIntoStore(source(), schema, store, { mode: 'append', strict: false });
    expect(r.rowsRead).toBe(total);
    expect(r.inserted + r.skipped).toBe(total);
    expect(Math.max(...store.batchSizes)).toBeLessThanOrEqual(5000);
    expect(store.batchSizes.reduce((a, b) => a + b, 0)).toBe(total);
    // At most the batch being built next (read ahead) and one source chunk beyond the rows written.
    expect(maxAhead).toBeLessThanOrEqual(5000 + perChunk);
  });

  it('loading the same file twice adds nothing; a duplicated row is stored once per copy', async () => {
    const text = `${H}\n${[...good(3), good(1)[0]!].join('\n')}\n`;
    const store = new MemoryStore();
    const first = await loadCsvIntoStore(chunked(text, 50), schema, store, { mode: 'append', strict: false });
    const second = await loadCsvIntoStore(chunked(text, 7), schema, store, { mode: 'append', strict: false });
    expect(first).toMatchObject({ inserted: 4, skipped: 0 });
    expect(second).toMatchObject({ inserted: 0, skipped: 4 });
    expect(store.order.filter((id) => id.endsWith('#1'))).toHaveLength(1);
  });

  it('hands bad rows to onRejected as they are found and writes the good ones (reject file format unchanged)', async () => {
    const rows = good(12);
    rows[1] = dataLine(schema, 2);
    rows[10] = dataLine(schema, 1, 'x');
    const seen: RowError[][] = [];
    let insertsBeforeLastReject = 0;
    const store = new MemoryStore();
    const r = await loadCsvIntoStore(chunked(`${H}\n${rows.join('\n')}\n`, 100), schema, store, {
      mode: 'append', strict: false, batchSize: 4,
      onRejected: (bad) => {
        seen.push([...bad]);
        insertsBeforeLastReject = store.batchSizes.length;
      },
    });
    expect(r).toMatchObject({ rowsRead: 12, inserted: 10, rejectedCount: 2, rejected: [] });
    expect(seen.flat().map((e) => e.line)).toEqual([3, 12]);
    expect(insertsBeforeLastReject).toBeGreaterThan(0);
    expect(rejectsCsv(seen.flat())).toBe(
      `line,column,value,reason\n3,having_IP_Address,2,"value 2 is not allowed (allowed: -1, 0, 1)"\n12,Result,x,'x' is not a number\n`,
    );
  });

  it('escapes formula-like cells in the reject file, as the API download does', async () => {
    const rows = good(3);
    rows[0] = dataLine(schema, 1, '=HYPERLINK("http://evil.example")');
    rows[1] = dataLine(schema, 1, '@SUM(1)');
    rows[2] = dataLine(schema, 1, "=cmd|' /C calc'!A0");
    const seen: RowError[] = [];
    await loadCsvIntoStore(chunked(`${H}\n${rows.map((r) => r.replace(/,([^,]*)$/, (_, v: string) => `,"${v.replace(/"/g, '""')}"`)).join('\n')}\n`, 100), schema, new MemoryStore(), {
      mode: 'append', strict: false, onRejected: (bad) => { seen.push(...bad); },
    });
    const lines = rejectsCsv(seen).trim().split('\n').slice(1);
    expect(lines).toHaveLength(3);
    // The value column (third) starts with an apostrophe, so a spreadsheet shows it as text.
    expect(lines[0]).toMatch(/^2,Result,"'=HYPERLINK\(""http:\/\/evil\.example""\)",/);
    expect(lines[1]).toMatch(/^3,Result,'@SUM\(1\),/);
    expect(lines[2]).toMatch(/^4,Result,'=cmd\|' \/C calc'!A0,/);
  });

  it('counts the missing values it loads (empty, na, NaN), stored as null', async () => {
    const cells = dataLine(schema, 1).split(',');
    cells[0] = ''; cells[1] = 'na'; cells[2] = 'NaN';
    const store = new MemoryStore();
    const r = await loadCsvIntoStore(chunked(`${H}\n${cells.join(',')}\n${good(1)[0]!}\n`, 100), schema, store, { mode: 'append', strict: false });
    expect(r).toMatchObject({ inserted: 2, rejectedCount: 0, missingValues: 3 });
    const stored = [...store.records.values()].find((rec) => rec.values[schema.features[0]!] === null);
    expect([0, 1, 2].map((j) => stored?.values[schema.features[j]!])).toEqual([null, null, null]);
  });

  it('replace streams its batches into replaceAll', async () => {
    const store = new MemoryStore();
    await store.insertBatch([{ id: 'old#0', values: { Result: 1 } }]);
    const r = await loadCsvIntoStore(chunked(`${H}\n${good(9).join('\n')}\n`, 64), schema, store, { mode: 'replace', strict: false, batchSize: 4 });
    expect(r).toMatchObject({ mode: 'replace', inserted: 9, rowsRead: 9 });
    expect(store.records.has('old#0')).toBe(false);
    expect(store.batchSizes.slice(1)).toEqual([4, 4, 1]);
  });

  it('strict: one bad row late in the file changes nothing, in replace and in append mode', async () => {
    const rows = good(20);
    rows[18] = dataLine(schema, 5);
    const text = `${H}\n${rows.join('\n')}\n`;
    for (const mode of ['replace', 'append'] as const) {
      const store = new MemoryStore();
      await store.insertBatch([{ id: 'old#0', values: { Result: 1 } }]);
      const e = await failure(loadCsvIntoStore(chunked(text, 64), schema, store, { mode, strict: true, batchSize: 4 }));
      expect(e.code).toBe('CSV_ROW_ERRORS');
      expect(e.message).toMatch(/^1 of 20 rows have errors: line 20: /);
      expect([...store.records.keys()]).toEqual(['old#0']);
    }
  });

  it('strict append of a clean file loads every row (validated first, then written)', async () => {
    const store = new MemoryStore();
    const r = await loadCsvIntoStore(chunked(`${H}\n${good(11).join('\n')}\n`, 64), schema, store, { mode: 'append', strict: true, batchSize: 5 });
    expect(r).toMatchObject({ rowsRead: 11, inserted: 11, rejectedCount: 0 });
    expect(store.batchSizes).toEqual([5, 5, 1]);
  });

  it('a whole-file error (no header) writes nothing', async () => {
    const store = new MemoryStore();
    const e = await failure(loadCsvIntoStore(chunked(`${good(3).join('\n')}\n`), schema, store, { mode: 'append', strict: false }));
    expect(e.code).toBe('CSV_NO_HEADER');
    expect(store.records.size).toBe(0);
  });
});
