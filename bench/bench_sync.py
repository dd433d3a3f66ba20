"""Sync: station merge rate end to end, bytes on the wire per change, first pull of a village.

Every figure comes from real processes on loopback: a `gridbook-station serve`
subprocess and a client subprocess running the real SyncEngine on a data folder
(`python -m bench.bench_sync client push|pull FOLDER URL USER PASSWORD`), so the
client's work (reading the change log, encoding, acknowledging, applying pages)
counts. The reference for the merge rate is the floor: the rows the station wrote for
that push (records, versions, fingerprints, audit), written again raw by the driver's
executemany into a fresh database of the same kind, in this run.
"""
from __future__ import annotations

import contextlib
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import orjson

from sync import records

from .common import GRID, Figure, households, residents

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-secret-1"
VILLAGE_HOUSEHOLDS, VILLAGE_RESIDENTS = 10_000, 35_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the station ----------------------------------------------------------------------------
def prepare_station(url: str) -> None:
    """Create the schema, the demo hierarchy and two accounts (a worker, a township)."""
    os.environ.setdefault("GRIDBOOK_STATION_HASH", "fast")      # one login each: the hash is not measured
    from sync.station import admin, db
    from sync.station.demo import DEMO_GRIDS

    engine = db.make_engine(url)
    db.migrate(engine)
    with engine.begin() as conn:
        admin.import_grids(conn, "bench", DEMO_GRIDS)
        admin.add_user(conn, "bench", "worker", "worker", [GRID], PASSWORD)
    engine.dispose()


@contextlib.contextmanager
def station(url: str, workdir: Path, prepare: bool = True, fast_hash: bool = True):
    """`gridbook-station serve` in a subprocess on a free loopback port; yields (base URL, pid).

    prepare: make the schema, the demo hierarchy and the bench accounts first (prepare_station);
    fast_hash: cheap argon2 for hashes the station makes (logins of existing accounts verify
    with the parameters their own hash names)."""
    import requests

    if prepare:
        prepare_station(url)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if fast_hash:
        env["GRIDBOOK_STATION_HASH"] = "fast"
    else:
        env.pop("GRIDBOOK_STATION_HASH", None)
    with open(workdir / "station.log", "ab") as log:       # the child keeps its own copy of the descriptor
        process = subprocess.Popen([sys.executable, "-m", "sync.station.cli", "--db", url, "serve", "--port",
                                    str(port)], stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the station did not start: {(workdir / 'station.log').read_text()[-2000:]}")
            try:
                if requests.get(base + "/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.05)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- the client process ---------------------------------------------------------------------
def client(action: str, folder: str, url: str, user: str, password: str) -> dict:
    """Run in the client subprocess: log in (not timed), then push or pull; report time and memory."""
    from desktop.store import open_store
    from desktop.syncing import SyncEngine, SyncResult
    from desktop.syncing.pull import pull
    from desktop.syncing.push import push
    from sync import gc_tuning

    store = open_store(folder)
    engine = SyncEngine(store, retries=0)
    engine.login(url, user, password)
    gc_tuning.settle()          # as the desktop app does once its window is up
    result = SyncResult()
    started, cpu = time.perf_counter(), time.process_time()
    if action == "push":
        push(engine, result, lambda _phase, _done: None)
    else:
        pull(engine, result, lambda _phase, _done: None)
    seconds = time.perf_counter() - started
    store.engine.dispose()
    return {"seconds": seconds, "pushed": result.pushed, "pulled": result.pulled, "peak_mb": _peak_mb(),
            "cpu": time.process_time() - cpu}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_mb() -> float:
    """Peak resident memory of this process (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_client(action: str, folder: Path, url: str, user: str = "worker", password: str = PASSWORD) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.bench_sync", "client", action, str(folder), url, user, password],
                         capture_output=True, text=True, cwd=ROOT, timeout=600,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    if out.returncode != 0:
        raise RuntimeError(f"client {action} failed:\n{out.stderr[-3000:]}")
    return orjson.loads(out.stdout.strip().splitlines()[-1])


# -- data -------------------------------------------------------------------------------------
def village_folder(folder: Path, rng: random.Random, homes: int, people: int, updates: int) -> tuple[list, list]:
    """A laptop's data folder holding `homes` + `people` new records and `updates` one-field edits, unsent."""
    from desktop.store import open_store

    store = open_store(folder)
    store.put("grid", {"code": GRID, "name": "幸福村第三网格", "level": "grid"})
    house_rows = households(homes, rng)
    home_ids = store.put_many("household", house_rows)
    person_rows = residents(people, home_ids, rng)
    store.put_many("person", person_rows)
    for i in range(updates):
        store.put("household", {"id": home_ids[i % len(home_ids)], "phone": f"139{rng.randint(0, 99999999):08d}"})
    store.engine.dispose()
    return house_rows, person_rows


AUDIT_COLUMNS = ["at_ms", "user_name", "device_id", "action", "record_type", "record_id", "fields", "detail"]


def station_rows_rate(source_url: str, target_url: str, batch: int = 500) -> tuple[float, int]:
    """(changes/s, changes) for raw executemany of the rows the station wrote for a push —
    records, record_version, the change fingerprints, the push audit — into a fresh station schema
    at `target_url` with all its indexes, `batch` records per transaction, on the driver itself
    (sqlite3 executemany, psycopg COPY): the database's own share of a merge, no Python work around it."""
    from sync.station import db

    def read(sql: str) -> list[tuple]:          # JSON as the text the station sent (psycopg decodes it)
        cursor = raw.cursor()
        cursor.execute(sql)
        return [tuple(orjson.dumps(v).decode() if isinstance(v, (dict, list)) else v for v in r)
                for r in cursor.fetchall()]

    source = db.make_engine(source_url)
    raw = source.raw_connection()
    try:
        columns = {name: [c.name for c in records.record_table(name).columns] for name in ("household", "person")}
        tables = {name: read(f"SELECT {', '.join(columns[name])} FROM {name} ORDER BY id")
                  for name in ("household", "person")}
        versions = read("SELECT record_type, record_id, seq, grid_code FROM record_version "
                        "WHERE record_type IN ('household', 'person') ORDER BY seq")
        fingerprints = read("SELECT device_id, seq, digest FROM station_device_change ORDER BY device_id, seq")
        audit = read("SELECT at_ms, user_name, device_id, action, record_type, record_id, fields, detail "
                     "FROM station_audit WHERE action = 'push' ORDER BY id")
    finally:
        raw.close()
        source.dispose()
    changes = sum(len(orjson.loads(row[7])["changes"]) for row in audit)
    target = db.make_engine(target_url)
    db.migrate(target)
    sqlite = target_url.startswith("sqlite")
    mark = "?" if sqlite else "%s"
    raw = target.raw_connection()
    cursor = raw.cursor()
    records_ = [(name, row) for name in ("household", "person") for row in tables[name]]
    per_record = len(audit) / max(len(records_), 1)
    per_change = len(fingerprints) / max(len(records_), 1)

    def insert(table: str, names: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if sqlite:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})",
                               rows)
            return
        with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:     # PostgreSQL's fastest
            for row in rows:
                copy.write_row(row)
    started = time.perf_counter()
    try:
        for start in range(0, len(records_), batch):
            part = records_[start:start + batch]
            if sqlite:
                cursor.execute("BEGIN")
            for name in ("household", "person"):
                insert(name, columns[name], [row for kind, row in part if kind == name])
            insert("record_version", ["record_type", "record_id", "seq", "grid_code"], versions[start:start + batch])
            insert("station_device_change", ["device_id", "seq", "digest"],
                   fingerprints[round(start * per_change):round((start + len(part)) * per_change)])
            insert("station_audit", AUDIT_COLUMNS,
                   audit[round(start * per_record):round((start + len(part)) * per_record)])
            if sqlite:
                cursor.execute("COMMIT")
            else:
                raw.commit()
        elapsed = time.perf_counter() - started
    finally:
        raw.close()
        target.dispose()
    return changes / elapsed, changes


# -- figures ------------------------------------------------------------------------------------
MERGE_TARGETS = {"SQLite": 20_000, "PostgreSQL": 12_000}
FLOOR_AIM = 0.6


def merge_rate(label: str, url: str, workdir: Path, rng: random.Random, quick: bool,
               floor_url: str) -> tuple[list[Figure], dict]:
    """The merge rate end to end, beside the station's own rows written raw (`floor_url`: a fresh
    database of the same kind); and the loaded station's first pull of the village."""
    homes, people = (2_000, 7_000) if quick else (VILLAGE_HOUSEHOLDS, VILLAGE_RESIDENTS)
    updates = homes // 2
    folder = workdir / f"laptop-{label}"
    village_folder(folder, rng, homes, people, updates)
    with station(url, workdir) as (base, pid):
        before = _cpu_seconds(pid)
        done = run_client("push", folder, base)
        station_cpu = _cpu_seconds(pid) - before
        rate = done["pushed"] / done["seconds"]
        pulled = first_pull(base, workdir / f"fresh-{label}")
    floor, changes = station_rows_rate(url, floor_url)
    per_change = f"CPU per change: station {station_cpu / done['pushed'] * 1e6:.0f} µs, client " \
                 f"{done['cpu'] / done['pushed'] * 1e6:.0f} µs (CPU time, not wall: a fair guide on a busy machine)"
    goal = MERGE_TARGETS[label]
    figures = [
        Figure(f"station merge, client process → HTTP → {label} ({done['pushed']:,} changes, new and edited)", rate,
               "changes/s", f"the station's own rows written raw (below) {floor:,.0f} changes/s; {per_change}",
               rate / floor, f"≥ {goal:,}/s; aim ≥ {FLOOR_AIM} of the rows written raw", rate >= goal),
        Figure(f"{label}: the station's own rows for those {changes:,} changes (record, record_version, "
               "fingerprint, push audit) written raw into its schema (executemany; COPY on PostgreSQL), 500 per "
               "transaction", floor,
               "changes/s", "the floor of the merge: the database's work alone, no Python around it", None, "", None)]
    return figures, pulled


def first_pull(base: str, folder: Path) -> dict:
    return run_client("pull", folder, base)


def pull_figures(label: str, done: dict) -> list[Figure]:
    return [Figure(f"first sync of a village from {label}: {done['pulled']:,} records, time", done["seconds"], "s",
                   "", None, "< 10 s", done["seconds"] < 10),
            Figure(f"first sync of a village from {label}: client peak memory", done["peak_mb"], "MB",
                   "VmHWM of the client process", None, "< 300 MB", done["peak_mb"] < 300)]


class CountingProxy:
    """A loopback TCP proxy in front of the station that counts the bytes each way."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.up = self.down = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                near, _ = self._server.accept()
            except OSError:
                return
            far = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(near, far, "up"), daemon=True).start()
            threading.Thread(target=self._pipe, args=(far, near, "down"), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, direction: str) -> None:
        try:
            while chunk := source.recv(65536):
                setattr(self, direction, getattr(self, direction) + len(chunk))
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._server.close()


def wire_size(base: str, folder: Path, rng: random.Random, count: int) -> list[Figure]:
    """Figure 2: bytes both ways through the proxy per household change, against the change as plain JSON."""
    from desktop.store import open_store, replication
    from desktop.syncing import SyncEngine, SyncResult
    from desktop.syncing.push import push
    from sync import protocol

    proxy = CountingProxy(int(base.rsplit(":", 1)[1]))
    store = open_store(folder)
    store.put("grid", {"code": GRID, "name": "幸福村第三网格", "level": "grid"})
    engine = SyncEngine(store, retries=0)
    engine.login(f"http://127.0.0.1:{proxy.port}", "worker", PASSWORD)
    figures = []
    for label, make in (("new household", lambda: store.put_many("household", households(count, rng))),
                        ("one-field update", lambda: [store.put("household", {"id": h["id"], "phone": "13912345678"})
                                                      for h in store.list("household")])):
        make()
        pending = replication.next_batch(store, limit=count)
        plain = sum(len(orjson.dumps(protocol.change_to_wire(e))) for e in pending) / len(pending)
        proxy.up = proxy.down = 0
        push(engine, SyncResult(), lambda _phase, _done: None)
        per_change = (proxy.up + proxy.down) / len(pending)
        target = 0.18 if label == "new household" else None
        figures.append(Figure(f"wire bytes per {label} change (gzip, HTTP both ways, batches of {engine.batch_size})",
                              per_change, "B", f"plain JSON {plain:,.0f} B", per_change / plain,
                              "≤ 0.18 of plain JSON" if target else "far below a whole record",
                              per_change / plain <= target if target else None))
    proxy.close()
    store.engine.dispose()
    return figures


def _postgres() -> tuple[str | None, str | None]:
    """(URL, throwaway dir): GRIDBOOK_TEST_PG, else a throwaway cluster if initdb exists, else (None, None)."""
    if os.environ.get("GRIDBOOK_TEST_PG"):
        return os.environ["GRIDBOOK_TEST_PG"], None
    if not shutil.which("initdb") and not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return None, None
    out = subprocess.run([str(ROOT / "scripts" / "pg-throwaway.sh"), "start"], capture_output=True, text=True,
                         timeout=120)
    if out.returncode != 0:
        print(f"bench_sync: no PostgreSQL ({out.stderr.strip()[-200:]}); skipping its figure", file=sys.stderr)
        return None, None
    found = dict(line.removeprefix("export ").split("=", 1) for line in out.stdout.splitlines() if "=" in line)
    return found["GRIDBOOK_TEST_PG"], found["PG_THROWAWAY_DIR"]


def run(quick: bool = False) -> list[Figure]:
    rng = random.Random(20261122)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        merged, pulled = merge_rate("SQLite", f"sqlite:///{workdir / 'station.sqlite3'}", workdir, rng, quick,
                                    f"sqlite:///{workdir / 'floor.sqlite3'}")
        figures += merged
        with station(f"sqlite:///{workdir / 'wire.sqlite3'}", workdir) as (base, _pid):
            figures += wire_size(base, workdir / "wire-laptop", rng, 500 if quick else 2_000)
        pulls = pull_figures("SQLite", pulled)
        pg_url, pg_dir = (None, None) if os.environ.get("GRIDBOOK_BENCH_NO_PG") else _postgres()
        if pg_url:
            from .bench_scale import _pg_url
            try:
                with _pg_url(pg_url, "merge") as url, _pg_url(pg_url, "floor") as floor_url:
                    pg_work = workdir / "pg"
                    pg_work.mkdir()
                    merged, pg_pulled = merge_rate("PostgreSQL", url, pg_work, rng, quick, floor_url)
                    figures += merged
                    pulls += pull_figures("PostgreSQL", pg_pulled)
            finally:
                if pg_dir:
                    subprocess.run([str(ROOT / "scripts" / "pg-throwaway.sh"), "stop", pg_dir], timeout=60)
        else:
            print("bench_sync: no PostgreSQL server (GRIDBOOK_TEST_PG unset, no initdb): SQLite figures only",
                  file=sys.stderr)
        figures += pulls
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] == ["client"]:
        print(orjson.dumps(client(*sys.argv[2:7])).decode())
    else:
        from .common import table
        print(table(run(quick="--quick" in sys.argv)))
