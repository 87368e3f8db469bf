#!/usr/bin/env bash
# Refresh the lock files from pyproject.toml (`make lock`):
#
#   requirements/run.txt    the dependencies: make run, the Dockerfile, production
#   requirements/test.txt   plus the `test` extra: make test, make bench, CI
#
# Every package pinned to one version with the hashes of all its files, for
# Python 3.11 and newer on every platform (uv's universal resolution), so
# `pip install --require-hashes -r ...` gets exactly what CI tested. test.txt
# is constrained by run.txt: a package both need has the same version in both.
#
# uv runs from a throwaway virtualenv, at the version pinned here; the
# installs themselves need only pip.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
python=${PYTHON:-python3}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zorg-lock.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "lock: installing uv $UV_VERSION in a throwaway virtualenv" >&2
"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"

compile() {
    "$tmp/venv/bin/uv" pip compile pyproject.toml --quiet --universal --python-version 3.11 \
        --generate-hashes --custom-compile-command "make lock" "$@"
}
# Keep the versions already locked unless pyproject.toml asks for others;
# `make lock UPGRADE=1` moves every package to its newest allowed version.
upgrade=()
[[ -n ${UPGRADE:-} ]] && upgrade=(--upgrade)

mkdir -p requirements
compile "${upgrade[@]}" --output-file requirements/run.txt
compile "${upgrade[@]}" --extra test --constraint requirements/run.txt \
    --output-file requirements/test.txt
echo "lock: wrote requirements/run.txt and requirements/test.txt" >&2
