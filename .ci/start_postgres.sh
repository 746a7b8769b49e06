#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the library tests (tests marked `postgres`).
#
# Usage:
#     source .ci/start_postgres.sh                 # exports OPINION_LENS_TEST_PG_URL (and _DATA); the
#                                                  # server is stopped when the sourcing shell exits
#     eval "$(bash .ci/start_postgres.sh)"         # the same when run: stdout has only `export` lines
#     bash .ci/start_postgres.sh --stop            # stops the server named by OPINION_LENS_TEST_PG_DATA
# Logs go to stderr.
#
# Works as root (CI runs as root; initdb refuses root, so the cluster is owned by the `postgres`
# user, created if missing) and as an ordinary user. On a fresh Debian machine without PostgreSQL it
# installs the `postgresql` package first. The server listens on 127.0.0.1 on a free port, trusts
# local connections (it lives only for the test run) and keeps everything under one temp folder.
_opinion_lens_pg_main() (
    set -euo pipefail

    log() { echo "start_postgres: $*" >&2; }

    find_bindir() {
        local dir
        for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
            if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
                echo "$dir"
                return 0
            fi
        done
        if command -v pg_config >/dev/null 2>&1; then
            dir="$(pg_config --bindir)"
            if [[ -x "$dir/initdb" ]]; then echo "$dir"; return 0; fi
        fi
        if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
            dirname "$(command -v initdb)"
            return 0
        fi
        return 1
    }

    # Run a command as the cluster owner (postgres when we are root, ourselves otherwise).
    as_owner() {
        if [[ "$(id -u)" == "0" ]]; then
            if command -v runuser >/dev/null 2>&1; then
                runuser -u postgres -- "$@"
            else
                su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
            fi
        else
            "$@"
        fi
    }

    if [[ "${1:-}" == "--stop" ]]; then
        data="${OPINION_LENS_TEST_PG_DATA:-${2:-}}"
        if [[ -z "$data" || ! -d "$data/pgdata" ]]; then
            log "nothing to stop (OPINION_LENS_TEST_PG_DATA unset or not a cluster)"
            exit 0
        fi
        bindir="$(find_bindir)"
        as_owner "$bindir/pg_ctl" -D "$data/pgdata" -m fast -w stop >&2 || true
        rm -rf "$data"
        log "stopped and removed $data"
        exit 0
    fi

    if ! bindir="$(find_bindir)"; then
        if [[ "$(id -u)" != "0" ]]; then
            log "PostgreSQL is not installed and we are not root to install it"
            exit 1
        fi
        log "PostgreSQL not found; installing the Debian package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update >&2
        apt-get install -y --no-install-recommends postgresql >&2
        bindir="$(find_bindir)" || { log "PostgreSQL still not found after install"; exit 1; }
    fi
    log "using $bindir"

    if [[ "$(id -u)" == "0" ]] && ! id postgres >/dev/null 2>&1; then
        log "creating the postgres system user"
        useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres
    fi

    base="$(mktemp -d "${TMPDIR:-/tmp}/opinion-lens-pg.XXXXXX")"
    chmod 755 "$base"
    if [[ "$(id -u)" == "0" ]]; then chown postgres: "$base"; fi

    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

    as_owner "$bindir/initdb" -D "$base/pgdata" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 \
        || as_owner "$bindir/initdb" -D "$base/pgdata" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$base/initdb.log" 2>&1 \
        || { cat "$base/initdb.log" >&2; log "initdb failed"; exit 1; }

    as_owner "$bindir/pg_ctl" -D "$base/pgdata" -l "$base/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $base -c fsync=off -c max_connections=100" start >&2 \
        || { cat "$base/server.log" >&2; log "server did not start"; exit 1; }

    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres opinion_lens_test >&2

    url="postgresql+psycopg://postgres@127.0.0.1:$port/opinion_lens_test"
    log "PostgreSQL ready at $url (data in $base)"
    echo "export OPINION_LENS_TEST_PG_URL='$url'"
    echo "export OPINION_LENS_TEST_PG_DATA='$base'"
)

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    # Sourced (as by .ci/run): export into the caller and stop the server when it exits, unless the
    # caller already has an EXIT trap (then it is theirs to stop with --stop).
    _opinion_lens_pg_exports="$(_opinion_lens_pg_main "$@")" || return 1
    eval "$_opinion_lens_pg_exports"
    unset _opinion_lens_pg_exports
    if [[ "${1:-}" != "--stop" && -z "$(trap -p EXIT)" ]]; then
        trap 'bash "'"$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"'/start_postgres.sh" --stop' EXIT
    fi
else
    _opinion_lens_pg_main "$@"
fi
