"""A real station for tests: uvicorn in a subprocess on 127.0.0.1 and a free port, on SQLite or PostgreSQL.

`start_station(tmp_path)` initialises the database and waits for /health; `Station.cli`
runs gridbook-station in-process (fast), `Station.cli_process` as a real subprocess.
If GRIDBOOK_TEST_PG names a PostgreSQL server, `station_database("pg", ...)` makes a
fresh database per test and drops it afterwards.
"""
from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import orjson
import requests

# Cheap argon2 parameters for the test stations (and the in-process CLI): the real
# ones cost ~0.4 s a hash here. Set before sync.station.auth is imported, just below.
os.environ.setdefault("GRIDBOOK_STATION_HASH", "fast")

from sync import clock, messages, protocol
from sync.ids import new_id
from sync.station.demo import DEMO_GRIDS

ROOT = Path(__file__).resolve().parents[1]
PG_ENV = "GRIDBOOK_TEST_PG"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def station_backends() -> list[str]:
    return ["sqlite", "pg"] if os.environ.get(PG_ENV) else ["sqlite"]


@contextlib.contextmanager
def station_database(backend: str, tmp_path: Path):
    """A fresh database URL for one test: a SQLite file, or a PostgreSQL database dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'station.sqlite3'}"
        return
    from sqlalchemy import create_engine, make_url, text
    server = make_url(os.environ[PG_ENV])
    name = f"gb_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


class Station:
    """A station process on 127.0.0.1; its log is station.log beside its database."""

    def __init__(self, workdir: Path, db_url: str, port: int | None = None, env: dict | None = None,
                 tls: tuple[Path, Path, Path] | None = None):
        """tls: (certificate, key, the CA that issued them) to serve HTTPS."""
        self.workdir, self.db_url = Path(workdir), db_url
        self.port = port or free_port()
        self.tls = tls
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log_path = self.workdir / "station.log"

    # -- the process ---------------------------------------------------------------------
    def start(self, timeout: float = 30, healthy: bool = True) -> None:
        """Start and wait until /health answers (200, or any answer if not `healthy`)."""
        tls = ["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])] if self.tls else []
        with open(self.log_path, "ab") as log:          # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sync.station.cli", "--db", self.db_url, "serve", "--port", str(self.port),
                 *tls],
                stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"station exited with {self.process.returncode}:\n{self.log()}")
            try:
                health = requests.get(self.url + "/health", timeout=1, verify=str(self.tls[2]) if self.tls else True)
                if health.status_code == 200 or not healthy:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"station did not answer /health within {timeout}s:\n{self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # -- the command line ------------------------------------------------------------------
    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        """gridbook-station --db URL ARGS, run in this process (a subprocess costs a second of imports)."""
        from sync.station.cli import main
        argv = ["--db", self.db_url, *args]
        out, err = io.StringIO(), io.StringIO()
        saved_stdin, saved_lang = sys.stdin, messages.language()
        sys.stdin = io.StringIO(stdin or "")
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(argv)
                except SystemExit as exc:          # argparse refusing the arguments
                    code = exc.code if isinstance(exc.code, int) else 2
        finally:
            sys.stdin = saved_stdin
            messages.set_language(saved_lang)
        return subprocess.CompletedProcess(["gridbook-station", *argv], code, out.getvalue(), err.getvalue())

    def cli_process(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "sync.station.cli", "--db", self.db_url, *args],
                              input=stdin, capture_output=True, text=True, env=self.env, cwd=ROOT, timeout=120)

    def _ok(self, result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(result.args)} -> {result.returncode}: {result.stderr}")
        return result

    def add_user(self, name: str, password: str, role: str = "worker", grids=("420704100201-03",)) -> None:
        self._ok(self.cli("user", "add", name, "--role", role, "--grids", ",".join(grids), "--password-stdin",
                          stdin=password + "\n"))

    def import_grids(self, rows: list[dict]) -> None:
        path = self.workdir / f"grids-{uuid.uuid4().hex[:8]}.json"
        path.write_bytes(orjson.dumps(rows))
        self._ok(self.cli("grid", "import", str(path)))

    # -- conveniences for HTTP tests ---------------------------------------------------------
    def login(self, user: str, password: str, device_id: str | None = None,
              secret: str | None = None) -> tuple[str, str, str]:
        """(token, device_id, device secret) of a fresh login."""
        device_id = device_id or str(uuid.uuid4())
        reply = requests.post(self.url + "/v1/login", headers=protocol.version_headers(), timeout=10,
                              json={"user": user, "password": password, "device_id": device_id,
                                    "device_secret": secret})
        reply.raise_for_status()
        return reply.json()["token"], device_id, reply.json()["device_secret"]

    def engine(self):
        from sync.station.db import make_engine
        return make_engine(self.db_url)


class HttpDevice:
    """A hand-built device for HTTP-level station tests: its own clock, sequence and token."""

    def __init__(self, station: Station, user: str, password: str, device_id: str | None = None):
        self.station, self.user = station, user
        self.token, self.device_id, self.secret = station.login(user, password, device_id)
        self.seq = 0
        self.hlc = clock.HybridClock()

    def headers(self, **extra) -> dict:
        return {**protocol.version_headers(), "Authorization": f"Bearer {self.token}", **extra}

    def change(self, record_type: str, record_id: str, fields: dict, base: dict | None = None,
               op: str = "put", hlc: int | None = None) -> dict:
        self.seq += 1
        return {"seq": self.seq, "type": record_type, "id": record_id, "op": op,
                "hlc": hlc if hlc is not None else self.hlc.now(), "f": fields, "b": base or {}}

    def batch(self, changes: list[dict]) -> dict:
        seqs = [c["seq"] for c in changes]
        return {"device": self.device_id, "first": min(seqs), "last": max(seqs), "changes": changes}

    def push(self, changes: list[dict] | dict, gzip: bool = True, **headers) -> requests.Response:
        body = changes if isinstance(changes, dict) else self.batch(changes)
        extra = {"Content-Encoding": "gzip"} if gzip else {}
        return requests.post(self.station.url + "/v1/push", data=protocol.encode(body, compress=gzip),
                             headers=self.headers(**{"Content-Type": "application/json", **extra, **headers}),
                             timeout=60)

    def pull(self, cursor: int = 0, limit: int | None = None) -> dict:
        params = {"cursor": cursor, **({"limit": limit} if limit else {})}
        reply = requests.get(self.station.url + "/v1/pull", params=params, headers=self.headers(), timeout=60)
        reply.raise_for_status()
        return reply.json()

    def pull_all(self, limit: int | None = None) -> dict[tuple[str, str], dict]:
        """Every row in scope: (type, id) -> {"f": fields, "c": stamps}."""
        rows, cursor = {}, 0
        while True:
            page = self.pull(cursor, limit)
            rows.update({(r["type"], r["id"]): r for r in page["rows"]})
            cursor = page["cursor"]
            if not page["more"]:
                return rows


def household(grid: str = "420704100201-03", **fields) -> tuple[str, dict]:
    """A new household's id and its fields as a device would send them."""
    record_id = new_id()
    return record_id, {"id": record_id, "grid_code": grid, "address": "幸福村3组12号", "head_name": "张三", **fields}


def start_station(tmp_path: Path, db_url: str | None = None, env: dict | None = None,
                  tls: tuple[Path, Path, Path] | None = None) -> Station:
    """Initialise the database (a SQLite file in tmp_path by default), start the station, wait for /health."""
    workdir = Path(tmp_path) / "station"
    workdir.mkdir(parents=True, exist_ok=True)
    station = Station(workdir, db_url or f"sqlite:///{workdir / 'station.sqlite3'}", env=env, tls=tls)
    station._ok(station.cli("init"))
    station.start()
    return station


def running_station(backend: str, tmp_path: Path, env: dict | None = None):
    """A generator for fixtures: a started station with DEMO_GRIDS, stopped (and its database dropped) after."""
    with station_database(backend, tmp_path) as url:
        running = start_station(tmp_path, url, env=env)
        try:
            running.import_grids(DEMO_GRIDS)
            yield running
        finally:
            running.stop()


PASSWORD = "secret-123"


def new_account(station: Station, role: str = "worker", grids=("420704100201-03",)) -> HttpDevice:
    """A fresh account (unique name) logged in from a fresh device."""
    name = f"{role[0]}{uuid.uuid4().hex[:8]}"
    station.add_user(name, PASSWORD, role=role, grids=grids)
    return HttpDevice(station, name, PASSWORD)
