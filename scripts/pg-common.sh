# Shared by pg-throwaway.sh and pg-replicated.sh (sourced): where PostgreSQL's binaries are, running
# them as the postgres account under root, and a free loopback port. PG_SCRIPT names the caller in errors.

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$found" ] && command -v initdb >/dev/null 2>&1; then found=$(dirname "$(command -v initdb)"); fi
  [ -n "$found" ] || { echo "${PG_SCRIPT:-pg}: PostgreSQL is not installed (scripts/install-system-deps.sh --with-postgres)" >&2; exit 1; }
  echo "$found"
}

as_owner() {   # PostgreSQL refuses to run as root: use the postgres account then
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
