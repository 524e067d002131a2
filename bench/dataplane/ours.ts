/**
 * Our side of the data-plane benchmark, run in its own process so its peak RSS is its own:
 *   insert <url> <db> <coll> <csv>   stream the CSV, parse rows, insertBatch in batches (unordered bulk)
 *   scan   <url> <db> <coll>         scan() the collection into columnar Int8Array columns (a snapshot)
 * Prints one JSON line: {"records", "seconds", "maxRssMb"}.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { openMongoRecordStore } from '../../src/adapters/mongodb/record-store.js';
import type { RecordInput } from '../../src/ports/record-store.js';

const BATCH = 5000;

async function insert(url: string, db: string, coll: string, csv: string): Promise<number> {
  const store = await openMongoRecordStore(url, { database: db, collection: coll });
  try {
    const lines = createInterface({ input: createReadStream(csv), crlfDelay: Infinity });
    let header: string[] | undefined;
    let batch: RecordInput[] = [];
    let n = 0;
    const pending: Promise<unknown>[] = [];
    for await (const line of lines) {
      if (!header) { header = line.split(','); continue; }
      if (line === '') continue;
      const cells = line.split(',');
      const values: Record<string, number | null> = {};
      for (let j = 0; j < header.length; j++) {
        const c = cells[j];
        values[header[j]!] = c === undefined || c === '' || c === 'na' ? null : Number(c);
      }
      batch.push({ id: `row-${n++}`, values });
      if (batch.length === BATCH) {
        // Two batches in flight: parsing the next one overlaps the server's work on the previous.
        pending.push(store.insertBatch(batch));
        batch = [];
        if (pending.length >= 2) await pending.shift();
      }
    }
    if (batch.length > 0) pending.push(store.insertBatch(batch));
    await Promise.all(pending);
    return n;
  } finally {
    await store.close();
  }
}

async function scan(url: string, db: string, coll: string): Promise<number> {
  const store = await openMongoRecordStore(url, { database: db, collection: coll });
  try {
    const total = await store.count();
    const columns = new Map<string, Int8Array>();
    let row = 0;
    for await (const batch of store.scan({ batchSize: BATCH })) {
      for (const rec of batch) {
        for (const key in rec.values) {
          let col = columns.get(key);
          if (!col) { col = new Int8Array(total).fill(-128); columns.set(key, col); }
          const v = rec.values[key];
          if (v !== null && v !== undefined) col[row] = v;
        }
        row++;
      }
    }
    return row;
  } finally {
    await store.close();
  }
}

const [mode, url, db, coll, csv] = process.argv.slice(2);
const t0 = performance.now();
const n = mode === 'insert' ? await insert(url!, db!, coll!, csv!) : await scan(url!, db!, coll!);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ records: n, seconds, maxRssMb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10 })}\n`);
