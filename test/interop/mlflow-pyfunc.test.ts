/**
 * The MLflow model round trip against the real MLflow server (MLFLOW_TEST_URI): `networksecurity train`
 * with MLFLOW_TRACKING_URI registers the champion, and Python's `mlflow.pyfunc.load_model(
 * "models:/<name>@champion")` (MLflow and onnxruntime from scripts/interop-venv.sh) predicts on the
 * bundled rows what our server's /api/v1/predict answers: the same labels and phishing probabilities
 * within 1e-6. The model folder is MLflow's onnx flavor layout with a 30-column signature, an input
 * example and pinned requirements that are the versions the test loads it with. The run has the data
 * snapshot as its dataset input and the model as its logged model (MLflow's "Dataset" and "Model"
 * columns), and the logged model loads by its own `models:/<model_id>` URI.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBundle } from '../../src/ml/bundle.js';
import { parsePhishingCsv } from '../../src/ml/trees/phishing.test-helpers.js';
import { MLFLOW_MODEL_REQUIREMENTS } from '../../src/pipeline/mlflow-model.js';
import { bundledCsv, root, runCli, startCli, tempHome, untilServing } from '../cli/cli-helpers.js';
import { mlflowTestUri } from '../mlflow/env.js';

interface MlflowRunWithInputs {
  info: { run_id: string; run_name: string };
  outputs?: { model_outputs?: { model_id: string }[] };
  inputs?: { dataset_inputs?: { tags?: { key: string; value: string }[]; dataset: { name: string; digest: string; source_type: string; source: string; schema: string; profile: string } }[] };
}

interface PyfuncOut {
  labels: number[]; probPhishing: number[]; inputNames: string[]; outputNames: string[]; flavors: string[]; loaderModule: string;
  requirements: string[]; installed: Record<string, string>; exampleRows: number; examplePrediction: number[]; files: string[];
}

/** Our server's predictions for the rows, asked 1,000 rows per request (the JSON body limit). */
async function serverPredictions(base: string, columns: readonly string[], X: { rows: number; cols: number; data: Float64Array }): Promise<{ labels: number[]; probPhishing: number[]; version: number }> {
  const labels: number[] = [];
  const probPhishing: number[] = [];
  let version = 0;
  for (let start = 0; start < X.rows; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(X.rows, start + 1000); i++) rows.push(Object.fromEntries(columns.map((c, j) => [c, X.data[i * X.cols + j]!])));
    const res = await fetch(`${base}/api/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { modelVersion: number; predictions: { label: number; probPhishing: number }[] };
    version = body.modelVersion;
    for (const p of body.predictions) {
      labels.push(p.label);
      probPhishing.push(p.probPhishing);
    }
  }
  return { labels, probPhishing, version };
}

describe('MLflow model of a registered version', () => {
  it('loads in Python with mlflow.pyfunc from models:/<name>@champion and predicts what our server predicts', async () => {
    const uri = mlflowTestUri();
    const name = `ns-pyfunc-${randomUUID().slice(0, 8)}`;
    const home = tempHome();
    const env = { MLFLOW_TRACKING_URI: uri, MLFLOW_EXPERIMENT_NAME: name, MLFLOW_REGISTERED_MODEL: name };
    expect((await runCli(['etl', '--source', bundledCsv], home, env)).code).toBe(0);
    const train = await runCli(['train', '--json', '--preset', 'quick'], home, env);
    expect(train.code, train.stderr).toBe(0);
    const trained = JSON.parse(train.stdout) as { champion: number; runId: string; data: { rows: number; snapshotSha256: string } };
    expect(trained.champion).toBe(1);

    // The run's data snapshot is an MLflow dataset input (the UI's "Dataset" column).
    const exp = (await (await fetch(`${uri}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${name}`)).json()) as { experiment: { experiment_id: string } };
    const search = await fetch(`${uri}/api/2.0/mlflow/runs/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ experiment_ids: [exp.experiment.experiment_id], max_results: 50 }) });
    const { runs } = (await search.json()) as { runs: MlflowRunWithInputs[] };
    const parent = runs.find((r) => r.info.run_name === trained.runId)!;
    const inputs = parent.inputs?.dataset_inputs ?? [];
    expect(inputs).toHaveLength(1);
    const ds = inputs[0]!;
    expect(ds.dataset.digest).toBe(trained.data.snapshotSha256.slice(0, 36));
    expect(ds.dataset.name).toBe(`feature_store@${trained.data.snapshotSha256.slice(0, 12)}`);
    expect(ds.dataset.source_type).toBe('local');
    expect((JSON.parse(ds.dataset.source) as { uri: string }).uri).toMatch(/^file:\/\/.*feature_store\.csv$/);
    const colspec = (JSON.parse(ds.dataset.schema) as { mlflow_colspec: { name: string }[] }).mlflow_colspec;
    expect(colspec).toHaveLength(31);
    expect((JSON.parse(ds.dataset.profile) as { num_rows: number; sha256: string })).toMatchObject({ num_rows: trained.data.rows, sha256: trained.data.snapshotSha256 });
    expect(ds.tags).toContainEqual({ key: 'mlflow.data.context', value: 'training' });

    // The model is the run's logged model (the UI's "Model" column), ready, and the registered version names it.
    const outputs = parent.outputs?.model_outputs ?? [];
    expect(outputs).toHaveLength(1);
    const modelId = outputs[0]!.model_id;
    const logged = (await (await fetch(`${uri}/api/2.0/mlflow/logged-models/${modelId}`)).json()) as { model: { info: { status: string; source_run_id: string; name: string } } };
    expect(logged.model.info).toMatchObject({ status: 'LOGGED_MODEL_READY', source_run_id: parent.info.run_id, name: 'model' });
    const alias = (await (await fetch(`${uri}/api/2.0/mlflow/registered-models/alias?name=${name}&alias=champion`)).json()) as { model_version: { source: string } };
    expect(alias.model_version.source).toBe(`models:/${modelId}`);

    const python = execFileSync('bash', [join(root, 'scripts/interop-venv.sh')], { encoding: 'utf8' }).trim();
    const outFile = join(home, 'pyfunc.json');
    execFileSync(python, [join(root, 'test/interop/pyfunc_predict.py'), uri, `models:/${name}@champion`, bundledCsv, outFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const py = JSON.parse(readFileSync(outFile, 'utf8')) as PyfuncOut;
    // The logged model loads by its own URI too, with the same predictions.
    const byIdFile = join(home, 'pyfunc-by-id.json');
    execFileSync(python, [join(root, 'test/interop/pyfunc_predict.py'), uri, `models:/${modelId}`, bundledCsv, byIdFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const byId = JSON.parse(readFileSync(byIdFile, 'utf8')) as PyfuncOut;
    expect(byId.labels).toEqual(py.labels);
    expect(byId.probPhishing).toEqual(py.probPhishing);

    const data = parsePhishingCsv(readFileSync(bundledCsv, 'utf8'));
    const list = JSON.parse((await runCli(['models', 'list', '--json'], home, env)).stdout) as { versions: { version: number; bundleKey: string }[] };
    const featureNames = decodeBundle(readFileSync(join(home, 'artifacts', list.versions[0]!.bundleKey))).featureNames;
    expect(py.inputNames).toEqual(featureNames);
    expect(py.inputNames).toHaveLength(30);
    expect(py.outputNames).toEqual(['label', 'phishing_probability']);
    expect(py.flavors).toEqual(['onnx', 'python_function']);
    expect(py.loaderModule).toBe('mlflow.onnx');
    expect(py.files).toEqual(expect.arrayContaining(['MLmodel', 'model.onnx', 'requirements.txt', 'python_env.yaml', 'conda.yaml', 'input_example.json', 'serving_input_example.json']));
    expect(py.requirements).toEqual([...MLFLOW_MODEL_REQUIREMENTS]);
    // The pins are what the model was loaded with here.
    expect(py.requirements).toEqual(Object.entries(py.installed).map(([pkg, v]) => `${pkg}==${v}`));
    expect(py.exampleRows).toBeGreaterThan(0);
    expect(py.examplePrediction.every((l) => l === -1 || l === 1)).toBe(true);

    const server = startCli(['serve', '--port', '0'], home, env);
    try {
      const banner = await untilServing(server);
      const base = /is serving on (http:\/\/\S+)/.exec(banner)![1]!.replace(/\/$/, '');
      const ours = await serverPredictions(base, featureNames, data.X);
      expect(ours.version).toBe(1);
      expect(py.labels).toEqual(ours.labels);
      let maxDiff = 0;
      for (let i = 0; i < ours.probPhishing.length; i++) maxDiff = Math.max(maxDiff, Math.abs(py.probPhishing[i]! - ours.probPhishing[i]!));
      expect(py.probPhishing).toHaveLength(data.X.rows);
      expect(maxDiff).toBeLessThanOrEqual(1e-6);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.on('close', r));
    }
  }, 600_000);
});
