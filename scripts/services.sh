#!/usr/bin/env bash
# Private PostgreSQL and Redis for one test or benchmark run.
#
#   scripts/services.sh start DIR   start both on free ports of 127.0.0.1, data in DIR,
#                                   and write DIR/env (DATABASE_URL, REDIS_URL)
#   scripts/services.sh stop DIR    stop both (safe to call twice, or after a failed start)
#
# ZORG_PG_STATEMENTS=1 loads pg_stat_statements (track = all) and installs it in
# the zorg database, readable and resettable by the zorg role: `make bench` counts
# what PostgreSQL executes per page with it.
#
# Nothing outside DIR is touched: no system cluster, no systemd, no fixed ports,
# so several runs can go on side by side. DIR itself is left for the caller to remove.
set -euo pipefail

die() {
    echo "services.sh: $*" >&2
    exit 1
}

usage() {
    die "usage: $0 start|stop DIR"
}

[[ $# -eq 2 ]] || usage
action=$1
dir=$2

find_pg_bin() {
    local candidate
    if [[ -n ${PG_BIN:-} ]]; then
        [[ -x $PG_BIN/initdb ]] || die "PG_BIN=$PG_BIN has no initdb"
        echo "$PG_BIN"
        return
    fi
    # Newest installed major version first.
    for candidate in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k4 -rn); do
        if [[ -x $candidate/initdb && -x $candidate/pg_ctl ]]; then
            echo "$candidate"
            return
        fi
    done
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v initdb)"
        return
    fi
    die "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin" \
        "or on PATH; on Debian: apt-get install postgresql"
}

# initdb and postgres refuse to run as root: as root, run them as the postgres user.
as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'PY'
import socket

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
}

random_hex() {
    od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

start() {
    local pg_bin pg_port redis_port su_pass zorg_pass i

    pg_bin=$(find_pg_bin)
    command -v redis-server >/dev/null || die "redis-server not found; on Debian: apt-get install redis-server"
    command -v redis-cli >/dev/null || die "redis-cli not found; on Debian: apt-get install redis-tools"
    command -v python3 >/dev/null || die "python3 not found"
    [[ -x $pg_bin/psql ]] || die "$pg_bin/psql not found; on Debian: apt-get install postgresql-client"

    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [[ -e $dir/pgdata ]] && die "$dir/pgdata exists already; stop and remove the old run first"

    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (apt-get install postgresql)"
        chown postgres: "$dir"
        chmod 700 "$dir"
        runuser -u postgres -- test -w "$dir" ||
            die "user postgres cannot write to $dir (is a parent directory closed to it?); use a directory under /tmp"
    fi

    # If anything below fails, do not leave half-started servers behind.
    started=0
    trap 'if [[ $started != 1 ]]; then echo "services.sh: start failed, stopping what was started" >&2; stop || true; fi' EXIT

    pg_port=$(free_port)
    redis_port=$(free_port)
    while [[ $redis_port == "$pg_port" ]]; do redis_port=$(free_port); done
    su_pass=$(random_hex 16)
    zorg_pass=$(random_hex 16)

    cat >"$dir/state" <<EOF
PG_BIN_USED=$pg_bin
PG_PORT=$pg_port
REDIS_PORT=$redis_port
EOF

    # --- PostgreSQL ---------------------------------------------------------
    as_pg mkdir -m 700 "$dir/pgsocket"
    # shellcheck disable=SC2016  # $1 is expanded by the inner sh
    as_pg sh -c 'umask 077 && cat >"$1"' sh "$dir/pgsuperpass" <<<"$su_pass"
    # Local (socket) connections are trusted: the socket lives in a directory
    # only the cluster's owner can enter. TCP needs a password.
    as_pg "$pg_bin/initdb" --pgdata="$dir/pgdata" --username=postgres \
        --pwfile="$dir/pgsuperpass" --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed"; }

    # shellcheck disable=SC2016
    as_pg sh -c 'cat >>"$1"' sh "$dir/pgdata/postgresql.conf" <<EOF

# services.sh: a throwaway cluster, speed over durability
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$dir/pgsocket'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
logging_collector = off
EOF
    if [[ ${ZORG_PG_STATEMENTS:-0} == 1 ]]; then
        # For `make bench`: what PostgreSQL executes, nested statements (the
        # foreign-key checks of triggers, functions) included.
        # shellcheck disable=SC2016
        as_pg sh -c 'cat >>"$1"' sh "$dir/pgdata/postgresql.conf" <<EOF
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
pg_stat_statements.max = 10000
EOF
    fi

    as_pg "$pg_bin/pg_ctl" --pgdata="$dir/pgdata" --log="$dir/postgres.log" \
        --wait --timeout=60 --silent start ||
        { cat "$dir/postgres.log" >&2; die "PostgreSQL did not start"; }

    for i in $(seq 1 60); do
        "$pg_bin/pg_isready" --quiet --host=127.0.0.1 --port="$pg_port" && break
        [[ $i -eq 60 ]] && { cat "$dir/postgres.log" >&2; die "PostgreSQL does not accept connections on port $pg_port"; }
        sleep 0.5
    done

    as_pg "$pg_bin/psql" --quiet --no-psqlrc --set=ON_ERROR_STOP=1 \
        --host="$dir/pgsocket" --port="$pg_port" --username=postgres --dbname=postgres \
        --command="CREATE ROLE zorg LOGIN CREATEDB CREATEROLE PASSWORD '$zorg_pass'" \
        --command="CREATE DATABASE zorg OWNER zorg" >/dev/null
    if [[ ${ZORG_PG_STATEMENTS:-0} == 1 ]]; then
        # The extension in the zorg database; the zorg role may read every
        # statement's figures and reset them (it is not a superuser).
        as_pg "$pg_bin/psql" --quiet --no-psqlrc --set=ON_ERROR_STOP=1 \
            --host="$dir/pgsocket" --port="$pg_port" --username=postgres --dbname=zorg \
            --command="CREATE EXTENSION pg_stat_statements" \
            --command="GRANT pg_read_all_stats TO zorg" \
            --command="GRANT EXECUTE ON FUNCTION pg_stat_statements_reset(oid, oid, bigint) TO zorg" \
            >/dev/null
    fi

    # --- Redis --------------------------------------------------------------
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" ||
        die "redis-server did not start"
    for i in $(seq 1 60); do
        [[ $(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null) == PONG ]] && break
        [[ $i -eq 60 ]] && { cat "$dir/redis.log" >&2; die "Redis does not answer on port $redis_port"; }
        sleep 0.5
    done

    # --- check the URLs we hand out -----------------------------------------
    PGPASSWORD=$zorg_pass "$pg_bin/psql" --quiet --no-psqlrc --tuples-only \
        --host=127.0.0.1 --port="$pg_port" --username=zorg --dbname=zorg \
        --command='SELECT 1' >/dev/null ||
        die "cannot log in as zorg over TCP"

    (
        umask 077
        cat >"$dir/env" <<EOF
export DATABASE_URL=postgres://zorg:$zorg_pass@127.0.0.1:$pg_port/zorg
export REDIS_URL=redis://127.0.0.1:$redis_port/0
EOF
    )
    started=1
    echo "services.sh: PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port; env in $dir/env"
}

stop() {
    local pg_bin="" redis_port="" pid
    [[ -d $dir ]] || return 0
    if [[ -f $dir/state ]]; then
        pg_bin=$(sed -n 's/^PG_BIN_USED=//p' "$dir/state")
        redis_port=$(sed -n 's/^REDIS_PORT=//p' "$dir/state")
    fi

    if [[ -f $dir/pgdata/postmaster.pid ]]; then
        [[ -n $pg_bin ]] || pg_bin=$(find_pg_bin)
        as_pg "$pg_bin/pg_ctl" --pgdata="$dir/pgdata" --mode=fast --wait --timeout=30 --silent stop ||
            as_pg "$pg_bin/pg_ctl" --pgdata="$dir/pgdata" --mode=immediate --wait --silent stop ||
            echo "services.sh: could not stop PostgreSQL in $dir/pgdata" >&2
    fi

    if [[ -f $dir/redis.pid ]]; then
        pid=$(cat "$dir/redis.pid")
        if [[ -n $redis_port ]]; then
            redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
        fi
        for _ in $(seq 1 20); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
        fi
        rm -f "$dir/redis.pid"
    fi
    rm -f "$dir/env"
}

case $action in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
