/**
 * The README's main job: `up` on a fresh NS_HOME loads the bundled data, trains a champion and serves
 * the API; POST /api/v1/predict then answers with a verdict from that champion.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bundledCsv, startCli, tempHome } from './cli-helpers.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('networksecurity up', () => {
  it('loads, trains, serves; predict answers with the champion', async () => {
    const home = tempHome();
    const port = await freePort();
    const child = startCli(['up', '--port', String(port)], home, { NS_API_TOKEN: 'test-token-123' });
    let stderr = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr!.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('is serving on')) resolve();
        });
        child.on('close', (code) => reject(new Error(`up exited with ${code}: ${stderr}`)));
      });
      expect(stderr).toMatch(/loaded the bundled data set: 11055 records/);
      expect(stderr).toMatch(/model v1/);
      const [header, first] = readFileSync(bundledCsv, 'utf8').split('\n');
      const names = header!.split(',');
      const values = first!.split(',').map(Number);
      const row = Object.fromEntries(names.slice(0, 30).map((n, i) => [n, values[i]]));
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ row }) });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { modelVersion: number; predictions: { label: number; probPhishing: number }[] };
      expect(body.modelVersion).toBe(1);
      expect([-1, 1]).toContain(body.predictions[0]!.label);
      expect(body.predictions[0]!.probPhishing).toBeGreaterThanOrEqual(0);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('close', r));
    }
  }, 600_000);
});
