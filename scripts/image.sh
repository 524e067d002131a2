#!/usr/bin/env bash
# Builds the container image here, where there is no Docker engine and no image registry: Debian's
# podman with Debian's runc runs the Dockerfile unchanged.
#
#   bash scripts/image.sh build     the stand-in base image (once, cached), then our image; prints timings
#   bash scripts/image.sh env       export lines for podman's configuration and the image names (tests)
#   bash scripts/image.sh podman …  podman with this project's configuration
#
# The Dockerfile starts FROM the official Node image, which cannot be pulled here. The stand-in carries
# that image's name and what the Dockerfile relies on: Debian (the release apt serves here, made by
# debootstrap), the Node that scripts/node.sh installs (binary and headers under /usr/local), npm and the
# uid-1000 `node` user. It also carries this machine's CA bundle (NODE_EXTRA_CA_CERTS), because this
# machine's egress re-signs TLS and npm in the build stage must trust it. Our image is then built with
# --pull=never. Everything lives under the git-ignored .cache/: the debootstrap tarball, the base image
# (kept in podman storage under .cache/podman), so a second run rebuilds neither.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=$ROOT/.cache
IMAGES=$CACHE/image
PODMAN_DIR=$CACHE/podman
RUNC=/usr/sbin/runc
# The Dockerfile's bases (ARG NODE_IMAGE, ARG DEBIAN_IMAGE) as podman names Docker Hub images; the Debian
# release is the one in the Debian image's tag (debian:bookworm-slim: bookworm).
BASE_IMAGE=docker.io/library/$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile)
ROOTFS_IMAGE=docker.io/library/$(sed -n 's/^ARG DEBIAN_IMAGE=//p' Dockerfile)
SUITE=$(sed -n 's/^ARG DEBIAN_IMAGE=debian:\([a-z]*\)-slim$/\1/p' Dockerfile)
IMAGE=localhost/networksecurity:test

log() { printf '[image] %s\n' "$*" >&2; }
now_ms() { date +%s%3N; }

install_tools() {
  command -v podman >/dev/null && [ -x "$RUNC" ] && command -v debootstrap >/dev/null && return 0
  log "installing podman, runc, debootstrap and the Debian archive keyring (apt)"
  bash scripts/apt-install.sh podman runc debootstrap debian-archive-keyring
}

# Podman's configuration for this kernel: runc (crun fails on its cgroups), cgroupfs (no systemd), no
# default ulimits (the kernel refuses podman's), storage under .cache. Passed by environment, so the
# system's files stay untouched.
write_config() {
  local runroot
  runroot=/run/networksecurity-podman-$(echo "$PODMAN_DIR" | sha256sum | cut -c1-12)
  mkdir -p "$PODMAN_DIR/storage"
  cat >"$PODMAN_DIR/containers.conf" <<EOF
[containers]
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
[engine.runtimes]
runc = ["$RUNC"]
EOF
  cat >"$PODMAN_DIR/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$PODMAN_DIR/storage"
runroot = "$runroot"
EOF
}

print_env() {
  printf 'export CONTAINERS_CONF=%q\n' "$PODMAN_DIR/containers.conf"
  printf 'export CONTAINERS_STORAGE_CONF=%q\n' "$PODMAN_DIR/storage.conf"
  printf 'export NS_TEST_IMAGE=%q\n' "$IMAGE"
  printf 'export NS_TEST_RUNC=%q\n' "$RUNC"
}

pm() { CONTAINERS_CONF=$PODMAN_DIR/containers.conf CONTAINERS_STORAGE_CONF=$PODMAN_DIR/storage.conf podman --runtime "$RUNC" "$@"; }

# Debian's minimal root filesystem as a tarball, without the package cache, lists, docs and locales.
rootfs_tarball() {
  local tar=$IMAGES/debian-$SUITE-minbase.tar dir
  if [ ! -s "$tar" ]; then
    log "debootstrap $SUITE (first time only, ~2 min)"
    mkdir -p "$IMAGES"
    dir=$(mktemp -d "$IMAGES/rootfs.XXXXXX")
    debootstrap --variant=minbase "$SUITE" "$dir" http://deb.debian.org/debian >"$IMAGES/debootstrap.log" 2>&1 \
      || { tail -n 20 "$IMAGES/debootstrap.log" >&2; rm -rf "$dir"; return 1; }
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/{man,info,locale}/*
    tar -C "$dir" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf "$dir"
  fi
  echo "$tar"
}

rootfs_image() {
  pm image exists "$ROOTFS_IMAGE" || pm import --quiet "$(rootfs_tarball)" "$ROOTFS_IMAGE" >/dev/null
}

# The stand-ins for the official images: Debian slim is the debootstrap root filesystem; the Node image adds
# Node, npm and the `node` user to it. Keyed by the Node version and the Debian release.
build_base() {
  local node_dir node_version npm_version key tmp t0
  node_dir=$(bash scripts/node.sh)
  node_version=$("$node_dir/bin/node" --version)
  npm_version=$(npm --version)
  key="$SUITE-node-$node_version-npm-$npm_version"
  if [ "$(pm image inspect --format '{{ index .Labels "networksecurity.stand-in" }}' "$BASE_IMAGE" 2>/dev/null)" = "$key" ]; then
    return 0
  fi
  t0=$(now_ms)
  log "building the stand-in $BASE_IMAGE ($key)"
  tmp=$(mktemp -d "$IMAGES/base.XXXXXX")
  trap 'rm -rf "$tmp"' RETURN
  (cd "$tmp" && npm pack --silent "npm@$npm_version" >/dev/null)
  mkdir -p "$tmp/add/usr/local/bin" "$tmp/add/usr/local/lib/node_modules/npm" "$tmp/add/usr/local/include" "$tmp/add/etc/ssl/certs"
  cp "$node_dir/bin/node" "$tmp/add/usr/local/bin/node"
  cp -r "$node_dir/include/node" "$tmp/add/usr/local/include/node"
  tar -xzf "$tmp"/npm-*.tgz -C "$tmp/add/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$tmp/add/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$tmp/add/usr/local/bin/npx"
  cp /etc/ssl/certs/ca-certificates.crt "$tmp/add/etc/ssl/certs/ca-certificates.crt"
  # The official image's `node` user (uid/gid 1000), environment and default command.
  cat >"$tmp/Containerfile" <<EOF
FROM $ROOTFS_IMAGE
COPY add/ /
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_VERSION=${node_version#v} NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
LABEL networksecurity.stand-in="$key"
CMD ["node"]
EOF
  pm build --quiet --pull=never --network host -t "$BASE_IMAGE" -f "$tmp/Containerfile" "$tmp" >/dev/null
  log "stand-in base built in $(( $(now_ms) - t0 )) ms"
}

build_image() {
  local t0 size
  t0=$(now_ms)
  pm build --pull=never --format docker --network host -t "$IMAGE" . >"$IMAGES/build.log" 2>&1 \
    || { tail -n 40 "$IMAGES/build.log" >&2; return 1; }
  size=$(pm image inspect --format '{{.Size}}' "$IMAGE")
  log "$IMAGE built in $(( $(now_ms) - t0 )) ms, $(( size / 1000000 )) MB"
}

mkdir -p "$IMAGES"
case ${1:-} in
  build) install_tools; write_config; rootfs_image; build_base; build_image ;;
  env) write_config; print_env ;;
  podman) shift; write_config; pm "$@" ;;
  *) echo "usage: bash scripts/image.sh build|env|podman <args>" >&2; exit 2 ;;
esac
