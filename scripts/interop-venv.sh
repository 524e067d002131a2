#!/usr/bin/env bash
# Creates (once) the git-ignored Python venv for the interoperability tests: MLflow's Python client (the
# same release as the test server of scripts/services.sh), onnx and onnxruntime, pinned. Prints the
# venv's python path. scripts/test.sh calls it, so CI installs it before the tests run.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.cache/venv-interop
# The pins of MLFLOW_MODEL_REQUIREMENTS (src/pipeline/mlflow-model.ts, checked by test/interop): the tests
# load the MLflow model with what its requirements.txt names. Bump both on purpose.
packages=('mlflow==3.17.2' 'numpy==2.4.6' 'onnx==1.23.2' 'onnxruntime==1.30.0' 'pandas==3.1.1')
marker=$venv/.installed
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$marker" 2>/dev/null)" != "${packages[*]}" ]; then
  mkdir -p .cache
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "${packages[@]}" >&2
  "$venv/bin/python" -c 'import mlflow.onnx, onnx, onnxruntime' >&2
  echo "${packages[*]}" >"$marker"
fi
echo "$PWD/$venv/bin/python"
