/**
 * Issue 2's end-to-end contract on the embedded defaults: etl → train (default preset) → predict,
 * resume after a kill during the train stage, re-running a stage with --from, and a run whose data
 * fails validation leaving the champion untouched.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledCsv, killWhen, runCli, startCli, tempHome } from './cli-helpers.js';

interface TrainJson {
  runId: string; resumedFrom: string | null; champion: number | null; f1Phishing: number;
  candidates: { name: string; test: { f1Phishing: number; f1Legit: number; precision: number; recall: number; accuracy: number; rocAuc: number; confusion: number[][]; f1PhishingInterval: { low: number; high: number; level: number } } }[];
  gate: { accepted: boolean } | null; data: { rows: number; duplicates: { distinctVectors: number } };
}

describe('the whole pipeline on the bundled data', () => {
  const home = tempHome();

  it('etl loads 11,055 records; train --json trains every candidate and the champion F1 (phishing) is ≥ 0.95', async () => {
    const etl = await runCli(['etl', '--source', bundledCsv, '--json'], home);
    expect(etl.code).toBe(0);
    expect(JSON.parse(etl.stdout)).toMatchObject({ inserted: 11055, rejected: 0 });

    const train = await runCli(['train', '--json'], home);
    expect(train.code, train.stderr).toBe(0);
    const out = JSON.parse(train.stdout) as TrainJson;
    expect(out.data.rows).toBe(11055);
    expect(out.data.duplicates.distinctVectors).toBe(5785);
    expect(out.candidates.length).toBeGreaterThanOrEqual(3);
    for (const c of out.candidates) {
      for (const k of ['f1Phishing', 'f1Legit', 'precision', 'recall', 'accuracy', 'rocAuc'] as const) {
        expect(c.test[k]).toBeGreaterThanOrEqual(0);
        expect(c.test[k]).toBeLessThanOrEqual(1);
      }
      expect(c.test.rocAuc).toBeGreaterThan(0.9);
      expect(c.test.confusion.flat().reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
      // The group-bootstrap interval brackets the point estimate, and is not degenerate on ~1,150 test vectors.
      const ci = c.test.f1PhishingInterval;
      expect(ci.level).toBe(0.95);
      expect(ci.low).toBeLessThan(c.test.f1Phishing);
      expect(ci.high).toBeGreaterThan(c.test.f1Phishing);
      expect(ci.high - ci.low).toBeGreaterThan(0.005);
      expect(ci.high - ci.low).toBeLessThan(0.1);
    }
    expect(train.stderr).toMatch(/Gradient Boosting: CV F1 0\.\d{4}, test F1 0\.\d{4} \(95% interval 0\.\d{4}–0\.\d{4}\)/);
    expect(out.gate?.accepted).toBe(true);
    expect(out.champion).toBe(1);
    expect(out.f1Phishing).toBeGreaterThanOrEqual(0.95);
    expect(train.stderr).toMatch(/▶ ingest[\s\S]*✔ push/);
    // The expected time comes before the search; progress within each family, fold fit by fold fit.
    expect(train.stderr).toMatch(/plan: expected time of the search about \d+ (s|min \d+ s) on \d+ threads?[\s\S]*Random Forest: 1\/10 fold fits done[\s\S]*Random Forest: 10\/10 fold fits done/);
  }, 600_000);

  it('predict writes one prediction per input row', async () => {
    const output = join(home, 'scored.csv');
    const r = await runCli(['predict', '--input', bundledCsv, '--output', output, '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(11056);
    expect(lines.slice(1).every((l) => /,-?1,[01]\.\d{6},$/.test(l))).toBe(true);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 11055, predicted: 11055, rejected: 0, model: 1 });
  }, 120_000);

  it('runs lists the run with its status, F1 and the champion', async () => {
    const r = await runCli(['runs'], home);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/succeeded\s+push\s+.+0\.9\d{3}\s+v1 \(champion\)/);
  });

  it('a run whose data fails validation stops in validate and leaves the champion untouched', async () => {
    // Records written straight into the store (bypassing etl's checks) with values outside -1/0/1.
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(home, 'records.db'));
    const insert = db.prepare('INSERT INTO phishingdata (id, updated_at, seq, values_json) VALUES (?, ?, ?, ?)');
    const row = (Object.fromEntries(readFileSync(bundledCsv, 'utf8').split('\n')[0]!.split(',').map((n) => [n === 'port_no' ? 'port' : n, 7]))) as Record<string, number>;
    row['Result'] = 1;
    db.transaction(() => { for (let i = 0; i < 500; i++) insert.run(`bad-${i}`, Date.now() + 1000, i, JSON.stringify(row)); })();
    db.close();
    const r = await runCli(['train', '--json'], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/VALIDATION_FAILED.*500 of/);
    const runs = JSON.parse((await runCli(['runs', '--json'], home)).stdout) as { champion: { version: number } | null; runs: { status: string; lastStage: string | null }[] };
    expect(runs.champion?.version).toBe(1);
    expect(runs.runs[0]).toMatchObject({ status: 'failed', lastStage: 'ingest' });
  }, 300_000);
});

describe('resume', () => {
  it('a train killed during the train stage resumes from the last completed stage', async () => {
    const home = tempHome();
    expect((await runCli(['etl', '--source', bundledCsv], home)).code).toBe(0);
    await killWhen(startCli(['train', '--json', '--preset', 'quick'], home), '▶ train');
    const again = await runCli(['train', '--json', '--preset', 'quick'], home);
    expect(again.code, again.stderr).toBe(0);
    const out = JSON.parse(again.stdout) as TrainJson;
    expect(out.resumedFrom).toBe('train');
    expect(again.stderr).toMatch(/↷ ingest[\s\S]*↷ validate[\s\S]*↷ transform[\s\S]*▶ train/);
    expect(out.champion).toBe(1);

    const rerun = await runCli(['train', '--json', '--from', 'evaluate'], home);
    expect(rerun.code, rerun.stderr).toBe(0);
    const re = JSON.parse(rerun.stdout) as TrainJson;
    expect(re.runId).toBe(out.runId);
    expect(re.resumedFrom).toBe('evaluate');
  }, 600_000);
});
