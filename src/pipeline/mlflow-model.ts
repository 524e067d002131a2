/**
 * A model bundle as an MLflow model in MLflow's own `onnx` flavor layout, so MLflow's Python side
 * (`mlflow.pyfunc.load_model`, `mlflow models serve`) loads it with no code of ours:
 *
 *   MLmodel                      flavors `onnx` and `python_function` (loader mlflow.onnx), the
 *                                signature (the named feature columns as doubles in; `label` and
 *                                `phishing_probability` out) and where the input example is
 *   model.onnx                   the exported graph (src/ml/onnx), one output column per value
 *   requirements.txt, python_env.yaml, conda.yaml   pinned Python requirements
 *   input_example.json, serving_input_example.json  a few rows, pandas "split" orient
 *
 * Pure: returns the files; the train stage logs them next to the bundle under the run's `model/` folder,
 * the folder the MLflow registry mirror registers versions from.
 *
 * @example
 *   const files = mlflowModelFiles(bundle, { example: test.X, bundleSha256, createdAt });
 */
import { stringify } from 'yaml';
import { NsError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import type { ModelBundle } from '../ml/bundle.js';
import { exportOnnx } from '../ml/onnx/export.js';
import { PHISHING } from './predictor.js';

/** Pinned Python requirements of the MLflow model; scripts/interop-venv.sh installs the same pins. */
export const MLFLOW_MODEL_REQUIREMENTS = ['mlflow==3.17.2', 'numpy==2.4.6', 'onnx==1.23.2', 'onnxruntime==1.30.0', 'pandas==3.1.1'] as const;
const PYTHON_VERSION = '3.11';
/** Rows of the input example. */
const EXAMPLE_ROWS = 3;

export interface MlflowModelInput {
  /** Raw rows (feature order of the bundle) to take the input example from; rows with a missing value are skipped. */
  example: Matrix;
  bundleSha256: string;
  createdAt: string;
  /** Largest ONNX graph to build (default: protobuf's 2 GiB limit). */
  maxOnnxBytes?: number;
}

const versionOf = (name: string): string => MLFLOW_MODEL_REQUIREMENTS.find((r) => r.startsWith(`${name}==`))!.split('==')[1]!;

/**
 * The files of the MLflow model, by path inside the model folder. Throws ONNX_UNSUPPORTED (from the
 * exporter) when the bundle's family has no ONNX form.
 */
export function mlflowModelFiles(bundle: ModelBundle, input: MlflowModelInput): Record<string, string | Uint8Array> {
  const onnx = exportOnnx(bundle, { outputs: 'columns', phishingClass: PHISHING, ...(input.maxOnnxBytes === undefined ? {} : { maxBytes: input.maxOnnxBytes }) });
  const columns = bundle.featureNames;
  const rows: number[][] = [];
  const X = input.example;
  for (let i = 0; i < X.rows && rows.length < EXAMPLE_ROWS; i++) {
    const row = Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols));
    if (row.every(Number.isFinite)) rows.push(row);
  }
  const signature = {
    inputs: JSON.stringify(columns.map((name) => ({ type: 'double', name, required: true }))),
    outputs: JSON.stringify([{ type: 'long', name: 'label', required: true }, { type: 'double', name: 'phishing_probability', required: true }]),
    params: null,
  };
  const mlmodel = {
    flavors: {
      onnx: { code: null, data: 'model.onnx', onnx_session_options: null, onnx_version: versionOf('onnx'), providers: ['CPUExecutionProvider'] },
      python_function: {
        data: 'model.onnx', env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' }, loader_module: 'mlflow.onnx', python_version: PYTHON_VERSION,
      },
    },
    mlflow_version: versionOf('mlflow'),
    model_size_bytes: onnx.length,
    // A stable id per bundle (MLflow writes a random one): the same bundle gives the same MLmodel.
    model_uuid: input.bundleSha256.slice(0, 32),
    metadata: { networksecurity_bundle_sha256: input.bundleSha256, model_kind: bundle.model.kind, library_version: bundle.libraryVersion },
    ...(rows.length > 0 ? { saved_input_example_info: { artifact_path: 'input_example.json', pandas_orient: 'split', serving_input_path: 'serving_input_example.json', type: 'dataframe' } } : {}),
    signature,
    utc_time_created: input.createdAt.replace('T', ' ').replace('Z', ''),
  };
  const requirements = `${MLFLOW_MODEL_REQUIREMENTS.join('\n')}\n`;
  return {
    MLmodel: stringify(mlmodel),
    'model.onnx': onnx,
    'requirements.txt': requirements,
    'python_env.yaml': stringify({ python: PYTHON_VERSION, build_dependencies: ['pip', 'setuptools', 'wheel'], dependencies: ['-r requirements.txt'] }),
    'conda.yaml': stringify({ channels: ['conda-forge'], dependencies: [`python=${PYTHON_VERSION}`, 'pip', { pip: [...MLFLOW_MODEL_REQUIREMENTS] }], name: 'mlflow-env' }),
    ...(rows.length > 0 ? {
      'input_example.json': JSON.stringify({ columns, data: rows }),
      'serving_input_example.json': JSON.stringify({ dataframe_split: { columns, data: rows } }, null, 2),
    } : {}),
  };
}

/** Where mlflowModelOrSkip says why it wrote nothing. */
export interface SkipReporter {
  /** A family with no ONNX form: an expected outcome, one progress line. */
  progress(msg: string): void;
  /** A graph too large for an ONNX file or for this process's memory: one warning. */
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * The MLflow model's files, or undefined when it cannot be built: a family with no ONNX form, or a graph
 * over `maxOnnxBytes` or past the memory this process can allocate. The run goes on with the bundle only.
 */
export function mlflowModelOrSkip(bundle: ModelBundle, input: MlflowModelInput, report: SkipReporter): Record<string, string | Uint8Array> | undefined {
  try {
    return mlflowModelFiles(bundle, input);
  } catch (e) {
    if (e instanceof NsError && e.code === 'ONNX_UNSUPPORTED') {
      report.progress(`MLflow model: not written (${e.message})`);
      return undefined;
    }
    if ((e instanceof NsError && e.code === 'ONNX_TOO_LARGE') || e instanceof RangeError) {
      report.warn(`MLflow model: not written, the run keeps the model as bundle.nsm only (${e.message})`, { code: e instanceof NsError ? e.code : 'ONNX_TOO_LARGE' });
      return undefined;
    }
    throw e;
  }
}
