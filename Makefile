# Zorg: the two commands a new machine needs are `make run` and `make test`.
# The logic lives in scripts/ (bash), so traps and error handling work as expected.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PY := .venv/bin/python
# `make run PORT=8080` when 8000 is taken.
PORT ?= 8000

.PHONY: help run test bench messages clean

help:
	@echo "make run       install what is missing, migrate, load demo data, serve on http://127.0.0.1:$(PORT) (PORT=...)"
	@echo "make test      lint, migration and deploy checks, full test suite on a private PostgreSQL + Redis"
	@echo "make bench     performance benchmark on a private PostgreSQL + Redis (BENCH_ARGS=... for options)"
	@echo "make lock      refresh requirements/*.txt (pinned, hashed) from pyproject.toml; UPGRADE=1: newest allowed"
	@echo "make messages  update locale/*/LC_MESSAGES/django.po from the code, then compile them"
	@echo "make clean     remove .venv, the SQLite database and generated files"

# Embedded mode: no environment variables needed (SQLite in ./zorg.sqlite3, Celery eager).
run:
	@bash scripts/bootstrap.sh run
	@if command -v msgfmt >/dev/null; then \
		$(PY) manage.py compilemessages --ignore=.venv --verbosity=0; \
	else \
		echo "make run: gettext (msgfmt) is missing, the UI is shown untranslated"; \
	fi
	$(PY) manage.py migrate
	$(PY) manage.py demo
	ZORG_BASE_URL="$${ZORG_BASE_URL:-http://127.0.0.1:$(PORT)}" $(PY) manage.py runserver 127.0.0.1:$(PORT)

test:
	@bash scripts/test.sh

bench:
	@bash scripts/bench.sh $(BENCH_ARGS)

messages:
	@bash scripts/bootstrap.sh run
	$(PY) manage.py makemessages -l nl -l en --no-obsolete --no-location --ignore=.venv --ignore=tests --ignore=static
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf .venv zorg.sqlite3 zorg.sqlite3-* zorg.egg-info .coverage htmlcov staticfiles

# The lock files make run, make test and the Dockerfile install from.
.PHONY: lock
lock:
	@bash scripts/lock.sh
