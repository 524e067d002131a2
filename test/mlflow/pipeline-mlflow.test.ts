/**
 * The real pipeline with MLFLOW_TRACKING_URI set: `networksecurity train` creates one parent run per
 * pipeline run with a child run per candidate (fold metrics as steps), the reports and the model bundle
 * as artifacts, and registers the pushed version in MLflow's model registry with the champion alias.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bundledCsv, runCli, tempHome } from '../cli/cli-helpers.js';
import { mlflowTestUri } from './env.js';

async function api<T>(uri: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${uri}/api/2.0/mlflow/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

interface Run { info: { run_id: string; run_name: string; status: string; artifact_uri: string }; data: { params?: { key: string; value: string }[]; metrics?: { key: string; value: number }[]; tags?: { key: string; value: string }[] } }

describe('pipeline tracked in MLflow', () => {
  it('shows the run, its candidates, fold steps, artifacts and the registered champion', async () => {
    const uri = mlflowTestUri();
    const experiment = `ns-pipeline-${randomUUID().slice(0, 8)}`;
    const home = tempHome();
    const env = { MLFLOW_TRACKING_URI: uri, MLFLOW_EXPERIMENT_NAME: experiment, MLFLOW_REGISTERED_MODEL: experiment };
    expect((await runCli(['etl', '--source', bundledCsv], home, env)).code).toBe(0);
    const train = await runCli(['train', '--json', '--preset', 'quick'], home, env);
    expect(train.code, train.stderr).toBe(0);
    const out = JSON.parse(train.stdout) as { runId: string; champion: number; best: string; candidates: { name: string; test: { f1Phishing: number; f1PhishingInterval: { low: number; high: number } } }[]; profiles: { name: string; cv: { f1: number }; test: { f1Phishing: number } }[] };

    const { experiment_id } = (await api<{ experiment: { experiment_id: string } }>(uri, `experiments/get-by-name?experiment_name=${experiment}`)).experiment;
    const { runs } = await api<{ runs: Run[] }>(uri, 'runs/search', { experiment_ids: [experiment_id], max_results: 100 });
    const parent = runs.find((r) => r.info.run_name === out.runId)!;
    expect(parent.info.status).toBe('FINISHED');
    const params = Object.fromEntries((parent.data.params ?? []).map((p) => [p.key, p.value]));
    expect(params['split']).toBe('stable-balanced');
    expect(params['snapshot_sha256']).toMatch(/^[0-9a-f]{64}$/);
    const metrics = Object.fromEntries((parent.data.metrics ?? []).map((m) => [m.key, m.value]));
    expect(metrics['test_f1_phishing']).toBeGreaterThan(0.9);
    expect(metrics['gate_accepted']).toBe(1);
    // Each feature profile's F1, as the run reported it.
    expect(out.profiles.map((p) => p.name)).toEqual(['all', 'url_page_fetch', 'url']);
    for (const p of out.profiles) {
      expect(metrics[`profile_${p.name}_test_f1_phishing`], p.name).toBeCloseTo(p.test.f1Phishing, 10);
      expect(metrics[`profile_${p.name}_cv_f1_phishing`], p.name).toBeCloseTo(p.cv.f1, 10);
    }
    // One "best": the chosen (registered) candidate, the same as the run summary and `networksecurity runs`.
    const tags = Object.fromEntries((parent.data.tags ?? []).map((t) => [t.key, t.value]));
    expect(tags['networksecurity.chosen_model']).toBe(out.best);
    expect(tags['networksecurity.chosen_by']).toBe('cv_f1');
    const chosenTest = out.candidates.find((c) => c.name === out.best)!.test;
    expect(metrics['test_f1_phishing']).toBeCloseTo(chosenTest.f1Phishing, 9);
    // Its bootstrap interval, as the run reported it.
    expect(metrics['test_f1_phishing_low']).toBeCloseTo(chosenTest.f1PhishingInterval.low, 9);
    expect(metrics['test_f1_phishing_high']).toBeCloseTo(chosenTest.f1PhishingInterval.high, 9);
    expect(metrics['test_f1_phishing_low']).toBeLessThan(metrics['test_f1_phishing']!);

    const children = runs.filter((r) => r.data.tags?.some((t) => t.key === 'mlflow.parentRunId' && t.value === parent.info.run_id));
    expect(children.map((c) => c.info.run_name).sort()).toEqual(out.candidates.map((c) => c.name).sort());
    const history = await api<{ metrics: { step: number }[] }>(uri, `metrics/get-history?run_id=${children[0]!.info.run_id}&metric_key=cv_f1_phishing`);
    expect(history.metrics.map((m) => m.step).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);

    const model = await api<{ files?: { path: string }[] }>(uri, `artifacts/list?run_id=${parent.info.run_id}&path=model`);
    expect(model.files?.map((f) => f.path)).toContain('model/bundle.nsm');
    const reports = await api<{ files?: { path: string }[] }>(uri, `artifacts/list?run_id=${parent.info.run_id}&path=reports`);
    expect(reports.files?.map((f) => f.path)).toEqual(expect.arrayContaining(['reports/validation_report.json', 'reports/profiles.json']));

    const alias = await api<{ model_version: { version: string; run_id: string } }>(uri, `registered-models/alias?name=${experiment}&alias=champion`);
    expect(alias.model_version.run_id).toBe(parent.info.run_id);
  }, 600_000);
});
