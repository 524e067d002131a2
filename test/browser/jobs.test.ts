/**
 * The Jobs page in Chromium against the real product: `serve` and a `worker` on the real Redis
 * (REDIS_TEST_URL, a key prefix of this test's own), one ETL load that completes and one batch-scoring
 * job with bad input that fails. The page shows each queue with its counts, the completed load, and
 * the failed job with its reason. Screenshot in test-results/browser/jobs.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultJobOptions } from '../../src/adapters/bullmq/index.js';
import { bundledCsv, root, tempHome } from '../cli/cli-helpers.js';
import { queueEnv, rawQueue, serveCli, spawnCli, type Proc } from '../queue/helpers.js';

const home = tempHome('ns-jobs-ui-');
const env = queueEnv();
const procs: Proc[] = [];
const shots = join(root, 'test-results', 'browser');
let browser: BrowserContext;
let page: Page;
let base: string;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  execFileSync('npx', ['vite', 'build', '--config', 'src/ui/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'ignore' });
  const worker = spawnCli(['worker', '--port', '0', '--queues', 'etl,predict'], home, env);
  procs.push(worker);
  await worker.waitFor(/health and metrics on/, 60_000);
  base = await serveCli(home, env, procs);
  const etl = rawQueue('etl', env);
  const predict = rawQueue('predict', env);
  await etl.add('etl', { source: bundledCsv, mode: 'append', strict: false }, { ...defaultJobOptions, jobId: 'load-1' });
  await predict.add('predict', { batch: 'not hex' }, { ...defaultJobOptions, jobId: 'bad-shard' });
  await worker.waitFor(/job etl load-1 completed/, 120_000);
  await worker.waitFor(/job predict bad-shard failed/, 60_000);
  await Promise.all([etl.close(), predict.close()]);
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ns-chromium-')), {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  page = browser.pages()[0] ?? await browser.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const name of ['etl', 'predict']) {
    const q = rawQueue(name, env);
    await q.obliterate({ force: true });
    await q.close();
  }
});

describe('Jobs page', () => {
  it('shows each queue with its counts, a completed load and a failed job with its reason', async () => {
    await page.goto(`${base}/#/jobs`);
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Jobs' }).waitFor();
    expect(await page.getByTestId('jobs-backend').textContent()).toMatch(/^BullMQ on redis:/);
    await page.getByTestId('job-etl-load-1').waitFor();
    expect(await page.getByTestId('count-etl-completed').textContent()).toBe('completed 1');
    expect(await page.getByTestId('job-etl-load-1').textContent()).toMatch(/load-1\s*completed/);
    expect(await page.getByTestId('count-predict-failed').textContent()).toBe('failed 1');
    const failed = page.getByTestId('job-predict-bad-shard');
    expect(await failed.textContent()).toMatch(/failed.*JOB_INPUT_INVALID: A predict job needs a batch id/);
    expect(await page.getByTestId('count-train-waiting').textContent()).toBe('waiting 0');
    await page.screenshot({ path: join(shots, 'jobs.png'), fullPage: true });
  }, 60_000);
});
