"""The scale curve: a station at 1, 4, 16 and 64 townships, on SQLite and PostgreSQL.

At each size (bench.scale_data writes the rows raw into the schema: a village's records are
spread over the whole station sequence) a real station process serves the database and:
  - a village's first sync: a client process pulls one village (~4,700 records) into a fresh
    folder (the real SyncEngine; login not timed), median of 3, with the station's CPU time;
  - a 500-change push: one of those laptops edits 500 households and pushes them;
  - a city report: a county account asks for one month's report over the whole station;
  - the station's size on disk and the station process's resident memory.
The 1× figures are the reference of the others (same run, same machine).
"""
from __future__ import annotations

import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import scale_data
from .bench_sync import _cpu_seconds, _postgres, run_client, station
from .common import Figure

SCALES = (1, 4, 16, 64)
QUICK_SCALES = (1, 4)
PULLS = 3


def _status_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _size_mb(url: str) -> float:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as conn:
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    engine.dispose()
    return size / 1e6


def _edit_households(folder: Path, count: int) -> None:
    from desktop.store import open_store

    store = open_store(folder)
    homes = store.list("household", limit=count)
    for i, home in enumerate(homes):
        store.put("household", {"id": home["id"], "phone": f"139{i:08d}"})
    store.engine.dispose()


def _report_seconds(base: str) -> float:
    import requests

    session = requests.Session()
    token = session.post(base + "/v1/login", json={"user": "county", "password": scale_data.PASSWORD,
                                                  "device_id": "c0c0c0c0-0000-7000-8000-000000000001"},
                         headers=_versions(), timeout=60).json()["token"]
    first, last = scale_data.REPORT_MONTH
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        answer = session.get(base + "/v1/reports", params={"start": first.isoformat(), "end": last.isoformat()},
                             headers={**_versions(), "Authorization": f"Bearer {token}"}, timeout=600)
        samples.append(time.perf_counter() - started)
        answer.raise_for_status()
    return statistics.median(samples)


def _versions() -> dict:
    from sync import protocol
    return protocol.version_headers()


def measure(url: str, townships: int, workdir: Path) -> dict:
    """Build the station at `townships`, serve it, and take the curve's figures."""
    built = scale_data.build(url, townships)
    out = {"townships": townships, "records": built["records"], "build_s": built["seconds"],
           "size_mb": _size_mb(url)}
    with station(url, workdir, prepare=False) as (base, pid):
        pulls, cpu = [], []
        for n in range(PULLS):
            before = _cpu_seconds(pid)
            done = run_client("pull", workdir / f"village-{townships}-{n}", base, "village", scale_data.PASSWORD)
            cpu.append(_cpu_seconds(pid) - before)
            pulls.append(done)
        out["pull_s"] = statistics.median(p["seconds"] for p in pulls)
        out["pull_station_cpu_s"] = statistics.median(cpu)
        out["pulled"] = pulls[0]["pulled"]
        laptop = workdir / f"village-{townships}-0"
        _edit_households(laptop, 500)
        pushed = run_client("push", laptop, base, "village", scale_data.PASSWORD)
        out["push_s"], out["pushed"] = pushed["seconds"], pushed["pushed"]
        out["report_s"] = _report_seconds(base)
        out["rss_mb"], out["hwm_mb"] = _status_mb(pid, "VmRSS"), _status_mb(pid, "VmHWM")
    return out


def curve(label: str, make_url, scales: tuple[int, ...], workdir: Path) -> list[Figure]:
    rows = []
    for townships in scales:
        with make_url(townships) as url:
            rows.append(measure(url, townships, workdir))
        print(f"bench_scale {label} {townships}x: {rows[-1]}", file=sys.stderr)
    return figures(label, rows)


def figures(label: str, rows: list[dict]) -> list[Figure]:
    base = rows[0]
    out = []
    for row in rows:
        n = row["townships"]
        scale = f"{label}, {n}× townships ({row['records']:,} records)"
        ratio = row["pull_s"] / base["pull_s"]
        last = n == rows[-1]["townships"] and n > 1
        out += [
            Figure(f"{scale}: station size", row["size_mb"], "MB", f"1×: {base['size_mb']:,.0f} MB",
                   row["size_mb"] / base["size_mb"]),
            Figure(f"{scale}: a village's first sync ({row['pulled']:,} records, median of {PULLS})", row["pull_s"],
                   "s", f"1×: {base['pull_s']:.2f} s; station CPU {row['pull_station_cpu_s']:.2f} s "
                   f"(1×: {base['pull_station_cpu_s']:.2f} s)", ratio,
                   "≤ 1.2 × the 1× time" if last else "", ratio <= 1.2 if last else None),
            Figure(f"{scale}: a 500-change push (one laptop, edits)", row["push_s"] * 1000, "ms",
                   f"1×: {base['push_s'] * 1000:.0f} ms", row["push_s"] / base["push_s"]),
            Figure(f"{scale}: a city report (one month, every township)", row["report_s"] * 1000, "ms",
                   f"1×: {base['report_s'] * 1000:.0f} ms", row["report_s"] / base["report_s"]),
            Figure(f"{scale}: station memory (RSS, peak)", row["rss_mb"], "MB",
                   f"peak {row['hwm_mb']:.0f} MB; 1×: {base['rss_mb']:.0f} MB", row["rss_mb"] / base["rss_mb"]),
        ]
    return out


@contextlib.contextmanager
def _sqlite_url(workdir: Path, townships: int):
    path = workdir / f"scale-{townships}.sqlite3"
    yield f"sqlite:///{path}"
    for p in workdir.glob(path.name + "*"):
        p.unlink()


@contextlib.contextmanager
def _pg_url(server: str, label: int | str):
    from sqlalchemy import create_engine, make_url, text

    name = f"gb_bench_{os.getpid()}_{label}"
    admin = create_engine(make_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(quick: bool = False) -> list[Figure]:
    scales = QUICK_SCALES if quick else SCALES
    random.seed(20261201)
    out: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        out += curve("SQLite", lambda n: _sqlite_url(workdir, n), scales, workdir)
        server, throwaway = (None, None) if os.environ.get("GRIDBOOK_BENCH_NO_PG") else _postgres()
        if server:
            try:
                out += curve("PostgreSQL", lambda n: _pg_url(server, n), scales, workdir)
            finally:
                if throwaway:
                    import subprocess
                    subprocess.run([str(Path(__file__).resolve().parents[1] / "scripts" / "pg-throwaway.sh"),
                                    "stop", throwaway], timeout=60)
    return out


if __name__ == "__main__":
    from .common import table
    print(table(run(quick="--quick" in sys.argv)))
