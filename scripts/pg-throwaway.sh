#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the station tests: initdb (as the postgres user when
# run as root) in a temp dir, a free port, listening on 127.0.0.1 only, fsync off.
#
#   eval "$(scripts/pg-throwaway.sh start)"   # exports GRIDBOOK_TEST_PG (the URL) and PG_THROWAWAY_DIR
#   scripts/pg-throwaway.sh stop "$PG_THROWAWAY_DIR"
#
# Fails loudly (non-zero, reason on stderr) if PostgreSQL is missing or will not start.
set -euo pipefail

PG_SCRIPT=pg-throwaway
# shellcheck source=scripts/pg-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg-common.sh"

start() {
  local bin dir port
  bin=$(pg_bin)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/gridbook-pg.XXXXXX")
  chmod 755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
  port=$(free_port)
  as_owner "$bin/initdb" -D "$dir/data" -U gridbook --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; echo "pg-throwaway: initdb failed" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null || { cat "$dir/server.log" >&2; echo "pg-throwaway: the server did not start" >&2; exit 1; }
  echo "export GRIDBOOK_TEST_PG=postgresql+psycopg://gridbook@127.0.0.1:$port/postgres"
  echo "export PG_THROWAWAY_DIR=$dir"
  echo "pg-throwaway: PostgreSQL on postgresql+psycopg://gridbook@127.0.0.1:$port/postgres ($dir)" >&2
}

stop() {
  local dir=${1:?usage: pg-throwaway.sh stop DIR}
  [ -d "$dir/data" ] || return 0
  as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-start}" in
  start) start ;;
  stop) stop "${2:-${PG_THROWAWAY_DIR:-}}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
