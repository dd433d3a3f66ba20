#!/usr/bin/env bash
# A primary PostgreSQL cluster and its streaming-replication hot standby, for the failover tests:
# both in one temp dir, free ports, 127.0.0.1 only. The standby is made with pg_basebackup from
# the running primary and replicates synchronously (synchronous_standby_names = standby1,
# synchronous_commit = on): a commit the primary acknowledged is flushed on the standby too.
#
#   eval "$(scripts/pg-replicated.sh start)"   # exports GRIDBOOK_PG_PRIMARY, GRIDBOOK_PG_STANDBY (URLs), PG_REPLICATED_DIR
#   scripts/pg-replicated.sh kill-primary "$PG_REPLICATED_DIR"     # SIGKILL the primary's postmaster (and its children)
#   scripts/pg-replicated.sh promote "$PG_REPLICATED_DIR"          # the standby becomes a primary (read-write)
#   scripts/pg-replicated.sh stop-standby|start-standby "$PG_REPLICATED_DIR"   # the standby down: writes wait
#   scripts/pg-replicated.sh stop "$PG_REPLICATED_DIR"             # both gone, the dir removed
#
# Like pg-throwaway.sh, fsync is off (a test's data dies with its dir; a killed process loses
# nothing the OS has): a real city keeps fsync on (PG_FSYNC=on). PG_SYNC_COMMIT=remote_apply makes a commit
# wait until the standby has applied it (visible to its readers), not just flushed it.
# Fails loudly (non-zero, reason on stderr) if PostgreSQL is missing or will not start.
set -euo pipefail

PG_SCRIPT=pg-replicated
# shellcheck source=scripts/pg-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg-common.sh"

fail() { echo "pg-replicated: $*" >&2; exit 1; }

url() { echo "postgresql+psycopg://gridbook@127.0.0.1:$1/postgres"; }

# settings both clusters share; each data dir's postgresql.conf gets them appended (the last line wins)
common_conf() {
  cat <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$1'
max_connections = 200
fsync = ${PG_FSYNC:-off}
full_page_writes = ${PG_FSYNC:-off}
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
EOF
}

start_cluster() {   # DIR NAME
  as_owner "$(pg_bin)/pg_ctl" -D "$1/$2" -l "$1/$2.log" -w -t 60 start >/dev/null \
    || { cat "$1/$2.log" >&2; fail "the $2 did not start"; }
}

psql_at() {   # PORT SQL
  as_owner "$(pg_bin)/psql" -h 127.0.0.1 -p "$1" -U gridbook -d postgres -XAtqc "$2"
}

start() {
  local bin dir primary_port standby_port sync_commit=${PG_SYNC_COMMIT:-on}
  bin=$(pg_bin)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/gridbook-pgrep.XXXXXX")
  chmod 755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
  primary_port=$(free_port)
  standby_port=$(free_port)
  while [ "$standby_port" = "$primary_port" ]; do standby_port=$(free_port); done
  printf '%s\n%s\n' "$primary_port" "$standby_port" >"$dir/ports"

  as_owner "$bin/initdb" -D "$dir/primary" -U gridbook --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; fail "initdb failed"; }
  # initdb's pg_hba.conf already trusts replication connections from 127.0.0.1
  { common_conf "$dir"
    echo "port = $primary_port"
    echo "synchronous_standby_names = 'standby1'"
    echo "synchronous_commit = $sync_commit"
  } | as_owner tee -a "$dir/primary/postgresql.conf" >/dev/null
  start_cluster "$dir" primary

  # the standby: a base backup of the running primary through a physical slot (the primary keeps
  # the WAL the standby has not had yet), -R writes standby.signal and primary_conninfo
  as_owner "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U gridbook -D "$dir/standby" \
    -X stream -C -S standby1 -R --checkpoint=fast >"$dir/basebackup.log" 2>&1 \
    || { cat "$dir/basebackup.log" >&2; fail "pg_basebackup failed"; }
  # its own port; it names itself standby1 (what the primary waits for); promoted, it waits for nobody.
  # postgresql.auto.conf, where -R wrote its primary_conninfo: it is read last, so these lines win
  { echo "port = $standby_port"
    echo "synchronous_standby_names = ''"
    echo "primary_conninfo = 'host=127.0.0.1 port=$primary_port user=gridbook application_name=standby1'"
  } | as_owner tee -a "$dir/standby/postgresql.auto.conf" >/dev/null
  start_cluster "$dir" standby

  local state="" i
  for i in $(seq 1 300); do
    state=$(psql_at "$primary_port" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'" || true)
    [ "$state" = "sync" ] && break
    sleep 0.1
  done
  [ "$state" = "sync" ] || { cat "$dir/standby.log" >&2; fail "the standby is not replicating synchronously ($state)"; }

  echo "export GRIDBOOK_PG_PRIMARY=$(url "$primary_port")"
  echo "export GRIDBOOK_PG_STANDBY=$(url "$standby_port")"
  echo "export PG_REPLICATED_DIR=$dir"
  echo "pg-replicated: primary $(url "$primary_port"), synchronous hot standby $(url "$standby_port") ($dir)" >&2
}

need_dir() { [ -n "${1:-}" ] && [ -f "$1/ports" ] || fail "usage: $0 ${2:-COMMAND} DIR (the PG_REPLICATED_DIR of start)"; }

kill_primary() {   # the primary's machine dies: SIGKILL the postmaster, then what it leaves running
  need_dir "${1:-}" kill-primary
  local dir=$1 pid children
  [ -f "$dir/primary/postmaster.pid" ] || fail "the primary is not running"
  pid=$(head -1 "$dir/primary/postmaster.pid")
  children=$(ps -o pid= --ppid "$pid" || true)
  kill -KILL "$pid"
  # orphaned backends notice the postmaster's death and exit by themselves; a dead machine's do not linger
  for child in $children; do kill -KILL "$child" 2>/dev/null || true; done
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  echo "pg-replicated: primary postmaster $pid killed" >&2
}

promote() {
  need_dir "${1:-}" promote
  as_owner "$(pg_bin)/pg_ctl" -D "$1/standby" -w -t 60 promote >/dev/null || fail "promotion failed"
  echo "pg-replicated: the standby is the primary now: $(url "$(sed -n 2p "$1/ports")")" >&2
}

stop_standby() {
  need_dir "${1:-}" stop-standby
  as_owner "$(pg_bin)/pg_ctl" -D "$1/standby" -m fast -w stop >/dev/null
}

stop() {
  local dir=${1:-}
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  for cluster in standby primary; do
    if [ -f "$dir/$cluster/postmaster.pid" ]; then
      as_owner "$(pg_bin)/pg_ctl" -D "$dir/$cluster" -m immediate -w stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$dir"
}

case "${1:-start}" in
  start) start ;;
  kill-primary) kill_primary "${2:-${PG_REPLICATED_DIR:-}}" ;;
  promote) promote "${2:-${PG_REPLICATED_DIR:-}}" ;;
  stop-standby) stop_standby "${2:-${PG_REPLICATED_DIR:-}}" ;;
  start-standby) need_dir "${2:-${PG_REPLICATED_DIR:-}}" start-standby; start_cluster "${2:-$PG_REPLICATED_DIR}" standby ;;
  stop) stop "${2:-${PG_REPLICATED_DIR:-}}" ;;
  *) echo "usage: $0 start | kill-primary DIR | promote DIR | stop-standby DIR | start-standby DIR | stop DIR" >&2; exit 2 ;;
esac
