"""A primary PostgreSQL and its synchronous hot standby (scripts/pg-replicated.sh) for the failover tests."""
from __future__ import annotations

import subprocess
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "pg-replicated.sh"


class ReplicatedPg:
    """`primary` and `standby` are the clusters' postgres databases (SQLAlchemy URLs)."""

    def __init__(self):
        made = self._script("start")
        exports = dict(line.removeprefix("export ").split("=", 1) for line in made.stdout.splitlines()
                       if line.startswith("export "))
        self.primary, self.standby = exports["GRIDBOOK_PG_PRIMARY"], exports["GRIDBOOK_PG_STANDBY"]
        self.dir = Path(exports["PG_REPLICATED_DIR"])

    def _script(self, *args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"pg-replicated.sh {' '.join(args)} failed: {done.stderr}")
        return done

    def database(self, name: str) -> tuple[str, str]:
        """Create `name` on the primary (it reaches the standby by replication): its URL on each."""
        self.sql(f'CREATE DATABASE "{name}"')
        return tuple(make_url(u).set(database=name).render_as_string(hide_password=False)
                     for u in (self.primary, self.standby))

    def sql(self, statement: str, on: str = "primary"):
        """One statement outside a transaction, as the operator would type it in psql: its first value."""
        engine = create_engine(self.primary if on == "primary" else self.standby, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                done = conn.execute(text(statement))
                return done.scalar() if done.returns_rows else None
        finally:
            engine.dispose()

    def kill_primary(self) -> None:
        self._script("kill-primary", str(self.dir))

    def promote(self) -> None:
        self._script("promote", str(self.dir))

    def stop_standby(self) -> None:
        self._script("stop-standby", str(self.dir))

    def start_standby(self) -> None:
        self._script("start-standby", str(self.dir))

    def destroy(self) -> None:
        subprocess.run(["bash", str(SCRIPT), "stop", str(self.dir)], capture_output=True, timeout=120)
