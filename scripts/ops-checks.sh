#!/usr/bin/env bash
# Checks of what ships besides the code, run by the test command: shellcheck over every shell script in
# the repository, actionlint over .github/workflows (with shellcheck over their `run:` blocks), and
# compose.yaml parsed and validated by a real compose implementation (Debian's docker-compose, `config`)
# with and without the minimal profile. Installs what is missing: shellcheck and docker-compose from
# Debian, actionlint (pinned) from the Go module proxy into .cache/bin.
set -euo pipefail
cd "$(dirname "$0")/.."
ACTIONLINT_VERSION=v1.7.12
actionlint=$PWD/.cache/bin/actionlint-$ACTIONLINT_VERSION/actionlint

log() { printf '[ops-checks] %s\n' "$*" >&2; }

install_tools() {
  if ! command -v shellcheck >/dev/null || ! command -v docker-compose >/dev/null; then
    log "installing shellcheck and docker-compose (apt)"
    bash scripts/apt-install.sh shellcheck docker-compose
  fi
  if [ ! -x "$actionlint" ]; then
    log "building actionlint $ACTIONLINT_VERSION from the Go module proxy (first time only)"
    GOBIN=$(dirname "$actionlint") go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  fi
}

# Tracked files that are shell scripts: *.sh, or a bash/sh shebang (.ci/run).
shell_scripts() {
  local f
  git ls-files -z | while IFS= read -r -d '' f; do
    case $f in
      *.sh) echo "$f" ;;
      *) [ -f "$f" ] && head -n 1 "$f" | grep -qE '^#!.*[/ ](ba)?sh$' && echo "$f" ;;
    esac
  done
}

install_tools
mapfile -t scripts < <(shell_scripts)
log "shellcheck: ${#scripts[@]} scripts"
shellcheck "${scripts[@]}"
log "actionlint: .github/workflows"
"$actionlint"
log "docker-compose config: compose.yaml (default and minimal profile)"
docker-compose -f compose.yaml config -q
docker-compose -f compose.yaml --profile minimal config -q
log "ok"
