import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRows } from '../../core/matrix.js';
import { readRecordsCsv } from '../records.js';
import { parseSchema } from '../schema.js';
import { chunked } from '../test-support.test-helpers.js';
import { codingMarkdown, codingTable } from './coding.js';

const schema = parseSchema(readFileSync(new URL('../../../config/schema.yaml', import.meta.url), 'utf8'));

describe('codingTable', () => {
  it('counts rows and phishing rate per value', () => {
    const rows = codingTable({ columns: ['a'], X: fromRows([[-1], [-1], [1], [1]]), y: Float64Array.from([-1, -1, -1, 1]) });
    expect(rows[0]).toEqual({ feature: 'a', lift: 0.5, direction: 'paper', values: [{ value: -1, rows: 2, share: 0.5, phishingRate: 1 }, { value: 1, rows: 2, share: 0.5, phishingRate: 0.5 }] });
  });

  it('on the bundled data, finds the features that run opposite to the paper (FEATURES.md caution)', async () => {
    const read = await readRecordsCsv(chunked(readFileSync(new URL('../../../data/phisingData.csv', import.meta.url))), schema, { requireTarget: true });
    const table = codingTable({ columns: schema.features, X: read.X, y: read.y! });
    const opposite = table.filter((r) => r.direction === 'opposite').map((r) => r.feature).sort();
    expect(opposite).toEqual(['Abnormal_URL', 'Domain_registeration_length', 'HTTPS_token', 'Links_pointing_to_page', 'Shortining_Service', 'double_slash_redirecting'].sort());
    const by = (f: string) => table.find((r) => r.feature === f)!;
    // Near-zero signal: Favicon, popUpWidnow, Iframe (|lift| below one point).
    for (const f of ['Favicon', 'popUpWidnow', 'Iframe']) expect(by(f).direction).toBe('no signal');
    // The rare value carries the sign: the URL conditions are present in a minority of rows.
    for (const f of ['Shortining_Service', 'having_At_Symbol', 'double_slash_redirecting', 'HTTPS_token']) expect(by(f).values[0]!.share).toBeLessThan(0.2);
    expect(by('Redirect').direction).toBeNull();
    expect(by('Redirect').values.map((v) => v.value)).toEqual([0, 1]);
    expect(codingMarkdown(table)).toContain('| HTTPS_token | -1: 16.2%, 39.8% · 1: 83.8%, 45.2% | -5.4 pts | **opposite** |');
  });
});
