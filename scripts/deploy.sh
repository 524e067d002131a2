#!/usr/bin/env bash
# Deploys one image tag with docker compose on the server it runs on, waits for /readyz and rolls back
# to the tag (and compose file) that ran before when the app does not come up. The release workflow runs
# it over SSH:  ssh user@host bash -s -- <dir> <image> <tag> < scripts/deploy.sh
#
#   <dir>    the folder with compose.yaml and .env (the secrets, NS_IMAGE and NS_IMAGE_TAG live in .env)
#   <image>  e.g. ghcr.io/owner/networksecurity     <tag>  e.g. v1.2.0
#
# A compose.yaml.next in <dir> (the workflow copies the release's compose.yaml there) replaces
# compose.yaml; the old one is kept as compose.yaml.previous until the new tag is ready.
# Environment: NS_DEPLOY_READY_URL (default http://127.0.0.1:8501/readyz), NS_DEPLOY_READY_SECONDS (180),
# DOCKER (default docker). Exit 0 deployed; 1 rolled back (or the rollback failed too); 2 bad usage.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: deploy.sh <dir> <image> <tag>" >&2; exit 2; }
dir=$1 image=$2 tag=$3
ready_url=${NS_DEPLOY_READY_URL:-http://127.0.0.1:8501/readyz}
ready_seconds=${NS_DEPLOY_READY_SECONDS:-180}
docker=${DOCKER:-docker}
cd "$dir"
touch .env

log() { printf '[deploy] %s\n' "$*" >&2; }

# Sets NAME=value in .env, keeping every other line (the secrets) as it is.
set_env() {
  local name=$1 value=$2
  { grep -v "^$name=" .env || true; echo "$name=$value"; } >.env.tmp
  chmod --reference=.env .env.tmp
  mv .env.tmp .env
}

compose_up() {
  "$docker" compose pull --quiet app worker && "$docker" compose up -d --remove-orphans
}

wait_ready() {
  local deadline=$(( $(date +%s) + ready_seconds ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    curl -fsS -o /dev/null --max-time 5 "$ready_url" 2>/dev/null && return 0
    sleep 2
  done
  return 1
}

previous_image=$(sed -n 's/^NS_IMAGE=//p' .env)
previous_tag=$(sed -n 's/^NS_IMAGE_TAG=//p' .env)
if [ -f compose.yaml.next ]; then
  [ -f compose.yaml ] && cp compose.yaml compose.yaml.previous
  mv compose.yaml.next compose.yaml
fi

log "deploying $image:$tag (was ${previous_image:-none}:${previous_tag:-none})"
set_env NS_IMAGE "$image"
set_env NS_IMAGE_TAG "$tag"
if compose_up && wait_ready; then
  rm -f compose.yaml.previous
  log "$image:$tag is ready ($ready_url)"
  exit 0
fi

log "$image:$tag did not become ready within ${ready_seconds} s: rolling back"
[ -f compose.yaml.previous ] && mv compose.yaml.previous compose.yaml
if [ -z "$previous_tag" ]; then
  log "no previous tag to roll back to; stopping the stack"
  "$docker" compose down || true
  exit 1
fi
set_env NS_IMAGE "$previous_image"
set_env NS_IMAGE_TAG "$previous_tag"
if compose_up && wait_ready; then
  log "rolled back to $previous_image:$previous_tag"
else
  log "the rollback to $previous_image:$previous_tag did not become ready either"
fi
exit 1
