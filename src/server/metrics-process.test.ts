/**
 * prom-client's default metrics start an event-loop monitor and a GC observer that nothing can stop:
 * building and closing many servers in one process starts them once, not once per server.
 */
import type * as PromClient from 'prom-client';
import { describe, expect, it, vi } from 'vitest';

const started = vi.hoisted(() => ({ count: 0 }));
vi.mock('prom-client', async (importOriginal) => {
  const real = await importOriginal<typeof PromClient>();
  return { ...real, collectDefaultMetrics: (...args: Parameters<typeof real.collectDefaultMetrics>) => { started.count++; real.collectDefaultMetrics(...args); } };
});

const { buildServer } = await import('./app.js');
const { fakeWorld } = await import('./fake-deps.test-helpers.js');

describe('default metrics across servers', () => {
  it('five servers built and closed start the default collectors once, and each still reports them', async () => {
    for (let i = 0; i < 5; i++) {
      const app = await buildServer(fakeWorld().deps);
      const text = (await app.inject({ url: '/metrics' })).body;
      expect(text).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
      expect(text).toContain('# TYPE ns_http_requests_total counter');
      await app.close();
    }
    expect(started.count).toBe(1);
  });
});
