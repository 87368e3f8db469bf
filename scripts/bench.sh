#!/usr/bin/env bash
# `make bench`: `manage.py bench` against a private PostgreSQL and Redis, as in production.
# Extra arguments go to the bench command.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh test
export PATH="$PWD/.venv/bin:$PATH"

services_dir=$(mktemp -d "${TMPDIR:-/tmp}/zorg-bench.XXXXXX")
cleanup() {
    local status=$?
    bash scripts/services.sh stop "$services_dir" || true
    rm -rf "$services_dir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ZORG_PG_STATEMENTS=1 bash scripts/services.sh start "$services_dir"
# shellcheck source=/dev/null
source "$services_dir/env"
# With DATABASE_URL set the settings insist on a real key: a fresh one per run.
ZORG_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(48))')
export ZORG_SECRET_KEY

# Production-like: hashed static files collected, HTTPS handled by the proxy.
export ZORG_STATIC_ROOT="$services_dir/static" ZORG_HTTPS=0 ZORG_BASE_URL=http://127.0.0.1:8000
# Production settings leave the demo (and so `manage.py bench`) out; this
# private, throwaway database is where the demo logins may exist.
export ZORG_DEMO=1
python manage.py collectstatic --noinput --verbosity=0
python manage.py migrate --verbosity=0
python manage.py bench "$@"
