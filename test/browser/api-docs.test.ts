/**
 * /api/docs in headless Chromium under the server's own Content-Security-Policy: Swagger UI renders the
 * generated document's operations, and "Try it out" sends a request that the server answers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer } from './serve-fake.js';

let app: FastifyInstance;
let base: string;
let browser: BrowserContext;

beforeAll(async () => {
  ({ app, url: base } = await startFakeServer());
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ns-chromium-')), {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('/api/docs', () => {
  it('Swagger UI lists the operations and "Try it out" calls the server', async () => {
    const page = browser.pages()[0] ?? await browser.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) blocked.push(m.text()); });
    await page.goto(`${base}/api/docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.getAttribute('data-path')));
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/predict', '/api/v1/models/{version}/promote', '/invocations', '/healthz']));
    expect(blocked).toEqual([]);

    const healthz = page.locator('#operations-operations-get_healthz');
    await healthz.locator('.opblock-summary-control').click();
    // "Try it out" is on from the start (tryItOutEnabled): the operation shows Execute at once.
    const answered = page.waitForResponse((r) => r.url() === `${base}/healthz`);
    await healthz.locator('button.execute').click();
    expect((await answered).status()).toBe(200);
    await expect.poll(() => healthz.locator('.live-responses-table .response .response-col_status').first().textContent()).toContain('200');
  }, 90_000);
});
