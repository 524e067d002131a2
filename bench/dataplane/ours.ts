/**
 * Our side of the data-plane benchmark, run in its own process so its peak RSS is its own:
 *   etl  <url> <db> <coll> <s3://bucket/key>  the `etl` command's path: openS3Object → loadCsvIntoStore
 *                                             (schema validation, row identities, insertBatch batches)
 *   scan <url> <db> <coll>                    scan() the collection into columnar Int8Array columns (a snapshot)
 * The S3 endpoint comes from S3_ENDPOINT, the record format from MONGO_RECORD_FORMAT (default packed).
 * Prints one JSON line: {"records", "seconds", "maxRssMb", "cpuSeconds"}.
 */
import { resolve } from 'node:path';
import { openMongoRecordStore } from '../../src/adapters/mongodb/record-store.js';
import { openS3Object } from '../../src/adapters/s3/source.js';
import { loadSchemaFile } from '../../src/main/compose.js';
import { loadCsvIntoStore } from '../../src/pipeline/etl.js';

const BATCH = 5000;

async function etl(url: string, db: string, coll: string, uri: string): Promise<number> {
  const schema = loadSchemaFile(resolve(import.meta.dirname, '../../config/schema.yaml'));
  const store = await openMongoRecordStore(url, { database: db, collection: coll });
  try {
    const endpoint = process.env.S3_ENDPOINT;
    const source = openS3Object(uri, { region: 'us-east-1', ...(endpoint ? { endpoint } : {}) });
    const r = await loadCsvIntoStore(source, schema, store, { mode: 'append', strict: false });
    if (r.rejected.length > 0) throw new Error(`${r.rejected.length} rows rejected`);
    return r.inserted;
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

const [mode, url, db, coll, uri] = process.argv.slice(2);
const t0 = performance.now();
const n = mode === 'etl' ? await etl(url!, db!, coll!, uri!) : await scan(url!, db!, coll!);
const seconds = (performance.now() - t0) / 1000;
const ru = process.resourceUsage();
process.stdout.write(`${JSON.stringify({ records: n, seconds, maxRssMb: Math.round(ru.maxRSS / 102.4) / 10, cpuSeconds: Math.round((ru.userCPUTime + ru.systemCPUTime) / 1e4) / 100 })}\n`);
