#!/usr/bin/env bash
# The production processes without Docker: what docker-compose.yml runs (migrations, static
# files, gunicorn with deploy/gunicorn.conf.py, Celery workers and beat), started in the
# background against a local PostgreSQL and Redis, with pid and log files in $RUN_DIR.
#
#   deploy/serve-prod.sh start              # migrate, collectstatic, web, workers, beat
#   deploy/serve-prod.sh stop               # stop everything this RUN_DIR started
#   deploy/serve-prod.sh status
#   deploy/serve-prod.sh start-worker NAME  # one more Celery worker (scale out)
#   deploy/serve-prod.sh stop-worker NAME
#
# Settings come from the environment as in production (see .env.example); the defaults below
# only fill in what a local run needs.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.venv/bin}
RUN_DIR=${RUN_DIR:-var/prod}
PORT=${PORT:-8000}
CELERY_WORKERS=${CELERY_WORKERS:-1}
CELERY_CONCURRENCY=${CELERY_CONCURRENCY:-2}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bpdialogue}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export GUNICORN_BIND=${GUNICORN_BIND:-127.0.0.1:$PORT}
export GUNICORN_WORKER_TMP_DIR=${GUNICORN_WORKER_TMP_DIR:-/tmp}
export MEDIA_ROOT=${MEDIA_ROOT:-$PWD/media}
mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd)

if [ -z "${SECRET_KEY:-}" ]; then
  # A key of this installation, made once and kept beside the pid files (never committed).
  [ -s "$RUN_DIR/secret_key" ] || (umask 077 && "$BIN/python" -c \
    "import secrets; print(secrets.token_urlsafe(50))" > "$RUN_DIR/secret_key")
  SECRET_KEY=$(cat "$RUN_DIR/secret_key")
fi
export SECRET_KEY

# Start a command in its own session (so stopping it also stops its children) and record its pid.
launch() {
  local name=$1; shift
  if is_running "$name"; then echo "$name already running (pid $(cat "$RUN_DIR/$name.pid"))"; return; fi
  setsid nohup "$@" >> "$RUN_DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN_DIR/$name.pid"
  echo "started $name (pid $!, log $RUN_DIR/$name.log)"
}

is_running() {
  [ -s "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null
}

halt() {
  local name=$1 pid
  [ -s "$RUN_DIR/$name.pid" ] || return 0
  pid=$(cat "$RUN_DIR/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    # gunicorn and Celery finish the requests and tasks in hand first.
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
    kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null
    echo "stopped $name (pid $pid)"
  fi
  rm -f "$RUN_DIR/$name.pid"
}

ensure_database() {
  # Create the database on first start, as the postgres image does from POSTGRES_DB.
  local dbname=${DATABASE_URL##*/}
  dbname=${dbname%%\?*}
  if ! psql "$DATABASE_URL" -Atqc 'SELECT 1' >/dev/null 2>&1; then
    psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE \"$dbname\""
  fi
}

start_worker() {
  launch "worker-$1" "$BIN/celery" -A bpdialogue worker -n "$1@%h" \
    --concurrency "$CELERY_CONCURRENCY" --loglevel INFO
}

wait_until_healthy() {
  for _ in $(seq 60); do
    if "$BIN/python" - "$GUNICORN_BIND" <<'PY' 2>/dev/null; then return 0; fi
import sys, urllib.request
urllib.request.urlopen(f"http://{sys.argv[1]}/healthz", timeout=2).read()
PY
    is_running web || { echo "gunicorn exited; see $RUN_DIR/web.log" >&2; return 1; }
    sleep 0.5
  done
  echo "gunicorn did not answer /healthz; see $RUN_DIR/web.log" >&2
  return 1
}

case "${1:-start}" in
  start)
    [[ $DATABASE_URL == postgres* ]] && ensure_database
    "$BIN/python" manage.py migrate --noinput
    "$BIN/python" manage.py collectstatic --noinput -v 0
    launch web "$BIN/gunicorn" -c deploy/gunicorn.conf.py bpdialogue.wsgi:application
    for i in $(seq "$CELERY_WORKERS"); do start_worker "worker$i"; done
    launch beat "$BIN/celery" -A bpdialogue beat --loglevel INFO \
      --schedule "$RUN_DIR/celerybeat-schedule"
    wait_until_healthy
    echo "serving on http://$GUNICORN_BIND/ (stop with: make stop-prod)"
    ;;
  stop)
    for pidfile in "$RUN_DIR"/*.pid; do
      [ -e "$pidfile" ] && halt "$(basename "$pidfile" .pid)"
    done
    ;;
  status)
    for pidfile in "$RUN_DIR"/*.pid; do
      [ -e "$pidfile" ] || continue
      name=$(basename "$pidfile" .pid)
      if is_running "$name"; then echo "$name running (pid $(cat "$pidfile"))"; else echo "$name dead"; fi
    done
    ;;
  start-worker) start_worker "${2:?worker name}" ;;
  stop-worker) halt "worker-${2:?worker name}" ;;
  *) echo "usage: $0 [start|stop|status|start-worker NAME|stop-worker NAME]" >&2; exit 2 ;;
esac
