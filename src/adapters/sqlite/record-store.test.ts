import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toAsync } from '../../core/iter.js';
import { SqliteRecordStore } from './record-store.js';

const rec = (id: string, v: number) => ({ id, values: { a: v, Result: 1 } });

async function all(store: SqliteRecordStore, since?: number): Promise<string[]> {
  const ids: string[] = [];
  for await (const b of store.scan({ batchSize: 2, ...(since !== undefined ? { since } : {}) })) ids.push(...b.map((r) => r.id));
  return ids;
}

describe('SqliteRecordStore', () => {
  it('inserts new ids only, scans in batches, and reads only records newer than a watermark', async () => {
    const store = new SqliteRecordStore(join(mkdtempSync(join(tmpdir(), 'ns-rs-')), 'r.db'));
    expect(await store.insertBatch([rec('a', 1), rec('b', 0), rec('c', -1)])).toEqual({ inserted: 3, skipped: 0 });
    expect(await store.insertBatch([rec('a', 1), rec('d', 1)])).toEqual({ inserted: 1, skipped: 1 });
    expect(await all(store)).toEqual(['a', 'b', 'c', 'd']);
    const mark = await store.maxUpdatedAt();
    await store.insertBatch([rec('e', 1), rec('f', 0), rec('g', 0)]);
    expect(await all(store, mark)).toEqual(['e', 'f', 'g']);
    await store.close();
  });

  it('replaceAll keeps the old records when the new data fails midway', async () => {
    const store = new SqliteRecordStore(join(mkdtempSync(join(tmpdir(), 'ns-rs-')), 'r.db'));
    await store.insertBatch([rec('old1', 1), rec('old2', 1)]);
    function* failing() {
      yield [rec('new1', 1)];
      throw new Error('source broke');
    }
    await expect(store.replaceAll(toAsync(failing()))).rejects.toThrow('source broke');
    expect(await all(store)).toEqual(['old1', 'old2']);
    expect(await store.replaceAll(toAsync([[rec('new1', 1), rec('new2', 0)]]))).toEqual({ inserted: 2, skipped: 0 });
    expect(await all(store)).toEqual(['new1', 'new2']);
    await store.close();
  });
});
