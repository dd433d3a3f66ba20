"""A private PostgreSQL cluster (scripts/pg-throwaway.sh) that a test may stop and start again.

Private, so stopping it never touches the server the rest of the suite uses (GRIDBOOK_TEST_PG).
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import make_url

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "pg-throwaway.sh"


def pg_bin() -> str | None:
    """The folder of initdb/pg_ctl as the script finds it, or None if PostgreSQL is not installed."""
    if os.environ.get("PG_BIN"):
        return os.environ["PG_BIN"]
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[4].split(".")
                                                                           if x.isdigit()])
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return str(Path(initdb).parent) if initdb else None


class PgCluster:
    """`url` is the cluster's postgres database (SQLAlchemy URL); `stop()` and `start()` keep its data."""

    def __init__(self):
        made = subprocess.run(["bash", str(SCRIPT), "start"], capture_output=True, text=True, timeout=120)
        if made.returncode != 0:
            raise RuntimeError(f"pg-throwaway.sh start failed: {made.stderr}")
        exports = dict(line.removeprefix("export ").split("=", 1) for line in made.stdout.splitlines()
                       if line.startswith("export "))
        self.url, self.dir = exports["GRIDBOOK_TEST_PG"], Path(exports["PG_THROWAWAY_DIR"])
        self.port = make_url(self.url).port

    def _pg_ctl(self, *args: str) -> None:
        command = [f"{pg_bin()}/pg_ctl", "-D", str(self.dir / "data"), *args]
        if os.geteuid() == 0:                       # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        """A clean, fast shutdown: open sessions are cut, committed data stays."""
        self._pg_ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._pg_ctl("-l", str(self.dir / "server.log"), "-w", "-t", "60", "-o", options, "start")

    def destroy(self) -> None:
        subprocess.run(["bash", str(SCRIPT), "stop", str(self.dir)], capture_output=True, timeout=120)
