/**
 * "Check a URL" in Chromium against the real server (`networksecurity serve` on a home trained with
 * the quick preset): the page is the first one, a pasted URL of the 127.0.0.1 fixture site (allow-listed)
 * gives a verdict with the profile, the probability and every feature with its value or "not checked"
 * and its push; "the URL alone" uses the URL-only model. Screenshots go to test-results/browser/.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCsv, root, runCli, startCli, tempHome } from '../cli/cli-helpers.js';
import { startFixtureSite, type FixtureSite } from '../url-check/fixture-site.js';
import { buildUiIfStale, launchChromium } from './chromium.js';

const shots = join(root, 'test-results', 'browser');
const home = tempHome('ns-ui-url-');
let site: FixtureSite;
let server: ChildProcess;
let base: string;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  buildUiIfStale();
  site = await startFixtureSite();
  expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
  const train = await runCli(['train', '--preset', 'quick'], home);
  expect(train.code, train.stderr).toBe(0);
  // The text report lists every profile with its CV and test F1.
  for (const [name, n] of [['all', 30], ['url_page_fetch', 19], ['url', 7]] as const) {
    expect(train.stdout).toMatch(new RegExp(`^profile ${name}\\s+${n} features\\s+\\S+\\s+CV F1 0\\.\\d{4}\\s+test F1 \\(phishing\\) 0\\.\\d{4}$`, 'm'));
  }
  server = startCli(['serve', '--port', '0'], home, { NS_FETCH_ALLOW: '127.0.0.1/32', NS_FETCH_TIMEOUT_MS: '3000' });
  base = await new Promise<string>((resolve, reject) => {
    let err = '';
    server.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving on (http:\/\/[\d.:]+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    server.on('close', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  browser = await launchChromium({ width: 1440, height: 900 });
  page = browser.pages()[0] ?? await browser.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await site?.close();
});

describe('Check a URL', () => {
  it('is the first page and gives a verdict with its evidence for a fetched page', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Check a URL' }).waitFor();
    expect(await page.locator('nav a').first().textContent()).toContain('Check a URL');
    await page.getByLabel('URL', { exact: true }).fill(`${site.base}/phishy`);
    await page.getByRole('button', { name: 'Check URL' }).click();
    const verdict = page.getByTestId('url-verdict');
    await verdict.waitFor();
    await page.screenshot({ path: join(shots, 'url-1-fetched.png'), fullPage: true });
    expect(await verdict.locator('h2').textContent()).toBe('Likely phishing');
    expect(await page.getByTestId('profile').textContent()).toMatch(/URL \+ page \+ fetch model \(19 features\), test F1 0\.\d{3}/);
    expect(await page.getByTestId('probability').textContent()).toMatch(/\d+(\.\d+)?\s?%/);
    expect(await page.getByTestId('fetch-info').textContent()).toContain('after 0 redirect(s), no TLS');
    expect(await page.locator('tr[data-feature]').count()).toBe(30);
    expect(await page.locator('tr[data-feature="web_traffic"]').textContent()).toContain('not checked');
    expect(await page.locator('tr[data-feature="Submitting_to_email"] td').nth(3).textContent()).toMatch(/towards (phishing|legitimate)/);
    expect(await verdict.textContent()).toMatch(/URL only 0\.\d{3}/);
  }, 60_000);

  it('calls the plain page of the same site legitimate', async () => {
    await page.getByLabel('URL', { exact: true }).fill(`${site.base}/plain`);
    await page.getByRole('button', { name: 'Check URL' }).click();
    await page.getByTestId('fetch-info').filter({ hasText: '/plain' }).waitFor();
    expect(await page.getByTestId('url-verdict').locator('h2').textContent()).toBe('Likely legitimate');
    expect(await page.locator('tr[data-feature="URL_of_Anchor"]').textContent()).toContain('towards legitimate');
  }, 60_000);

  it('judges the URL alone with the URL-only model', async () => {
    await page.getByLabel('The URL alone (no network)').check();
    await page.getByLabel('URL', { exact: true }).fill('http://192.168.4.4/login');
    await page.getByRole('button', { name: 'Check URL' }).click();
    await page.getByText(/URL only model \(7 features\)/).waitFor();
    await page.screenshot({ path: join(shots, 'url-2-url-only.png'), fullPage: true });
    expect(await page.locator('tr[data-feature="Favicon"]').textContent()).toContain('not checked');
    expect(await page.getByTestId('fetch-info').count()).toBe(0);
  }, 60_000);

  it('shows a typed error for a data: URL', async () => {
    await page.getByLabel('URL', { exact: true }).fill('data:text/html,hi');
    await page.getByRole('button', { name: 'Check URL' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('URL_SCHEME');
  }, 60_000);
});
