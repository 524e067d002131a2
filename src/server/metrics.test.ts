/**
 * /metrics scraped over HTTP from a listening server and parsed as Prometheus text (issue 17):
 * prom-client's default process / heap / event-loop / GC families next to ours, with the values the
 * requests made.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from './app.js';
import { fakeWorld, featureNames } from './fake-deps.test-helpers.js';
import { parsePrometheusText } from './prometheus-text.test-helpers.js';

let app: FastifyInstance;
let base: string;
const row = (v: number): Record<string, number> => Object.fromEntries(featureNames.map((f) => [f, v]));

beforeAll(async () => {
  app = await buildServer(fakeWorld().deps);
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => { await app.close(); });

describe('GET /metrics', () => {
  it('parses as Prometheus text with the default process metrics and ours', async () => {
    await fetch(`${base}/api/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows: [row(1), row(-1), row(-1)] }) });
    await fetch(`${base}/healthz`);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parsePrometheusText(await res.text());

    for (const [name, type] of [
      ['process_cpu_user_seconds_total', 'counter'], ['process_resident_memory_bytes', 'gauge'], ['nodejs_heap_size_used_bytes', 'gauge'],
      ['nodejs_eventloop_lag_seconds', 'gauge'], ['nodejs_eventloop_lag_p99_seconds', 'gauge'], ['nodejs_gc_duration_seconds', 'histogram'],
      ['ns_http_requests_total', 'counter'], ['ns_http_request_duration_seconds', 'histogram'], ['ns_predictions_total', 'counter'],
      ['ns_model_loaded', 'gauge'], ['ns_model_version', 'gauge'],
    ] as const) expect(families.get(name)?.type, name).toBe(type);
    expect(families.get('process_resident_memory_bytes')!.samples[0]!.value).toBeGreaterThan(1e6);

    const requests = families.get('ns_http_requests_total')!.samples;
    expect(requests).toContainEqual({ name: 'ns_http_requests_total', labels: { method: 'POST', route: '/api/v1/predict', status: '200' }, value: 1 });
    expect(requests).toContainEqual({ name: 'ns_http_requests_total', labels: { method: 'GET', route: '/healthz', status: '200' }, value: 1 });
    const latency = families.get('ns_http_request_duration_seconds')!.samples.filter((s) => s.labels.route === '/api/v1/predict');
    expect(latency.find((s) => s.name.endsWith('_count'))?.value).toBe(1);
    expect(latency.find((s) => s.labels.le === '+Inf')?.value).toBe(1);
    expect(families.get('ns_predictions_total')!.samples.map((s) => [s.labels.class, s.value])).toEqual(expect.arrayContaining([['phishing', 2], ['legitimate', 1]]));
    expect(families.get('ns_model_version')!.samples[0]!.value).toBe(1);
    // One batch so far, of one request.
    const batches = families.get('ns_scoring_batch_requests')!;
    expect(batches.type).toBe('histogram');
    expect(batches.samples.find((s) => s.name.endsWith('_count'))?.value).toBe(1);
    expect(batches.samples.find((s) => s.name.endsWith('_sum'))?.value).toBe(1);
    expect(families.get('ns_model_loaded')!.samples[0]!.value).toBe(1);
  });
});

describe('ns_scoring_batch_requests', () => {
  it('counts requests that arrived together as one batch', async () => {
    const scrape = async (): Promise<{ count: number; sum: number }> => {
      const samples = parsePrometheusText(await (await fetch(`${base}/metrics`)).text()).get('ns_scoring_batch_requests')!.samples;
      return { count: samples.find((s) => s.name.endsWith('_count'))!.value, sum: samples.find((s) => s.name.endsWith('_sum'))!.value };
    };
    const before = await scrape();
    const sent = await Promise.all([1, -1, 1, -1].map((v) => app.inject({ method: 'POST', url: '/api/v1/predict', payload: { row: row(v) } })));
    expect(sent.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const after = await scrape();
    expect(after.sum - before.sum).toBe(4);
    expect(after.count - before.count).toBeLessThan(4);
  });
});

describe('parsePrometheusText (the test reader itself)', () => {
  it('rejects what the format forbids', () => {
    expect(() => parsePrometheusText('x 1\n')).toThrow(/undeclared/);
    expect(() => parsePrometheusText('# TYPE x counter\nx{a="1" 1\n')).toThrow(/not a sample|bad labels/);
    expect(() => parsePrometheusText('# TYPE x counter\nx one\n')).toThrow(/bad value/);
    expect(() => parsePrometheusText('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n')).toThrow(/cumulative/);
    expect(() => parsePrometheusText('# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n')).toThrow(/differs from count/);
    expect(parsePrometheusText('# HELP x a "quoted"\n# TYPE x gauge\nx{p="a\\"b\\\\c\\nd"} 1.5e3\n').get('x')).toEqual({ name: 'x', type: 'gauge', help: 'a "quoted"', samples: [{ name: 'x', labels: { p: 'a"b\\c\nd' }, value: 1500 }] });
  });
});
