#!/usr/bin/env bash
# The test command (npm test): type check, lint (with the layer rules), build the UI, start the real
# test services on loopback, run every test, stop the services.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run typecheck
npm run lint
if [ -f scripts/services.sh ]; then
  bash scripts/services.sh up
  # shellcheck disable=SC1091
  source .services/env
  trap 'bash scripts/services.sh down' EXIT
fi
npx vitest run "$@"
