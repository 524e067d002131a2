/**
 * The DVC stage path with MLflow tracking on (the real MLflow server, MLFLOW_TEST_URI): `dvc repro` runs
 * each stage as its own `train --stage` call, and the pipeline run is still one MLflow run: the train
 * call's model folder and the push call's registration meet there, so the registered champion holds the
 * MLflow model and Python's `mlflow.pyfunc` loads it from `models:/<name>@champion`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledCsv, root, runCli, tempHome } from '../cli/cli-helpers.js';
import { mlflowTestUri } from '../mlflow/env.js';

const dvcBin = join(root, '.cache/venv-dvc/bin/dvc');
const cli = `${process.execPath} --import ${pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href} ${join(root, 'src/cli/bin.ts')}`;

interface MlflowRun { info: { run_id: string; run_name: string; status: string }; data?: { params?: { key: string; value: string }[]; metrics?: { key: string }[] } }

describe('the DVC pipeline with MLflow tracking', () => {
  it('one pipeline run is one MLflow run, and the registered version loads with mlflow.pyfunc', async () => {
    if (!existsSync(dvcBin)) throw new Error(`no dvc at ${dvcBin}: run \`bash scripts/dvc-venv.sh\` (npm test does)`);
    const uri = mlflowTestUri();
    const name = `ns-dvc-${randomUUID().slice(0, 8)}`;
    const repo = tempHome('ns-dvc-ml-repo-');
    const home = tempHome('ns-dvc-ml-home-');
    const mlflow = { MLFLOW_TRACKING_URI: uri, MLFLOW_EXPERIMENT_NAME: name, MLFLOW_REGISTERED_MODEL: name };
    const env: NodeJS.ProcessEnv = { ...process.env, NS_HOME: home, DVC_NO_ANALYTICS: '1', ...mlflow };
    for (const k of ['MONGO_DB_URL', 'S3_BUCKET', 'REDIS_URL']) delete env[k];
    execFileSync('git', ['init', '-q'], { cwd: repo, env });
    expect(spawnSync(dvcBin, ['init', '-q'], { cwd: repo, env }).status).toBe(0);
    mkdirSync(join(repo, 'data'));
    copyFileSync(bundledCsv, join(repo, 'data/phisingData.csv'));
    expect((await runCli(['data', 'export-dvc', '--preset', 'quick', '--cli', cli], repo, { NS_HOME: home })).code).toBe(0);
    const repro = spawnSync(dvcBin, ['repro'], { cwd: repo, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(repro.status, `${repro.stdout}${repro.stderr}`).toBe(0);
    const runId = (JSON.parse(readFileSync(join(repo, 'stages/push.json'), 'utf8')) as { runId: string }).runId;

    // Every stage call logged into one MLflow run, which ended finished with the run's headline metrics.
    const exp = (await (await fetch(`${uri}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${name}`)).json()) as { experiment: { experiment_id: string } };
    const search = await fetch(`${uri}/api/2.0/mlflow/runs/search`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_ids: [exp.experiment.experiment_id], filter: `tags.\`networksecurity.pipeline_run_id\` = '${runId}'`, max_results: 50 }),
    });
    const { runs } = (await search.json()) as { runs: MlflowRun[] };
    expect(runs.map((r) => r.info.run_name)).toEqual([runId]);
    const parent = runs[0]!;
    expect(parent.info.status).toBe('FINISHED');
    expect(parent.data?.metrics?.map((m) => m.key)).toEqual(expect.arrayContaining(['test_f1_phishing', 'gate_accepted']));
    // Each stage call logged its own stage's params there: the preset is the one the train stage ran.
    const params = Object.fromEntries((parent.data?.params ?? []).map((p) => [p.key, p.value]));
    expect(params).toMatchObject({ seed: '42', test_size: '0.2', preset: 'quick', imputer: expect.any(String) as unknown, cv_folds: expect.any(String) as unknown });

    // The champion version comes from that run and holds the MLflow model.
    const alias = (await (await fetch(`${uri}/api/2.0/mlflow/registered-models/alias?name=${name}&alias=champion`)).json()) as { model_version: { run_id: string; source: string } };
    expect(alias.model_version.run_id).toBe(parent.info.run_id);
    expect(alias.model_version.source).toMatch(/^models:\/m-/);
    const python = execFileSync('bash', [join(root, 'scripts/interop-venv.sh')], { encoding: 'utf8' }).trim();
    const outFile = join(home, 'pyfunc.json');
    execFileSync(python, [join(root, 'test/interop/pyfunc_predict.py'), uri, `models:/${name}@champion`, bundledCsv, outFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const py = JSON.parse(readFileSync(outFile, 'utf8')) as { labels: number[]; files: string[] };
    expect(py.files).toEqual(expect.arrayContaining(['MLmodel', 'model.onnx']));
    expect(py.labels).toHaveLength(11055);
    expect(new Set(py.labels)).toEqual(new Set([-1, 1]));
  }, 600_000);
});
