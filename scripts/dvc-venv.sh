#!/usr/bin/env bash
# Creates (once) the git-ignored Python venv with DVC (from PyPI), used by the test of the pipeline that
# `networksecurity data export-dvc` writes (test/dvc). Prints the path of its `dvc` command.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.cache/venv-dvc
DVC_VERSION=3.67.1
if [ ! -x "$venv/bin/dvc" ] || [ "$("$venv/bin/dvc" --version 2>/dev/null)" != "$DVC_VERSION" ]; then
  echo "[dvc] installing dvc $DVC_VERSION into $venv (first time only)" >&2
  mkdir -p .cache
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "dvc==$DVC_VERSION" >&2
fi
echo "$PWD/$venv/bin/dvc"
