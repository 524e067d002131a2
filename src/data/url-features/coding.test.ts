import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRows } from '../../core/matrix.js';
import { readRecordsCsv } from '../records.js';
import { parseSchema } from '../schema.js';
import { chunked } from '../test-support.test-helpers.js';
import { codingMarkdown, codingTable, type CodingRow } from './coding.js';
import { extractFeatures } from './extract.js';
import { parseTarget } from './target.js';

const schema = parseSchema(readFileSync(new URL('../../../config/schema.yaml', import.meta.url), 'utf8'));

const bundled = async (): Promise<CodingRow[]> => {
  const read = await readRecordsCsv(chunked(readFileSync(new URL('../../../data/phisingData.csv', import.meta.url))), schema, { requireTarget: true });
  return codingTable({ columns: schema.features, X: read.X, y: read.y! });
};

describe('codingTable', () => {
  it('counts rows and phishing rate per value', () => {
    const rows = codingTable({ columns: ['a'], X: fromRows([[-1], [-1], [1], [1]]), y: Float64Array.from([-1, -1, -1, 1]) });
    expect(rows[0]).toEqual({ feature: 'a', lift: 0.5, direction: 'paper', values: [{ value: -1, rows: 2, share: 0.5, phishingRate: 1 }, { value: 1, rows: 2, share: 0.5, phishingRate: 0.5 }] });
  });

  it('on the bundled data, finds the features that run opposite to the paper (FEATURES.md caution)', async () => {
    const table = await bundled();
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

  it('Prefix_Suffix cannot be reproduced: its "no dash" value is rare and held by legitimate rows only', async () => {
    const ps = (await bundled()).find((r) => r.feature === 'Prefix_Suffix')!;
    expect(ps.values.map((v) => v.value)).toEqual([-1, 1]);
    expect(ps.values[1]!.share).toBeLessThan(0.15);
    expect(ps.values[1]!.phishingRate).toBe(0);
  });

  it('every value the extractors give an ordinary site is held by both classes in the data', async () => {
    const table = await bundled();
    const plain = '<html><head><link rel="icon" href="/favicon.ico"><script src="/app.js"></script></head><body><img src="/a.png"><a href="/about">about</a><form action="/search"></form></body></html>';
    const now = new Date('2026-01-01T00:00:00Z');
    const sites = ['https://www.example.com/account', 'http://127.0.0.1:8080/login', 'https://shop.example.co.uk/a/b', 'http://mail.example.org/'];
    for (const site of sites) {
      const target = parseTarget(site);
      for (const tls of [null, { trusted: true, validFrom: new Date('2020-01-01T00:00:00Z') }]) {
        const { values } = extractFeatures({ target, page: { html: plain, url: target.url }, fetch: { finalUrl: target.url, redirects: 0, tls }, now });
        expect(Object.keys(values)).toHaveLength(19);
        for (const [feature, value] of Object.entries(values)) {
          const rate = table.find((r) => r.feature === feature)!.values.find((v) => v.value === value)!.phishingRate;
          // A value only one class holds would decide the verdict by itself for nearly every address.
          expect(rate, `${site} ${feature}=${value}`).toBeGreaterThan(0.02);
          expect(rate, `${site} ${feature}=${value}`).toBeLessThan(0.98);
        }
      }
    }
  });
});
