#!/usr/bin/env bash
# Test services on loopback: FerretDB (MongoDB wire protocol, SQLite backend), moto (S3), MLflow
# tracking server and Redis, each on its own free port of 127.0.0.1.
#
#   bash scripts/services.sh up       install what is missing (cached in .cache/), start, wait, write .services/env
#   bash scripts/services.sh down     stop every service this script started
#   bash scripts/services.sh status   one line per service
#   bash scripts/services.sh ferretdb-bin   build FerretDB if needed and print the binary's path (benchmarks)
#
# Idempotent: `up` keeps services that are already running and starts only the missing ones; the builds
# and the Python venv are cached under the git-ignored .cache/, so a second `up` takes seconds.
# .services/env is a sourceable file of `export` lines (MONGO_TEST_URL, S3_TEST_ENDPOINT, MLFLOW_TEST_URI,
# REDIS_TEST_URL, plus <NAME>_TEST_PID and <NAME>_TEST_LOG). Logs go to .services/logs/.
# With CI=true a service that fails to start stops the script with a non-zero exit and its log tail;
# elsewhere it is reported and left out of .services/env (the tests that need it then fail).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=$ROOT/.services
LOGS=$STATE/logs
DATA=$STATE/data
CACHE=$ROOT/.cache
VENV=$CACHE/venv-services
SERVICES=(ferretdb moto mlflow redis)
# Pinned so that every machine runs the same servers; bump on purpose.
PIP_PACKAGES=('moto[server]==5.2.5' 'mlflow==3.17.2')

log() { printf '[services] %s\n' "$*" >&2; }
now_ms() { date +%s%3N; }

# A free TCP port on 127.0.0.1 (the kernel picks it; the tiny race with other programs is accepted).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { cat "$STATE/$1.pid" 2>/dev/null || true; }
port_of() { cat "$STATE/$1.port" 2>/dev/null || true; }

apt_install() { bash "$ROOT/scripts/apt-install.sh" "$@"; }

# ---------------------------------------------------------------------------------------------- install

ferretdb_bin() {
  local src=$ROOT/scripts/services/ferretdb hash
  hash=$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-12)
  echo "$CACHE/bin/ferretdb-sqlite-$hash"
}

install_ferretdb() {
  local bin
  bin=$(ferretdb_bin)
  [ -x "$bin" ] && return 0
  command -v go >/dev/null || { log "go is not installed: cannot build FerretDB"; return 1; }
  log "building FerretDB 1.24.2 (SQLite backend) from the Go module proxy (first time only, ~2 min)"
  mkdir -p "$CACHE/bin"
  (cd "$ROOT/scripts/services/ferretdb" && go build -trimpath -o "$bin.tmp" .) && mv "$bin.tmp" "$bin"
}

install_venv() {
  # The marker names the pinned packages, so changing a pin reinstalls.
  local marker=$VENV/.installed
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$marker" 2>/dev/null)" = "${PIP_PACKAGES[*]}" ]; then return 0; fi
  log "creating $VENV with ${PIP_PACKAGES[*]} (first time only, a few minutes)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "${PIP_PACKAGES[@]}"
  "$VENV/bin/python" -c 'import moto, mlflow'
  echo "${PIP_PACKAGES[*]}" >"$marker"
}

# An empty, migrated MLflow database, made once: copying it saves the server its table creation.
mlflow_template() {
  local tpl
  tpl=$CACHE/mlflow-template-$(echo "${PIP_PACKAGES[*]}" | sha256sum | cut -c1-12).db
  if [ ! -s "$tpl" ]; then
    rm -f "$tpl.tmp"
    "$VENV/bin/python" -c 'import sys; from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore as S; S("sqlite:///" + sys.argv[1], sys.argv[2])' \
      "$tpl.tmp" "$CACHE/mlflow-template-artifacts" >/dev/null 2>&1 || return 1
    mv "$tpl.tmp" "$tpl"
  fi
  echo "$tpl"
}

install_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  log "installing redis-server (apt)"
  apt_install redis-server
}

# Browser tests need Debian's chromium; installed only, no daemon.
install_chromium() {
  command -v chromium >/dev/null && return 0
  log "installing chromium (apt)"
  apt_install chromium
}

# ---------------------------------------------------------------------------------------------- start

# Starts "$@" in its own session (pid = process group id, so `down` can stop its children too).
spawn() {
  local name=$1; shift
  local port
  port=$(free_port)
  rm -rf "${DATA:?}/$name"
  mkdir -p "$DATA/$name" "$LOGS"
  : >"$LOGS/$name.log"
  local cmd=("${@//@PORT@/$port}")
  cmd=("${cmd[@]//@DIR@/$DATA/$name}")
  if [ -n "${SEED_DB:-}" ]; then cp "$SEED_DB" "$DATA/$name/seed.db"; fi
  setsid "${cmd[@]}" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/$name.pid"
  echo "$port" >"$STATE/$name.port"
  date +%s%3N >"$STATE/$name.started"
}

start_service() {
  case $1 in
    ferretdb) spawn ferretdb "$(ferretdb_bin)" -listen 127.0.0.1:@PORT@ -dir @DIR@ ;;
    moto) spawn moto "$VENV/bin/moto_server" -H 127.0.0.1 -p @PORT@ ;;
    mlflow)
      local db=mlflow.db seed
      seed=$(mlflow_template) || seed=
      [ -n "$seed" ] && db=seed.db
      SEED_DB=$seed spawn mlflow "$VENV/bin/mlflow" server --backend-store-uri "sqlite:///@DIR@/$db" \
        --artifacts-destination @DIR@/artifacts --host 127.0.0.1 --port @PORT@ --workers 1 ;;
    redis)
      spawn redis redis-server --bind 127.0.0.1 --port @PORT@ --save '' --appendonly no \
        --maxmemory-policy noeviction --dir @DIR@ ;;
  esac
}

# One readiness probe; returns 0 when the service answers on its protocol.
probe() {
  local port
  port=$(port_of "$1")
  case $1 in
    ferretdb) (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null ;;
    moto) curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/data.json" 2>/dev/null ;;
    mlflow) curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null | grep -q OK ;;
    redis) [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ] ;;
  esac
}

timeout_of() { case $1 in mlflow) echo 120 ;; *) echo 30 ;; esac; }

# Waits until the service answers, its process dies, or its time runs out.
wait_ready() {
  local name=$1 deadline
  deadline=$(( $(date +%s) + $(timeout_of "$name") ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    alive "$(pid_of "$name")" || return 1
    probe "$name" && return 0
    sleep 0.2
  done
  return 1
}

failed() {
  local name=$1
  log "$name did not start; last lines of $LOGS/$name.log:"
  tail -n 30 "$LOGS/$name.log" >&2 || true
  stop_service "$name"
  if [ "${CI:-}" = true ]; then exit 1; fi
  log "$name is left out of .services/env (the tests that need it will fail)"
}

# ---------------------------------------------------------------------------------------------- stop

stop_service() {
  local name=$1 pid
  pid=$(pid_of "$name")
  if alive "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$STATE/$name.pid" "$STATE/$name.port" "$STATE/$name.started"
}

# ---------------------------------------------------------------------------------------------- env

write_env() {
  local tmp=$STATE/env.tmp name upper port
  {
    echo "# Written by scripts/services.sh; source it: . .services/env"
    for name in "${SERVICES[@]}"; do
      port=$(port_of "$name")
      if ! alive "$(pid_of "$name")" || [ -z "$port" ]; then continue; fi
      case $name in
        ferretdb) echo "export MONGO_TEST_URL=mongodb://127.0.0.1:$port/" ;;
        moto) echo "export S3_TEST_ENDPOINT=http://127.0.0.1:$port" ;;
        mlflow) echo "export MLFLOW_TEST_URI=http://127.0.0.1:$port" ;;
        redis) echo "export REDIS_TEST_URL=redis://127.0.0.1:$port" ;;
      esac
      upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')
      echo "export ${upper}_TEST_PID=$(pid_of "$name")"
      echo "export ${upper}_TEST_LOG=$LOGS/$name.log"
    done
    echo "export FERRETDB_TEST_BIN=$(ferretdb_bin)"
    echo "export SERVICES_TEST_VENV=$VENV"
  } >"$tmp"
  mv "$tmp" "$STATE/env"
}

# ---------------------------------------------------------------------------------------------- commands

cmd_up() {
  local t0 name started=()
  t0=$(now_ms)
  mkdir -p "$STATE" "$LOGS" "$DATA" "$CACHE"
  install_chromium || { [ "${CI:-}" = true ] && exit 1; log "chromium could not be installed"; }
  install_redis
  install_ferretdb
  install_venv
  for name in "${SERVICES[@]}"; do
    if alive "$(pid_of "$name")" && probe "$name"; then continue; fi
    stop_service "$name"
    start_service "$name"
    started+=("$name")
  done
  for name in "${started[@]}"; do
    if wait_ready "$name"; then
      log "$name ready on 127.0.0.1:$(port_of "$name") after $(( $(now_ms) - $(cat "$STATE/$name.started") )) ms"
    else
      failed "$name"
    fi
  done
  write_env
  log "up in $(( $(now_ms) - t0 )) ms; source .services/env"
}

cmd_down() {
  local name pid
  # TERM to all first, so they shut down in parallel; stop_service then waits for each.
  for name in "${SERVICES[@]}"; do
    pid=$(pid_of "$name")
    alive "$pid" && { kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; }
  done
  for name in "${SERVICES[@]}"; do stop_service "$name"; done
  rm -f "$STATE/env"
  log "stopped"
}

cmd_status() {
  local name pid
  for name in "${SERVICES[@]}"; do
    pid=$(pid_of "$name")
    if alive "$pid" && probe "$name"; then
      echo "$name: up on 127.0.0.1:$(port_of "$name") (pid $pid, log $LOGS/$name.log)"
    else
      echo "$name: down"
    fi
  done
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  ferretdb-bin) mkdir -p "$CACHE"; install_ferretdb >&2; ferretdb_bin ;;
  *) echo "usage: bash scripts/services.sh up|down|status|ferretdb-bin" >&2; exit 2 ;;
esac
