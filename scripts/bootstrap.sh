#!/usr/bin/env bash
# Make this checkout ready to run: system packages, .venv, Python packages.
#
#   scripts/bootstrap.sh run    what `make run` needs (embedded mode: SQLite, Celery eager)
#   scripts/bootstrap.sh test   what `make test` and `make bench` need (adds PostgreSQL,
#                               Redis, Chromium and the test extra)
#
# Missing Debian packages are installed when we are root on Debian; otherwise the
# script says what is missing. Python packages come from the lock file
# (requirements/run.txt or test.txt, `make lock`), every one pinned and checked
# against its hash; `pip install` is skipped while the lock file is older than
# the stamp file it leaves in .venv. Zorg itself is not installed: it runs from
# this checkout (manage.py, and gunicorn and celery started in it).
set -euo pipefail

mode=${1:-run}
case $mode in
    run | test) ;;
    *)
        echo "usage: $0 run|test" >&2
        exit 2
        ;;
esac

cd "$(dirname "$0")/.."
venv=.venv
python=${PYTHON:-python3}

say() { echo "bootstrap: $*" >&2; }

is_root() { [[ $(id -u) -eq 0 ]]; }
is_debian() { [[ -r /etc/debian_version ]] && command -v apt-get >/dev/null; }

apt_updated=0
apt_install() {
    if [[ $apt_updated -eq 0 ]]; then
        say "apt-get update"
        apt-get update -qq
        apt_updated=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# A Debian package counts as present when it is installed (dpkg) ...
deb_installed() {
    [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}
# ... or, off Debian, when the shared library is known to the loader.
lib_present() {
    local package=$1 soname=$2
    if command -v dpkg-query >/dev/null; then
        deb_installed "$package"
    else
        ldconfig -p 2>/dev/null | grep -q "$soname"
    fi
}

have_postgresql() {
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null
}

# Prints the Debian packages this mode needs and does not have.
missing_packages() {
    local missing=()
    command -v msgfmt >/dev/null || missing+=(gettext)
    # WeasyPrint (PDF reports) loads these with ctypes at import time.
    lib_present libpango-1.0-0 libpango-1.0.so.0 || missing+=(libpango-1.0-0)
    lib_present libpangoft2-1.0-0 libpangoft2-1.0.so.0 || missing+=(libpangoft2-1.0-0)
    lib_present libharfbuzz-subset0 libharfbuzz-subset.so.0 || missing+=(libharfbuzz-subset0)
    if [[ $mode == test ]]; then
        have_postgresql || missing+=(postgresql)
        command -v redis-server >/dev/null || missing+=(redis-server)
        command -v redis-cli >/dev/null || missing+=(redis-tools)
        command -v chromium >/dev/null || missing+=(chromium)
    fi
    echo "${missing[@]}"
}

install_system_packages() {
    local missing
    missing=$(missing_packages)
    [[ -z $missing ]] && return 0
    if is_root && is_debian; then
        # shellcheck disable=SC2086
        apt_install $missing
    elif [[ $mode == test ]]; then
        say "missing system packages: $missing"
        say "install them (Debian: sudo apt-get install $missing) or run as root"
        exit 1
    else
        # The app still runs without them: no translations / no PDF export.
        say "warning: missing system packages: $missing (Debian: sudo apt-get install $missing)"
    fi
}

venv_works() {
    [[ -x $venv/bin/python ]] && "$venv/bin/python" -c 'import sys, pip' >/dev/null 2>&1
}

create_venv() {
    venv_works && return 0
    command -v "$python" >/dev/null || {
        say "$python not found; Zorg needs Python 3.11 or newer"
        exit 1
    }
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
        say "$("$python" --version) is too old; Zorg needs Python 3.11 or newer (set PYTHON=...)"
        exit 1
    }
    rm -rf "$venv"
    if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
        rm -rf "$venv"
        if is_root && is_debian; then
            apt_install python3-venv
            "$python" -m venv "$venv"
        else
            say "'$python -m venv' failed; on Debian install python3-venv (sudo apt-get install python3-venv)"
            exit 1
        fi
    fi
}

pip_install() {
    local lock stamp
    if [[ $mode == test ]]; then
        lock=requirements/test.txt
        stamp=$venv/.installed-test
    else
        lock=requirements/run.txt
        stamp=$venv/.installed-run
    fi
    # test.txt holds everything run.txt does, at the same versions.
    if [[ $stamp -nt $lock ]] ||
        { [[ $mode == run ]] && [[ $venv/.installed-test -nt requirements/test.txt ]] &&
            [[ $venv/.installed-test -nt $lock ]]; }; then
        return 0
    fi
    # The lock holds every package of the closure, so pip need not resolve
    # (--no-deps): resolving an extra a package asks for (weasyprint's
    # fonttools[woff]) makes pip look past the pinned version for a newer
    # one, which hash-checking mode then refuses. `pip check` still proves
    # the installed set consistent.
    say "pip install --no-deps --require-hashes -r $lock (log: $venv/pip.log)"
    if ! { "$venv/bin/python" -m pip install --disable-pip-version-check --no-deps \
        --require-hashes -r "$lock" && "$venv/bin/python" -m pip check; } >"$venv/pip.log" 2>&1; then
        tail -n 40 "$venv/pip.log" >&2
        say "pip install failed, see $venv/pip.log"
        exit 1
    fi
    touch "$stamp"
}

install_system_packages
create_venv
pip_install
