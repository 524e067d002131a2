/**
 * Browser tests: Debian's Chromium driven by playwright-core against the real server (fake but
 * working dependencies, see serve-fake.ts). Checks a site, scores the bundled CSV and compares the
 * download with the model row for row, follows a training run live into the leaderboard, looks at
 * the data page, and promotes and rolls back a model. Screenshots go to test-results/browser/.
 * Set NS_BROWSER_BASE_URL (and NS_API_TOKEN) to run the same flows against an already running server.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRows } from '../../src/core/matrix.js';
import { fakeModel, featureNames } from '../../src/server/fake-deps.test-helpers.js';
import { answerTokenPrompt, buildUiIfStale, launchChromium, root } from './chromium.js';
import { startFakeServer } from './serve-fake.js';

const external = process.env.NS_BROWSER_BASE_URL;
const shots = join(root, 'test-results', process.env.NS_BROWSER_BASE_URL ? 'browser-live' : 'browser');

const token = external ? process.env.NS_API_TOKEN ?? '' : 'browser-test-token';

let app: FastifyInstance | undefined;
let browser: BrowserContext;
let page: Page;
let base: string;

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  if (!external) {
    buildUiIfStale();
    const started = await startFakeServer({ apiToken: token });
    app = started.app;
    base = started.url;
  } else base = external.replace(/\/$/, '');
  browser = await launchChromium({ width: 1440, height: 900 });
  page = browser.pages()[0] ?? await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('web UI', () => {
  it('checks a site and shows a verdict with the features that pushed it', async () => {
    await page.goto(`${base}/#/check`);
    await page.getByRole('heading', { name: 'Check by features' }).waitFor();
    await shot('1-check-form');
    await page.getByLabel('HTTPS certificate').selectOption('-1');
    await page.getByLabel('Links elsewhere or nowhere').selectOption('-1');
    await page.getByLabel('Dash in the domain').selectOption('-1');
    // Keyboard only: focus the submit button and press Enter.
    await page.getByRole('button', { name: 'Check', exact: true }).focus();
    await page.keyboard.press('Enter');
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    expect(await verdict.getByRole('heading', { level: 2 }).textContent()).toMatch(/Likely (phishing|legitimate)/);
    expect(await verdict.textContent()).toMatch(/Probability of phishing: \d+(\.\d)?%/);
    expect(await verdict.locator('.reasons li').count()).toBe(5);
    expect(await verdict.getByTestId('contribution-chart').locator('li').count()).toBe(10);
    await shot('2-check-verdict');
  });

  it('scores the bundled CSV; the download matches the model row for row', async () => {
    await page.goto(`${base}/#/batch`);
    await page.getByLabel('Choose a CSV file…').setInputFiles(join(root, 'data/phisingData.csv'));
    const summary = page.getByTestId('batch-summary');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.textContent()).toContain('11055 rows');
    await page.getByLabel('Show').selectOption('phishing');
    await page.getByRole('button', { name: 'phishing_probability' }).click();
    await shot('3-batch');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download scored CSV' }).click()]);
    const scored = readFileSync(await download.path(), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
    const input = readFileSync(join(root, 'data/phisingData.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
    expect(scored).toHaveLength(input.length);
    expect(scored[0]!.slice(-3)).toEqual(['prediction', 'phishing_probability', 'error']);
    // The same rows through the JSON endpoint must give the same labels and probabilities.
    const rows = input.slice(1).map((r) => Object.fromEntries(input[0]!.slice(0, featureNames.length).map((f, j) => [f, Number(r[j])])));
    const viaJson: { label: number; probPhishing: number }[] = [];
    for (let i = 0; i < rows.length; i += 1000) {
      const res = await fetch(`${base}/api/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows: rows.slice(i, i + 1000) }) });
      viaJson.push(...(await res.json() as { predictions: { label: number; probPhishing: number }[] }).predictions);
    }
    const expected = external ? undefined : fakeModel(1).predict(fromRows(input.slice(1).map((r) => r.slice(0, featureNames.length).map(Number))));
    // NS_BROWSER_EXPECTED_CSV: the output of `networksecurity predict` for the same file, to compare with.
    const cli = process.env.NS_BROWSER_EXPECTED_CSV ? readFileSync(process.env.NS_BROWSER_EXPECTED_CSV, 'utf8').trimEnd().split('\n').map((l) => l.split(',')) : undefined;
    const cliCol = cli?.[0]!.indexOf('prediction') ?? -1;
    scored.slice(1).forEach((r, i) => {
      expect(r.slice(0, -3)).toEqual(input[i + 1]);
      expect(Number(r.at(-3))).toBe(viaJson[i]!.label);
      expect(Number(r.at(-2))).toBeCloseTo(viaJson[i]!.probPhishing, 6);
      if (expected) expect(Number(r.at(-3))).toBe(expected.label[i]);
      if (cli) expect(Number(r.at(-3))).toBe(Number(cli[i + 1]![cliCol]));
    });
  });

  it('starts a run on the chosen preset, shows its stages live and lands on the leaderboard', async () => {
    await page.goto(`${base}/#/train`);
    await page.getByLabel('Preset').selectOption('quick');
    await page.getByRole('button', { name: 'Start a training run' }).click();
    await answerTokenPrompt(page, token);
    const stages = page.getByTestId('stages');
    await stages.locator('.stage.running, .stage.done').first().waitFor();
    await shot('4-train-live');
    await page.waitForURL(/#\/runs\/.+/, { timeout: 600_000 });
    const runId = decodeURIComponent(page.url().split('#/runs/')[1]!);
    await page.getByTestId('leaderboard').waitFor();
    expect(await page.getByTestId('runs-table').textContent()).toContain(runId);
    expect(await page.getByTestId('leaderboard').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('run-detail').textContent()).toContain('Preset quick');
    await page.getByTestId('run-detail').locator('canvas').first().waitFor();
    await shot('5-runs');
  }, 660_000);

  it('compares two runs', async () => {
    await page.goto(`${base}/#/train`);
    await page.getByRole('button', { name: 'Start a training run' }).click();
    await page.waitForURL(/#\/runs\/.+/, { timeout: 600_000 });
    const boxes = page.getByTestId('runs-table').getByRole('checkbox');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: /^Compare 2 runs$/ }).click();
    await page.waitForURL(/compare=/);
    await expect.poll(() => page.getByTestId('compare-table').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('compare-leaderboard').count()).toBe(2);
    await shot('6-runs-compare');
  }, 660_000);

  it('keeps notes on a run and on a version across reloads', async () => {
    const save = async (text: string): Promise<void> => {
      const note = page.getByTestId('note');
      await note.getByRole('textbox').fill(text);
      await note.getByRole('button', { name: 'Save note' }).click();
      await answerTokenPrompt(page, token, 2000);
      await expect.poll(() => note.getByRole('status').textContent()).toBe('Saved.');
    };
    const stamp = `note ${Date.now()}`;
    await page.goto(`${base}/#/runs`);
    await page.getByTestId('note').waitFor();
    await save(`run ${stamp}`);
    await page.goto(`${base}/#/models`);
    await page.getByLabel(/^Note on v\d+$/).waitFor();
    await save(`version ${stamp}`);
    await page.reload();
    await expect.poll(() => page.getByLabel(/^Note on v\d+$/).inputValue()).toBe(`version ${stamp}`);
    await page.goto(`${base}/#/runs`);
    await expect.poll(() => page.getByLabel('Note on this run').inputValue()).toBe(`run ${stamp}`);
  });

  it('shows validation, drift per feature and snapshots', async () => {
    await page.goto(`${base}/#/data`);
    await page.getByTestId('snapshots').waitFor();
    const drift = page.getByTestId('drift-table');
    await drift.waitFor();
    expect(await drift.locator('tbody tr').count()).toBe(30);
    await page.getByRole('heading', { name: /baseline vs current/ }).waitFor();
    await shot('7-data');
  });

  it('promotes an older version and rolls back, each after a confirmation', async () => {
    await page.goto(`${base}/#/models`);
    const champion = page.getByTestId('champion');
    await champion.waitFor();
    const before = await champion.textContent();
    await page.getByTestId('versions').waitFor();
    const promote = page.getByRole('button', { name: /^Promote v\d+…$/ });
    // The fake world always has an older version; a real registry after one accepted run may not.
    if (!external) expect(await promote.count()).toBeGreaterThan(0);
    if ((await promote.count()) === 0) return;
    const target = (await promote.first().getAttribute('aria-label'))!.match(/v(\d+)/)![1]!;
    await promote.first().click();
    await shot('8-models-confirm');
    await page.getByRole('dialog').getByRole('button', { name: 'Promote' }).click();
    await expect.poll(() => champion.textContent()).toBe(`v${target}`);
    expect(await page.getByTestId('models-notice').textContent()).toContain(`Version ${target} is now the champion`);
    await page.getByRole('button', { name: 'Roll back the champion…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
    await expect.poll(() => champion.textContent()).toBe(before);
    await shot('9-models');
  });
});
