/**
 * The UI at 1280 px (the width we design for first) in Chromium against the real server with fake
 * dependencies: the columns a user needs are visible — inside the viewport and their scroll container,
 * not merely in the DOM — on Runs, Compare, Data, Models and Check; the Runs page marks and pre-selects
 * the chosen (registered) model, which is not the one with the highest test F1. Screenshots go to
 * test-results/browser-1280/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeBundleBytes, fakeChosen, type FakeWorld } from '../../src/server/fake-deps.test-helpers.js';
import { answerTokenPrompt, buildUiIfStale, hiddenReason, launchChromium, root } from './chromium.js';
import { startFakeServer } from './serve-fake.js';

const shots = join(root, 'test-results', 'browser-1280');
let app: FastifyInstance;
let world: FakeWorld;
let base: string;
let browser: BrowserContext;
let page: Page;
const runIds: string[] = [];

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

/** Asserts every locator is fully visible, naming the first one that is not. */
async function expectVisible(...targets: Locator[]): Promise<void> {
  for (const t of targets) {
    await t.waitFor();
    expect({ element: String(t), hidden: await hiddenReason(t) }).toEqual({ element: String(t), hidden: null });
  }
}

const header = (table: Locator, name: string | RegExp): Locator => table.getByRole('columnheader', { name, exact: typeof name === 'string' });

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  buildUiIfStale();
  const started = await startFakeServer({ stageDelayMs: 1, apiToken: 'browser-test-token' });
  ({ app, world } = started);
  base = started.url;
  for (let i = 0; i < 3; i++) {
    const { runId } = await world.deps.startRun({});
    await world.finished(runId);
    runIds.push(runId);
  }
  browser = await launchChromium({ width: 1280, height: 800 });
  page = browser.pages()[0] ?? await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the UI at 1280 px', () => {
  it('Runs: marks and pre-selects the chosen model and says by which rule', async () => {
    await page.goto(`${base}/#/runs/${runIds[2]}`);
    const runs = page.getByTestId('runs-table');
    await runs.waitFor();
    for (const h of ['Run', 'Chosen model', 'Version', 'Gate']) await expectVisible(header(runs, h));
    await expectVisible(header(runs, /Test F1/), header(runs, /Started/));
    // Full run ids, so same-day runs are told apart.
    for (const id of runIds) await expectVisible(runs.getByText(id, { exact: true }));
    expect(await runs.locator('tbody tr').first().textContent()).toContain(fakeChosen);

    const chosen = page.getByTestId('chosen-model');
    await expectVisible(chosen);
    expect(await chosen.textContent()).toContain(`Chosen model: ${fakeChosen}`);
    // The chosen model's test F1 (0.957) with its bootstrap interval.
    expect(await chosen.textContent()).toContain('test F1 (phishing) 0.957 (95% interval 0.9419–0.9694)');
    expect(await chosen.textContent()).toMatch(/highest mean cross-validation F1/);
    const board = page.getByTestId('leaderboard');
    for (const h of ['Candidate', 'CV F1', 'Test F1', 'ROC AUC', 'Fit time']) await expectVisible(header(board, h));
    const first = board.locator('tbody tr').first();
    expect(await first.getAttribute('data-chosen')).toBe('true');
    expect(await first.getByRole('button').getAttribute('aria-pressed')).toBe('true');
    await expectVisible(first.getByText('chosen', { exact: true }));
    // The vote is chosen (CV F1) although Gradient Boosting has the higher test F1.
    expect(await first.locator('td').nth(3).textContent()).toBe('0.957');
    expect(await board.locator('tbody tr', { has: page.getByRole('button', { name: 'Gradient Boosting', exact: true }) }).locator('td').nth(3).textContent()).toBe('0.962');
    const params = page.getByTestId('hyperparameters');
    expect(await params.textContent()).toContain('members');
    await board.getByRole('button', { name: 'Gradient Boosting', exact: true }).click();
    await expect.poll(() => params.textContent()).toContain('learningRate');
    const profiles = page.getByTestId('profiles');
    await expectVisible(header(profiles, 'Test F1'));
    expect(await profiles.textContent()).toContain('url-only');
    await shot('runs');
  });

  it('Runs: a run that reused a version says so, and a rejected one names the challenger', async () => {
    const run = (await world.runs.get(runIds[0]!))!;
    const second = (await world.runs.get(runIds[1]!))!;
    const summary = run.summary as { registered: Record<string, unknown>; gate: Record<string, unknown> };
    await world.runs.update(runIds[0]!, { summary: { ...summary, registered: { ...summary.registered, reused: true } } });
    await world.runs.update(runIds[1]!, { summary: { ...summary, registered: { ...summary.registered, version: 3, promoted: false, challenger: true }, gate: { accepted: false, reason: 'a tie keeps the champion' } } });
    await page.goto(`${base}/#/runs/${runIds[0]}`);
    await expect.poll(() => page.getByTestId('chosen-model').textContent()).toContain('(reused: same snapshot, settings and seed)');
    await page.goto(`${base}/#/runs/${runIds[1]}`);
    await expect.poll(() => page.getByTestId('chosen-model').textContent()).toContain('Registered as v3, the challenger.');
    expect(await page.getByTestId('chosen-model').textContent()).toContain('Gate: rejected — a tie keeps the champion.');
    expect(await page.getByTestId('runs-table').locator('tr', { hasText: runIds[1]! }).textContent()).toContain('v3 challenger');
    await world.runs.update(runIds[0]!, { summary: run.summary });
    await world.runs.update(runIds[1]!, { summary: second.summary });
  });

  it('Runs: filters and sorts, compares three runs with every metric column in view', async () => {
    await page.goto(`${base}/#/runs`);
    const runs = page.getByTestId('runs-table');
    await runs.waitFor();
    await page.getByRole('searchbox').fill(runIds[0]!);
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(1);
    await page.getByRole('searchbox').fill('');
    await runs.getByRole('button', { name: /Started/ }).click();
    await expect.poll(() => runs.locator('tbody tr').first().textContent()).toContain(runIds[0]!);
    for (const id of runIds) await runs.getByRole('checkbox', { name: `Compare ${id}` }).check();
    await page.getByRole('button', { name: 'Compare 3 runs' }).click();
    await shot('runs-compare');
    const table = page.getByTestId('compare-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    for (const h of ['Run', 'Chosen model', 'Test F1', 'CV F1', 'Precision', 'Recall', 'ROC AUC', 'Accuracy', 'Version']) await expectVisible(header(table, h));
    expect(await page.getByTestId('compare-leaderboard').count()).toBe(3);
    await shot('runs-compare');
  });

  it('Data: PSI and Drifted are in view', async () => {
    await page.goto(`${base}/#/data`);
    const drift = page.getByTestId('drift-table');
    await drift.waitFor();
    await expectVisible(header(drift, 'PSI'), header(drift, 'Drifted'), drift.locator('tbody tr').first().locator('td').last());
    await shot('data');
  });

  it('Check: no clipped label or option text; the contribution chart says what a bar means', async () => {
    await page.goto(`${base}/#/check`);
    await page.getByRole('heading', { name: 'Check by features' }).waitFor();
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    await shot('check');
    const clipped = await page.evaluate(() => {
      const out: string[] = [];
      const measure = document.createElement('span');
      measure.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
      document.body.append(measure);
      for (const label of document.querySelectorAll<HTMLElement>('.field label')) if (label.scrollWidth > label.clientWidth + 1) out.push(`label ${label.textContent}`);
      for (const select of document.querySelectorAll('select')) {
        const cs = getComputedStyle(select);
        measure.style.font = cs.font;
        // Room for text: the box minus padding and the drop-down arrow (about 20 px in Chromium).
        const room = select.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
        for (const o of select.options) {
          measure.textContent = o.text;
          if (measure.getBoundingClientRect().width > room) out.push(`${select.id}: ${o.text}`);
        }
      }
      measure.remove();
      return out;
    });
    expect(clipped).toEqual([]);
    const caption = verdict.getByTestId('contribution-caption');
    await expectVisible(caption);
    expect(await caption.textContent()).toMatch(/log-odds of phishing/);
    const chart = verdict.getByTestId('contribution-chart');
    expect(await chart.locator('li').count()).toBe(10);
    for (const label of await chart.locator('.push-name').all()) await expectVisible(label);
    expect(await chart.locator('figcaption').textContent()).toBe('push towards phishing, in log-odds of phishing');
    await verdict.screenshot({ path: join(shots, 'check-verdict.png') });
  });

  it('Models: Promote and whole run ids are in view; a version downloads with the token', async () => {
    await page.goto(`${base}/#/models`);
    const versions = page.getByTestId('versions');
    await versions.waitFor();
    await expectVisible(page.getByRole('button', { name: /^Promote v\d+…$/ }).first());
    for (const h of ['Version', 'Kind', 'Created', 'Run', 'Lineage']) await expectVisible(header(versions, h));
    for (const id of runIds) await expectVisible(versions.getByText(id, { exact: true }));
    await shot('models');
    // Download asks for the token (a plain link could not send it), then saves the bundle bytes.
    const [download] = await Promise.all([page.waitForEvent('download'), (async () => {
      await page.getByRole('button', { name: 'Download v1' }).click();
      await answerTokenPrompt(page, 'browser-test-token');
    })()]);
    expect(download.suggestedFilename()).toBe('networksecurity-model-v1.nsm');
    expect(readFileSync(await download.path()).equals(Buffer.from(fakeBundleBytes('models/1.nsmb')))).toBe(true);
  });

});
