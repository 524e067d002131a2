/**
 * `serve` wires the HTTP security settings from the environment: NS_RATE_LIMIT_PER_MINUTE sets the
 * per-address limit of the scoring routes, NS_ALLOWED_HOSTS (and --host) the host names it answers to.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { freePort, startCli, tempHome, untilServing } from './cli-helpers.js';

function call(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    req.on('error', reject);
    req.end(body);
  });
}

describe('serve: security settings from the environment', () => {
  it('NS_RATE_LIMIT_PER_MINUTE=2 answers the third scoring call with 429; NS_ALLOWED_HOSTS names the accepted hosts', async () => {
    const home = tempHome();
    const port = await freePort();
    const child = startCli(['serve', '--port', String(port)], home, { NS_RATE_LIMIT_PER_MINUTE: '2', NS_ALLOWED_HOSTS: 'phish.test' });
    try {
      await untilServing(child);
      const infer = (): Promise<number> => call(port, 'POST', '/v2/models/networksecurity/infer', { 'content-type': 'application/json' }, '{"inputs":[]}');
      const first = [await infer(), await infer()];
      expect(first.every((s) => s !== 429)).toBe(true);
      expect(await infer()).toBe(429);
      expect(await call(port, 'GET', '/healthz', { host: `phish.test:${port}` })).toBe(200);
      expect(await call(port, 'GET', '/healthz', { host: `127.0.0.1:${port}` })).toBe(200);
      expect(await call(port, 'GET', '/healthz', { host: `rebind.evil.example:${port}` })).toBe(403);
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);

  it('a rate limit that is not a positive whole number stops serve with exit 2', async () => {
    const child = startCli(['serve', '--port', '0'], tempHome(), { NS_RATE_LIMIT_PER_MINUTE: '0' });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/NS_RATE_LIMIT_PER_MINUTE/);
  }, 60_000);
});
