#!/usr/bin/env bash
# The test command (npm test): type check, lint (with the layer rules), build (server and UI), start the
# real test services on loopback (FerretDB, moto S3, MLflow, Redis; Chromium installed), run every
# test, stop the services. A service that does not start fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run typecheck
npm run lint
npm run build
bash scripts/services.sh up
trap 'bash scripts/services.sh down' EXIT
# shellcheck disable=SC1091
source .services/env
mkdir -p test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' || true
exit "$status"
