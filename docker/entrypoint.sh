#!/usr/bin/env bash
# Newsroom's container entrypoint. Also runs natively (CI does) with the virtualenv on PATH.
#
#   entrypoint.sh web       start gunicorn (default); MIGRATE_ON_START=1 runs `release` first
#   entrypoint.sh worker    run background tasks from the queue (scale: as many as needed)
#   entrypoint.sh scheduler queue the periodic tasks (run one; a second one waits on standby)
#   entrypoint.sh release   migrate (under an advisory lock), collect/publish static files; exits
#   entrypoint.sh manage …  any manage.py command, e.g. `manage createsuperuser`
#   entrypoint.sh CMD …     anything else is run as given
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

release() {
  python manage.py release ${STATIC_PUBLISH_DIR:+--publish-static "$STATIC_PUBLISH_DIR"}
}

web() {
  if [ "${MIGRATE_ON_START:-0}" = "1" ]; then
    release
  fi
  # Request metrics of every gunicorn worker process, added up on each /metrics scrape.
  export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-/tmp/newsroom-prometheus}"
  rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
  # exec: gunicorn becomes the process that receives docker's SIGTERM and shuts down gracefully.
  exec gunicorn newsroom.wsgi:application \
    --bind "${GUNICORN_BIND:-0.0.0.0:${PORT:-8000}}" \
    --workers "${GUNICORN_WORKERS:-2}" \
    --threads "${GUNICORN_THREADS:-4}" \
    --timeout "${GUNICORN_TIMEOUT:-30}" \
    --graceful-timeout "${GUNICORN_GRACEFUL_TIMEOUT:-30}" \
    --keep-alive "${GUNICORN_KEEPALIVE:-5}" \
    --max-requests "${GUNICORN_MAX_REQUESTS:-1000}" \
    --max-requests-jitter "${GUNICORN_MAX_REQUESTS_JITTER:-100}" \
    --worker-tmp-dir "${GUNICORN_WORKER_TMP_DIR:-/dev/shm}" \
    --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
    --error-logfile - \
    --log-level "${GUNICORN_LOG_LEVEL:-info}"
}

command=${1:-web}
[ $# -gt 0 ] && shift
case "$command" in
  web) web ;;
  release) release ;;
  worker) exec python manage.py worker "$@" ;;
  scheduler) exec python manage.py scheduler "$@" ;;
  manage) exec python manage.py "$@" ;;
  *) exec "$command" "$@" ;;
esac
