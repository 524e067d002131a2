#!/usr/bin/env bash
# Creates (once) the git-ignored Python venv with the peer libraries used for parity fixtures and
# benchmarks: scikit-learn, XGBoost, SciPy, pandas, pymongo, boto3. Prints the venv's python path.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.cache/venv-peers
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sklearn, xgboost, scipy, pandas, pymongo, boto3' 2>/dev/null; then
  mkdir -p .cache
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check scikit-learn xgboost scipy pandas pymongo boto3 threadpoolctl >&2
fi
echo "$PWD/$venv/bin/python"
