/**
 * Prints the measured coding of every feature in the bundled data set (share of rows and phishing
 * rate per value) as the Markdown table in docs/url-features.md.
 *   node --import tsx scripts/feature-coding.ts [data.csv]
 */
import { readFileSync } from 'node:fs';
import { codingMarkdown, codingTable } from '../src/data/url-features/index.js';
import { parseSchema, readRecordsCsv } from '../src/data/index.js';

const root = new URL('../', import.meta.url);
const schema = parseSchema(readFileSync(new URL('config/schema.yaml', root), 'utf8'));
const file = process.argv[2] ?? new URL('data/phisingData.csv', root).pathname;
async function* once(): AsyncIterable<Uint8Array> {
  await Promise.resolve();
  yield readFileSync(file);
}
const read = await readRecordsCsv(once(), schema, { requireTarget: true });
process.stdout.write(codingMarkdown(codingTable({ columns: schema.features, X: read.X, y: read.y! })) + '\n');
