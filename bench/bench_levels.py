"""Four levels: a city station built through the protocol from township stations, at 1×, 4× and 16× a township.

1× is one township as bench.scale_data makes it: 10 villages, 10,000 households, 35,000
residents, their cases and patrols (~46,000 records). Each township's own station (SQLite) is
written raw, one township per database; then each forwards everything to the city station with
`gridbook-station sync` (the real CLI, the real protocol, over loopback HTTP). At each scale:
  - the city's build: every township's first forward, one after another (the 1× build is the reference);
  - a township's daily forward: a laptop pushes 5,000 new households to township 1's station, which
    then forwards (`sync`: push, then pull);
  - a fresh laptop's first sync of one village straight from the city station (a township without a
    station of its own syncs with the level above), median of 3: must stay flat as the city grows;
  - a city-wide report (one month, every township) at the city, median of 3;
  - the city database's size and the city station's memory.
Targets at 16×: daily forward < 5 s, a village's first sync < 10 s, a city-wide report < 5 s.
The city station runs on PostgreSQL when there is one (GRIDBOOK_TEST_PG or a throwaway server), else SQLite.
Run alone: python -m bench.bench_levels [--quick]
"""
from __future__ import annotations

import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import orjson

from . import scale_data
from .bench_scale import _pg_url, _report_seconds, _size_mb, _status_mb
from .bench_sync import _cpu_seconds, _postgres, run_client, station
from .common import Figure

SCALES = (1, 4, 16)
QUICK_SCALES = (1, 2)
DAILY = 5_000                    # a township's day of changes
PULLS = 3
TARGETS = {"forward": 5.0, "pull": 10.0, "report": 5.0}      # seconds, at the largest scale


def station_account(t: int) -> str:
    return f"station-{t}"


def cli(url: str, *args: str, stdin: str = "") -> dict | str:
    """`gridbook-station --db URL ARGS` in this process (timed without a second of imports); its JSON or text."""
    from sync.station.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--db", url, *args])
    finally:
        sys.stdin = saved
    if code != 0:
        raise RuntimeError(f"gridbook-station {' '.join(args)} -> {code}: {err.getvalue()[-2000:]}")
    text = out.getvalue().strip()
    return orjson.loads(text) if text.startswith("{") else text


def prepare_city(url: str, townships: int) -> None:
    """The city's schema, the hierarchy of every township, one station account per township, a
    village worker (the fresh laptop) and a county account (the report)."""
    from sync.station import admin, db

    engine = db.make_engine(url)
    db.migrate(engine)
    with engine.begin() as conn:
        admin.import_grids(conn, "bench", scale_data.grid_rows(townships))
        for t in range(townships):
            admin.add_user(conn, "bench", station_account(t), "station", [scale_data.township_code(t)],
                           scale_data.PASSWORD)
        admin.add_user(conn, "bench", "village", "worker", [scale_data.MEASURED_VILLAGE], scale_data.PASSWORD)
        admin.add_user(conn, "bench", "county", "county", [scale_data.COUNTY], scale_data.PASSWORD)
    engine.dispose()


def forward(township_url: str, city: str, t: int) -> tuple[float, dict]:
    """Link township t's station to the city (once) and forward now: (seconds, the sync's counts)."""
    if not cli(township_url, "status", "--json").get("linked"):
        cli(township_url, "upstream", "--station", city, "--user", station_account(t), "--password-stdin",
            stdin=scale_data.PASSWORD + "\n")
    started = time.perf_counter()
    counts = cli(township_url, "sync", "--json")
    return time.perf_counter() - started, counts


def daily_changes(township_url: str, workdir: Path) -> None:
    """A laptop of township 1's first village pushes DAILY new households to its township station."""
    from tests.station_support import HttpDevice, Station
    from tests.support.clients import household

    township = Station(workdir / "township-daily", township_url,
                       env={"GRIDBOOK_STATION_UPSTREAM_INTERVAL": "86400", "GRIDBOOK_STATION_HASH": "fast"})
    township.workdir.mkdir(parents=True, exist_ok=True)
    township.start(timeout=120)
    try:
        laptop = HttpDevice(township, "village", scale_data.PASSWORD)
        grid = f"{scale_data.MEASURED_VILLAGE}-01"
        for start in range(0, DAILY, 500):
            batch = [laptop.change("household", str(uuid.uuid4()), household(k, grid=grid))
                     for k in range(start, min(DAILY, start + 500))]
            answer = laptop.push(batch)
            if answer.status_code != 200:
                raise RuntimeError(f"push to the township -> {answer.status_code}: {answer.text[:500]}")
    finally:
        township.stop()


def measure(city_url: str, townships: int, workdir: Path) -> dict:
    prepare_city(city_url, townships)
    out: dict = {"townships": townships}
    with station(city_url, workdir, prepare=False) as (base, pid):
        built, forwarded, first_url = 0.0, 0, ""
        for t in range(townships):
            township_url = f"sqlite:///{workdir / f'township-{townships}-{t}.sqlite3'}"
            first_url = first_url or township_url
            scale_data.build(township_url, range(t, t + 1))
            seconds, counts = forward(township_url, base, t)
            built += seconds
            forwarded += counts.get("pushed", 0)
            print(f"bench_levels {townships}x: township {t + 1} forwarded in {seconds:.1f} s: {counts}",
                  file=sys.stderr)
        out.update(build_s=built, forwarded=forwarded, size_mb=_size_mb(city_url))
        daily_changes(first_url, workdir)
        out["forward_s"], out["daily"] = forward(first_url, base, 0)
        pulls, cpu = [], []
        for n in range(PULLS):
            before = _cpu_seconds(pid)
            pulls.append(run_client("pull", workdir / f"village-{townships}-{n}", base, "village",
                                    scale_data.PASSWORD))
            cpu.append(_cpu_seconds(pid) - before)
        out.update(pull_s=statistics.median(p["seconds"] for p in pulls), pulled=pulls[0]["pulled"],
                   pull_cpu_s=statistics.median(cpu))
        out["report_s"] = _report_seconds(base)
        out["rss_mb"] = _status_mb(pid, "VmRSS")
    for path in workdir.glob(f"township-{townships}-*"):
        path.unlink()
    return out


def figures(label: str, rows: list[dict]) -> list[Figure]:
    base, last = rows[0], rows[-1]["townships"]
    out = []
    for row in rows:
        n = row["townships"]
        scale = f"{label} city, {n}× a township"
        final = n == last and n > 1

        def target(key: str, row: dict = row, final: bool = final) -> tuple[str, bool | None]:
            limit = TARGETS[key]
            return (f"< {limit:.0f} s at {last}×", row[f"{key}_s"] < limit) if final else ("", None)
        out += [
            Figure(f"{scale}: the city built by forwarding ({row['forwarded']:,} changes from {n} township stations)",
                   row["build_s"], "s",
                   f"{row['forwarded'] / row['build_s']:,.0f} changes/s; 1×: {base['build_s']:.1f} s",
                   row["build_s"] / base["build_s"]),
            Figure(f"{scale}: a township's daily forward ({DAILY:,} new households; push, then pull)",
                   row["forward_s"], "s", f"counts {row['daily']}; 1×: {base['forward_s']:.2f} s",
                   row["forward_s"] / base["forward_s"], *target("forward")),
            Figure(f"{scale}: a fresh laptop's first sync of one village from the city ({row['pulled']:,} records, "
                   f"median of {PULLS})", row["pull_s"], "s",
                   f"1×: {base['pull_s']:.2f} s; city CPU {row['pull_cpu_s']:.2f} s (1×: {base['pull_cpu_s']:.2f} s)",
                   row["pull_s"] / base["pull_s"], *target("pull")),
            Figure(f"{scale}: a city-wide report (one month, every township)", row["report_s"], "s",
                   f"1×: {base['report_s']:.2f} s", row["report_s"] / base["report_s"], *target("report")),
            Figure(f"{scale}: the city's database", row["size_mb"], "MB",
                   f"1×: {base['size_mb']:,.0f} MB; city station RSS {row['rss_mb']:.0f} MB",
                   row["size_mb"] / base["size_mb"]),
        ]
    return out


def run(quick: bool = False) -> list[Figure]:
    scales = QUICK_SCALES if quick else SCALES
    os.environ.setdefault("GRIDBOOK_STATION_HASH", "fast")     # accounts made here: logins are not measured
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        server, throwaway = (None, None) if os.environ.get("GRIDBOOK_BENCH_NO_PG") else _postgres()
        rows = []
        try:
            for n in scales:
                if server:
                    with _pg_url(server, f"city{n}") as url:
                        rows.append(measure(url, n, workdir))
                else:
                    rows.append(measure(f"sqlite:///{workdir / f'city-{n}.sqlite3'}", n, workdir))
                print(f"bench_levels {n}x: {rows[-1]}", file=sys.stderr)
        finally:
            if throwaway:
                import subprocess
                subprocess.run([str(Path(__file__).resolve().parents[1] / "scripts" / "pg-throwaway.sh"),
                                "stop", throwaway], timeout=60)
        return figures("PostgreSQL" if server else "SQLite", rows)


if __name__ == "__main__":
    from .common import table
    print(table(run(quick="--quick" in sys.argv)))
