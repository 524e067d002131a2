/**
 * The URL check end to end on the embedded defaults: a quick training run trains the three profile
 * models and reports their F1; `check` answers with the profile that matches what was computed —
 * URL only without fetching, URL + page + fetch from the 127.0.0.1 fixture site (allow-listed), and
 * URL only again when the fetch is refused because the address is private.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/pipeline/analyze.js';
import type { RunProfileSummary } from '../../src/pipeline/summary.js';
import type { ChildProcess } from 'node:child_process';
import { bundledCsv, runCli, startCli, tempHome } from '../cli/cli-helpers.js';
import { PHISHY_PAGE, startFixtureSite, type FixtureSite } from './fixture-site.js';

const home = tempHome('ns-check-');
let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite();
});
afterAll(async () => site?.close());

const allow = { NS_FETCH_ALLOW: '127.0.0.1/32', NS_FETCH_TIMEOUT_MS: '3000' };
type TrainJson = { runId: string; profiles: { name: string; features: string[]; cv: { f1: number }; test: { f1Phishing: number } }[] };
let trained: TrainJson;
/** What the run summary must say about each profile, from what `train --json` reported. */
const expectedProfiles = (t: TrainJson) => t.profiles.map((p) => ({
  name: p.name, features: p.features.length, kind: expect.any(String) as unknown, cvF1: p.cv.f1, testF1: p.test.f1Phishing, testVectorsSeenInTraining: expect.any(Number) as unknown,
}));
const value = (a: Analysis, f: string) => a.features.find((x) => x.name === f)!.value;

describe('check <url>', () => {
  it('train reports each profile\'s cross-validated and test F1', async () => {
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    const r = await runCli(['train', '--preset', 'quick', '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { runId: string; profiles: { name: string; features: string[]; cv: { f1: number }; test: { f1Phishing: number } }[] };
    trained = out;
    expect(out.profiles.map((p) => [p.name, p.features.length])).toEqual([['all', 30], ['url_page_fetch', 19], ['url', 7]]);
    for (const p of out.profiles) {
      expect(p.test.f1Phishing).toBeGreaterThan(0.5);
      expect(p.test.f1Phishing).toBeLessThanOrEqual(1);
    }
    // Fewer features, less to go on: the URL-only model is clearly weaker than the full one.
    expect(out.profiles[2]!.test.f1Phishing).toBeLessThan(out.profiles[0]!.test.f1Phishing - 0.1);
    // The run summary carries them too (runs --json here; GET /api/v1/runs/:id below).
    const runs = JSON.parse((await runCli(['runs', '--json'], home)).stdout) as { runs: { id: string; summary: { profiles: RunProfileSummary[] } }[] };
    expect(runs.runs.find((x) => x.id === out.runId)!.summary.profiles).toEqual(expectedProfiles(out));
  }, 300_000);

  it('--no-fetch analyses the URL alone with the URL-only model', async () => {
    const r = await runCli(['check', 'http://192.168.0.1/paypal.com@login', '--no-fetch', '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout) as Analysis;
    expect(a.profile.name).toBe('url');
    expect(a.fetch).toBeNull();
    expect(value(a, 'having_IP_Address')).toBe(-1);
    expect(value(a, 'having_At_Symbol')).toBe(-1);
    expect(value(a, 'Favicon')).toBeNull();
    expect(value(a, 'web_traffic')).toBeNull();
    expect(a.features.filter((f) => f.used).map((f) => f.group)).toEqual(Array(7).fill('url'));
    expect(a.phishingProbability).toBeGreaterThanOrEqual(0);
    expect(a.phishingProbability).toBeLessThanOrEqual(1);
    expect(a.prediction).toBe(a.label === -1 ? 'phishing' : 'legitimate');
  }, 60_000);

  it('fetches the fixture site, reads the page and the redirects, and uses the URL + page + fetch model', async () => {
    const r = await runCli(['check', `${site.base}/phishy`, '--json'], home, allow);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout) as Analysis;
    expect(a.profile.name).toBe('url_page_fetch');
    expect(a.fetch).toMatchObject({ status: 200, redirects: 0, tls: null });
    expect(Object.fromEntries(a.features.filter((f) => f.group === 'page').map((f) => [f.name, f.value]))).toEqual({
      Favicon: -1, Request_URL: -1, URL_of_Anchor: -1, Links_in_tags: -1, SFH: -1, Submitting_to_email: -1, on_mouseover: -1, RightClick: -1, popUpWidnow: -1, Iframe: -1,
    });
    expect(value(a, 'SSLfinal_State')).toBe(-1);
    // No providers are configured: the ten WHOIS/DNS/rank/index/blocklist features are not checked, not imputed.
    const external = a.features.filter((f) => f.group === 'external');
    expect(external).toHaveLength(10);
    expect(external.every((f) => f.value === null && !f.used && f.push === null)).toBe(true);
    expect(a.features.filter((f) => f.used)).toHaveLength(19);
    expect(a.features.filter((f) => f.used).every((f) => typeof f.push === 'number')).toBe(true);
    // Prefix_Suffix is never computed: its "no dash" value means "certainly legitimate" in the data.
    expect(a.features.find((f) => f.name === 'Prefix_Suffix')).toMatchObject({ group: 'url', value: null, used: false });
    // The crafted page is judged phishing and the plain page of the same site legitimate, by the same model.
    expect(a).toMatchObject({ prediction: 'phishing', label: -1 });
    expect(a.phishingProbability).toBeGreaterThan(0.5);
    const plain = JSON.parse((await runCli(['check', `${site.base}/plain`, '--json'], home, allow)).stdout) as Analysis;
    expect(plain.profile.name).toBe('url_page_fetch');
    expect(plain).toMatchObject({ prediction: 'legitimate', label: 1 });
    expect(plain.phishingProbability).toBeLessThan(0.5);
  }, 60_000);

  it('counts redirects and reads an untrusted certificate', async () => {
    const chain = JSON.parse((await runCli(['check', `${site.base}/chain/3`, '--json'], home, allow)).stdout) as Analysis;
    expect(chain.fetch).toMatchObject({ redirects: 3 });
    expect(value(chain, 'Redirect')).toBe(1);
    const tls = JSON.parse((await runCli(['check', `${site.tlsBase}/plain`, '--json'], home, allow)).stdout) as Analysis;
    expect(value(tls, 'SSLfinal_State')).toBe(0);
  }, 60_000);

  it('refuses to fetch a private address and falls back to the URL-only model, saying why', async () => {
    const r = await runCli(['check', `${site.base}/phishy`, '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout) as Analysis;
    expect(a.fetch).toMatchObject({ error: { code: 'FETCH_BLOCKED' } });
    expect(a.profile.name).toBe('url');
    expect(site.seen.filter((s) => s.path === '/phishy')).toHaveLength(1);
  }, 60_000);

  it('--html reads a saved page without fetching; page features are shown but the verdict is URL-only', async () => {
    const file = join(home, 'page.html');
    writeFileSync(file, PHISHY_PAGE);
    const r = await runCli(['check', 'https://login.example.com/', '--html', file], home);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/profile url \(7 features, test F1 0\.\d{3}\)/);
    expect(r.stdout).toMatch(/URL_of_Anchor\s+page\s+-1\s+\(not used by this profile\)/);
    expect(r.stdout).toMatch(/web_traffic\s+external not checked/);
  }, 60_000);

  it('refuses a data: URL with exit code 2 and one line', async () => {
    const r = await runCli(['check', 'data:text/html,<h1>hi</h1>', '--no-fetch'], home);
    expect(r.code).toBe(2);
    // One line for the error, after the start lines naming the state and the stores.
    const lines = r.stderr.trim().split('\n').filter((l) => !/^(state|stores): /.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^URL_SCHEME: /);
  }, 60_000);
});

describe('predict --urls', () => {
  it('checks one URL a line into url, prediction, phishing_probability, profile, error; bad lines get an error and exit 3', async () => {
    const list = join(home, 'urls.txt');
    writeFileSync(list, `# a comment\nhttps://www.example.com/\n\n=cmd|' /C calc'!A0\n${site.base}/phishy\njavascript:alert(1)\n`);
    const out = join(home, 'urls-scored.csv');
    const r = await runCli(['predict', '--urls', list, '--output', out, '--json'], home, allow);
    expect(r.code, r.stderr).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ urls: 4, analysed: 2, failed: 2, model: 1 });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('url,prediction,phishing_probability,profile,error');
    // No internet here: the fetch fails, the verdict is URL-only and the row still has no error.
    expect(lines[1]).toMatch(/^https:\/\/www\.example\.com\/,-?1,[01]\.\d{6},(url_page_fetch|url),$/);
    // A formula-like cell is neutralised with a leading apostrophe.
    expect(lines[2]).toMatch(/^'=cmd\|' \/C calc'!A0,,,,"URL_INVALID: /);
    expect(lines[3]).toMatch(/\/phishy,-1,[01]\.\d{6},url_page_fetch,$/);
    expect(lines[4]).toMatch(/^javascript:alert\(1\),,,,"URL_SCHEME: /);
    expect(readdirSync(home).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 120_000);

  it('--no-fetch makes every verdict URL-only and touches no network', async () => {
    const list = join(home, 'urls2.txt');
    writeFileSync(list, `${site.base}/plain\nhttp://bit.ly/x\n`);
    const before = site.seen.length;
    const out = join(home, 'urls2.csv');
    const r = await runCli(['predict', '--urls', list, '--output', out, '--no-fetch'], home, allow);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n').slice(1).every((l) => l.endsWith(',url,'))).toBe(true);
    expect(site.seen.length).toBe(before);
    expect(existsSync(out)).toBe(true);
  }, 60_000);
});

/** `serve --port 0` on the trained home; resolves with its base URL once it listens. */
function serve(extra: Record<string, string>): Promise<{ base: string; child: ChildProcess }> {
  const child = startCli(['serve', '--port', '0'], home, extra);
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving on (http:\/\/[\d.:]+)/.exec(err);
      if (m) resolve({ base: m[1]!, child });
    });
    child.on('close', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

describe('POST /api/v1/analyze on the real server', () => {
  let srv: { base: string; child: ChildProcess };
  beforeAll(async () => {
    srv = await serve(allow);
  }, 60_000);
  afterAll(() => {
    srv?.child.kill('SIGTERM');
  });
  const post = (body: unknown) => fetch(`${srv.base}/api/v1/analyze`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  async function analysis(body: unknown): Promise<Analysis> {
    const r = await post(body);
    const text = await r.text();
    expect(r.status, text).toBe(200);
    return JSON.parse(text) as Analysis;
  }

  it('answers a URL-only check, a fetched check and a check of given HTML with the matching profile', async () => {
    const urlOnly = await analysis({ url: 'https://secure-login.example.com/', fetch: false });
    expect(urlOnly.profile.name).toBe('url');
    expect(urlOnly.profile.testF1).toBeGreaterThan(0.5);
    const fetched = await analysis({ url: `${site.base}/phishy` });
    expect(fetched.profile.name).toBe('url_page_fetch');
    expect(value(fetched, 'Submitting_to_email')).toBe(-1);
    const given = await analysis({ url: 'https://shop.example.com/', html: '<form action="mailto:a@b.test"></form>' });
    expect(value(given, 'Submitting_to_email')).toBe(-1);
    expect(given.fetch).toBeNull();
  }, 60_000);

  it('serves each profile\'s test F1 in the run\'s JSON (summary.profiles)', async () => {
    const r = await fetch(`${srv.base}/api/v1/runs/${trained.runId}`);
    expect(r.status).toBe(200);
    const run = (await r.json()) as { summary: { profiles: RunProfileSummary[] } };
    expect(run.summary.profiles).toEqual(expectedProfiles(trained));
    expect(run.summary.profiles.map((p) => [p.name, p.features])).toEqual([['all', 30], ['url_page_fetch', 19], ['url', 7]]);
  }, 60_000);

  it('reports a refused fetch in the answer (SSRF: metadata address) and answers with the URL-only model', async () => {
    const r = await post({ url: 'http://169.254.169.254/latest/meta-data/' });
    expect(r.status).toBe(200);
    const a = (await r.json()) as Analysis;
    expect(a.fetch).toMatchObject({ error: { code: 'FETCH_BLOCKED' } });
    expect(a.profile.name).toBe('url');
  }, 60_000);

  it('answers 400 with a code for bad bodies and schemes', async () => {
    for (const [body, code] of [[{}, 'BAD_REQUEST'], [{ url: 1 }, 'BAD_REQUEST'], [{ url: 'http://a.test', fetch: 'no' }, 'BAD_REQUEST'], [{ url: 'javascript:alert(1)' }, 'URL_SCHEME']] as const) {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  }, 60_000);

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${srv.base}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(doc.paths['/api/v1/analyze']).toBeDefined();
  });
});
