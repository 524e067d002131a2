/**
 * The browser flows of ui.test.ts against the fully wired product: `networksecurity up` on a fresh
 * NS_HOME (bundled data, real pipeline, real registry), with training from the UI on the quick plan.
 * The batch download is compared row for row with `networksecurity predict` on the same file.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { bundledCsv, runCli, startCli, tempHome } from '../cli/cli-helpers.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const home = tempHome('ns-live-');
const port = await freePort();
const token = 'live-browser-token';
const server = startCli(['up', '--port', String(port)], home, { NS_API_TOKEN: token, NS_TRAIN_PRESET: 'quick' });
let log = '';
await new Promise<void>((resolve, reject) => {
  server.stderr!.on('data', (d: Buffer) => {
    log += d.toString();
    if (log.includes('is serving on')) resolve();
  });
  server.on('close', (code) => reject(new Error(`up exited with ${code}: ${log}`)));
});
const expected = join(home, 'expected.csv');
const predicted = await runCli(['predict', '--input', bundledCsv, '--output', expected], home);
expect(predicted.code, predicted.stderr).toBe(0);

process.env['NS_BROWSER_BASE_URL'] = `http://127.0.0.1:${port}`;
process.env['NS_API_TOKEN'] = token;
process.env['NS_BROWSER_EXPECTED_CSV'] = expected;
await import('./ui.test.js');

afterAll(async () => {
  server.kill('SIGTERM');
  await new Promise((r) => server.on('close', r));
});
