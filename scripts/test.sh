#!/usr/bin/env bash
# The test command (npm test), on Node 24 (scripts/node.sh installs it under .cache/ and it goes first on
# PATH; better-sqlite3 is rebuilt for it when node_modules was installed with another Node): type check,
# lint (with the layer rules), shellcheck/actionlint/compose checks, build (server and UI), the container
# image (podman), DVC and the interop venv (Python onnxruntime, onnx, mlflow; scripts/dvc-venv.sh and
# scripts/interop-venv.sh, cached under .cache/), the real test services on loopback (FerretDB, moto S3,
# MLflow, Redis; Chromium installed), every test, then the services stop. A service that does not start
# fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
node_env=$(bash scripts/node.sh --env)
eval "$node_env"
echo "[test] node $(node --version) from $(command -v node)" >&2
if ! node -e 'new (require("better-sqlite3"))(":memory:").close()' 2>/dev/null; then
  echo "[test] rebuilding better-sqlite3 for node $(node --version)" >&2
  npm rebuild better-sqlite3
fi
npm run typecheck
npm run lint
bash scripts/ops-checks.sh
npm run build
bash scripts/image.sh build
bash scripts/dvc-venv.sh >/dev/null
bash scripts/services.sh up
# Python onnxruntime, onnx and MLflow's client for the interoperability tests (test/interop), cached.
bash scripts/interop-venv.sh >/dev/null
trap 'bash scripts/services.sh down' EXIT
# shellcheck disable=SC1091
source .services/env
mkdir -p test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json "$@" || status=$?
node -e "
  const r = JSON.parse(require('fs').readFileSync('test-results/vitest.json', 'utf8'));
  console.log(r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed');
" || true
exit "$status"
