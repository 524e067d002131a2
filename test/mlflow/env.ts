/**
 * Where the MLflow integration tests find their services: MLFLOW_TEST_URI (the shared server started by
 * scripts/services.sh) and the Python of the venv that has mlflow installed (MLFLOW_TEST_PYTHON, else
 * $SERVICES_TEST_VENV/bin/python, else .cache/venv-services/bin/python). Values missing from the
 * environment are read from .services/env. A missing server is an error, never a skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

function servicesEnv(): Record<string, string> {
  const file = join(root, '.services', 'env');
  if (!existsSync(file)) return {};
  return Object.fromEntries([...readFileSync(file, 'utf8').matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

function lookup(name: string): string | undefined {
  return process.env[name] ?? servicesEnv()[name];
}

/** URL of the shared MLflow test server; throws when none is configured. */
export function mlflowTestUri(): string {
  const uri = lookup('MLFLOW_TEST_URI');
  if (!uri) throw new Error('MLFLOW_TEST_URI is not set: run `bash scripts/services.sh up` (or `npm test`) to start the MLflow test server.');
  return uri;
}

/** Python interpreter with mlflow installed; throws when it does not exist. */
export function mlflowTestPython(): string {
  const venv = lookup('SERVICES_TEST_VENV');
  const python = lookup('MLFLOW_TEST_PYTHON') ?? (venv ? join(venv, 'bin', 'python') : join(root, '.cache', 'venv-services', 'bin', 'python'));
  if (!existsSync(python)) throw new Error(`No Python with mlflow at ${python}: set MLFLOW_TEST_PYTHON or run \`bash scripts/services.sh up\`.`);
  return python;
}

/** The `mlflow` command next to the test Python. */
export function mlflowTestCli(): string {
  return join(dirname(mlflowTestPython()), 'mlflow');
}

export const repoRoot = root;
