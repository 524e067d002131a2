#!/usr/bin/env bash
# Installs Debian packages: `bash scripts/apt-install.sh <package>...`. Runs apt-get update only when the
# install fails (the package lists may be empty or old on a new machine).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq "$@" >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  apt-get install -y -qq "$@" >/dev/null
fi
