#!/usr/bin/env bash
# The whole check that `make test` and CI run. Fails on the first failing step.
#
# PostgreSQL and Redis are private to this run (scripts/services.sh, free ports,
# a temporary directory) and are stopped however the run ends.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "system packages and .venv"
bash scripts/bootstrap.sh test
export PATH="$PWD/.venv/bin:$PATH"

services_dir=$(mktemp -d "${TMPDIR:-/tmp}/zorg-test.XXXXXX")
cleanup() {
    local status=$?
    bash scripts/services.sh stop "$services_dir" || true
    rm -rf "$services_dir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "PostgreSQL and Redis"
bash scripts/services.sh start "$services_dir"
# shellcheck source=/dev/null
source "$services_dir/env"
# With DATABASE_URL set the settings insist on a real key: a fresh one per run.
ZORG_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(48))')
export ZORG_SECRET_KEY
# ... and the address links in e-mails point to (every manage.py step below).
export ZORG_BASE_URL=https://zorg.example.org

step "ruff check"
ruff check .

step "ruff format --check"
ruff format --check .

step "makemigrations --check"
python manage.py makemigrations --check --dry-run

step "compilemessages"
python manage.py compilemessages --ignore=.venv --verbosity=0

step "translations up to date"
python manage.py makemessages -l nl -l en --no-obsolete --no-location --ignore=.venv --ignore=tests \
    --ignore=static --verbosity=0
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    if ! git diff --exit-code -I '^"POT-Creation-Date' --stat -- locale/; then
        echo "UI strings changed without their catalogue: run 'make messages' and translate" >&2
        exit 1
    fi
fi

step "check --deploy (production settings)"
(
    export ZORG_DEBUG=0
    export ZORG_ALLOWED_HOSTS=zorg.example.org
    python manage.py check --deploy --fail-level WARNING
)

# Two runs: the bulk in parallel (pytest-xdist, a test database per worker),
# then the browser and real-worker tests one at a time (a live server per test
# and one Redis queue for every Celery worker would only contend). Coverage
# adds up over both.
jobs=${ZORG_TEST_JOBS:-$(nproc)}
pytest_run() {
    local status=0
    DJANGO_ALLOW_ASYNC_UNSAFE=true pytest -p no:cacheprovider "$@" || status=$?
    if [[ $status -eq 5 ]]; then
        echo "pytest collected no tests: that is a failure" >&2
    fi
    return "$status"
}

step "pytest (in parallel: $jobs workers)"
pytest_run -n "$jobs" --dist loadfile -m "not browser and not celery" --cov --cov-report=

step "pytest (browser and Celery worker tests)"
pytest_run -m "browser or celery" --cov --cov-append --cov-report=term:skip-covered

step "make test: all checks passed"
