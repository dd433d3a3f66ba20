"""Many laptops at once: push throughput and latency at 1, 10, 30 and 100 laptops, on SQLite and PostgreSQL.

Each laptop is a device of its own (logged in beforehand) that pushes ROUNDS batches of
BATCH new records (households and their residents), one after the other as the real push
loop does, all laptops starting together: a morning's sync wave. A batch of 100 is a grid
worker's day or two of edits; the push loop would send up to 500 at a time, so the heavier
wave (500 a batch) is measured at 30 laptops too.

While the wave runs, two probes measure what must not wait behind the writer: a login with
the real argon2 parameters (the station's default; the laptops' own account uses cheap ones
so that registering 100 devices is quick) and a pull page read. Their idle times, measured
just before, are the reference. The load generator is one process of threads sending
pre-encoded bodies (requests), so its own cost per push is small and the same at every size.
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .bench_sync import _cpu_seconds, _postgres, station
from .common import GRID, percentiles, push_body

LAPTOPS = (1, 10, 30, 100)
QUICK_LAPTOPS = (1, 10)
BATCH, ROUNDS = 100, 5
HEAVY_BATCH, HEAVY_LAPTOPS = 500, 30
PASSWORD = "bench-load-1"
TIMEOUT_S = 30                    # the laptop's own read timeout (desktop.syncing.engine)


def prepare(url: str) -> None:
    """Schema, the demo hierarchy, the laptops' account (cheap hash) and the probe's (the real one)."""
    from sync.station import admin, auth, db
    from sync.station.demo import DEMO_GRIDS
    from sync.station.settings import StationSettings

    engine = db.make_engine(url)
    db.migrate(engine)
    with engine.begin() as conn:
        admin.import_grids(conn, "bench", DEMO_GRIDS)
        admin.add_user(conn, "bench", "laptops", "worker", [GRID], PASSWORD,
                       auth.Passwords.from_settings(StationSettings(hash="fast")))
        admin.add_user(conn, "bench", "probe", "worker", [GRID], PASSWORD,
                       auth.Passwords.from_settings(StationSettings(hash="default")))
    engine.dispose()


class Laptop:
    def __init__(self, base: str, user: str, device: str):
        import requests

        from sync import protocol

        self.base, self.user, self.device = base, user, device
        self.session = requests.Session()
        self.headers = {**protocol.version_headers(), "Content-Type": "application/json"}
        self.seq = 0
        self.token = ""
        self.secret: str | None = None

    def login(self) -> float:
        started = time.perf_counter()
        answer = self.session.post(self.base + "/v1/login", json={"user": self.user, "password": PASSWORD,
                                                                  "device_id": self.device,
                                                                  "device_secret": self.secret},
                                   headers=self.headers, timeout=TIMEOUT_S)
        answer.raise_for_status()
        self.token, self.secret = answer.json()["token"], answer.json()["device_secret"]
        return time.perf_counter() - started

    def batches(self, rng: random.Random, count: int, size: int) -> list[bytes]:
        """`count` pre-encoded push bodies of `size` new records each (a third households)."""
        from sync import clock

        hlc, out = clock.HybridClock(), []
        for _ in range(count):
            out.append(push_body(self.device, rng, size, self.seq + 1, hlc))
            self.seq += size
        return out

    def push(self, body: bytes) -> tuple[float, int]:
        started = time.perf_counter()
        try:
            answer = self.session.post(self.base + "/v1/push", data=body,
                                       headers={**self.headers, "Content-Encoding": "gzip",
                                                "Authorization": f"Bearer {self.token}"}, timeout=TIMEOUT_S)
            status = answer.status_code
        except Exception:          # a timeout or a reset is an error of the wave, counted, not raised
            status = 0
        return time.perf_counter() - started, status

    def pull(self) -> float:
        started = time.perf_counter()
        answer = self.session.get(self.base + "/v1/pull", params={"cursor": 0, "limit": 1000},
                                  headers={**self.headers, "Authorization": f"Bearer {self.token}"},
                                  timeout=TIMEOUT_S)
        answer.raise_for_status()
        return time.perf_counter() - started


class Probe(threading.Thread):
    """Logs in (real argon2) or pulls a page, again and again, until stopped; keeps the latencies."""

    def __init__(self, laptop: Laptop, action: str, pause_s: float):
        super().__init__(daemon=True)
        self.laptop, self.action, self.pause_s = laptop, action, pause_s
        self.samples: list[float] = []
        self.errors = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.samples.append(getattr(self.laptop, self.action)())
            except Exception:
                self.errors += 1
            self.stop.wait(self.pause_s)


def wave(laptops: list[Laptop], bodies: dict[str, list[bytes]], probes: list[Probe]) -> dict:
    """Every laptop pushes its bodies in turn, all starting together; the probes run meanwhile."""
    barrier = threading.Barrier(len(laptops))
    results: list[tuple[float, int]] = []
    lock = threading.Lock()

    def one(laptop: Laptop) -> None:
        barrier.wait()
        for body in bodies[laptop.device]:
            done = laptop.push(body)
            with lock:
                results.append(done)

    for probe in probes:
        probe.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(len(laptops)) as pool:
        list(pool.map(one, laptops))
    seconds = time.perf_counter() - started
    for probe in probes:
        probe.stop.set()
        probe.join()
    latencies = [r[0] * 1000 for r in results]
    statuses: dict[int, int] = {}
    for _latency, status in results:
        statuses[status] = statuses.get(status, 0) + 1
    return {"seconds": seconds, "pushes": len(results), "errors": sum(1 for r in results if r[1] != 200),
            "statuses": statuses,
            "p50_ms": percentiles(latencies)[0], "p95_ms": percentiles(latencies)[1], "max_ms": max(latencies)}


def _statuses(done: dict) -> str:
    failed = {s: n for s, n in done["statuses"].items() if s != 200}
    listed = ", ".join(f"{n}× {s or 'no answer'}" for s, n in sorted(failed.items()))
    return f" ({listed})" if failed else ""


def run_backend(label: str, url: str, workdir: Path, sizes: tuple[int, ...]) -> list:
    from .common import Figure

    prepare(url)
    rng = random.Random(20261202)
    out: list[Figure] = []
    with station(url, workdir, prepare=False, fast_hash=False) as (base, pid):
        fleet = [Laptop(base, "laptops", f"1aa70000-0000-7000-8000-{n:012d}") for n in range(max(sizes))]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(Laptop.login, fleet))
        login_probe, pull_probe = Laptop(base, "probe", "9b0be000-0000-7000-8000-000000000001"), \
            Laptop(base, "probe", "9b0be000-0000-7000-8000-000000000002")
        pull_probe.login()
        idle_logins = [login_probe.login() * 1000 for _ in range(3)]
        idle_pulls = [pull_probe.pull() * 1000 for _ in range(5)]
        reference = None
        for n, size in [(n, BATCH) for n in sizes] + ([(HEAVY_LAPTOPS, HEAVY_BATCH)] if HEAVY_LAPTOPS in sizes
                                                       else []):
            laptops = fleet[:n]
            bodies = {lap.device: lap.batches(rng, ROUNDS, size) for lap in laptops}
            probes = [Probe(login_probe, "login", 0.2), Probe(pull_probe, "pull", 0.1)]
            for laptop in laptops:
                # the station closes a connection idle for 5 s (uvicorn's keep-alive): making the bodies can
                # take longer on a busy machine, and a push on a closed connection is an error of the bench
                laptop.session.close()
            station_cpu, generator_cpu = _cpu_seconds(pid), time.process_time()
            done = wave(laptops, bodies, probes)
            changes = done["pushes"] * size
            station_us = (_cpu_seconds(pid) - station_cpu) / changes * 1e6
            generator_us = (time.process_time() - generator_cpu) / changes * 1e6
            cpu = f"CPU per change: station {station_us:.0f} µs (the probes' argon2 logins included), load generator " \
                  f"{generator_us:.0f} µs; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            rate = changes / done["seconds"]
            reference = reference or (rate, done["p95_ms"])
            logins = [s * 1000 for s in probes[0].samples] or [0.0]
            pulls = [s * 1000 for s in probes[1].samples] or [0.0]
            heavy = size != BATCH
            name = f"{label}, {n} laptop{'s' if n > 1 else ''} × {ROUNDS} pushes of {size}"
            target = not heavy and n == max(sizes) and n >= 100
            out += [
                Figure(f"{name}: throughput", rate, "changes/s", f"1 laptop: {reference[0]:,.0f} changes/s; "
                       f"wave {done['seconds']:.1f} s; {cpu}", rate / reference[0]),
                Figure(f"{name}: push latency p95", done["p95_ms"], "ms",
                       f"p50 {done['p50_ms']:.0f} ms, max {done['max_ms']:.0f} ms; errors {done['errors']} of "
                       f"{done['pushes']}{_statuses(done)}; 1 laptop p95 {reference[1]:.0f} ms", None,
                       "< 2 s, zero errors" if target else "",
                       (done["p95_ms"] < 2000 and done["errors"] == 0) if target else None),
                Figure(f"{name}: login (real argon2) p95 during the wave", percentiles(logins)[1], "ms",
                       f"idle {statistics.median(idle_logins):.0f} ms; {len(probes[0].samples)} logins, "
                       f"{probes[0].errors} errors", percentiles(logins)[1] / statistics.median(idle_logins)),
                Figure(f"{name}: pull page (1,000 rows) p95 during the wave", percentiles(pulls)[1], "ms",
                       f"idle {statistics.median(idle_pulls):.0f} ms; {len(probes[1].samples)} pages, "
                       f"{probes[1].errors} errors", percentiles(pulls)[1] / statistics.median(idle_pulls)),
            ]
            print(f"bench_load {name}: {done}", file=sys.stderr)
    return out


def run(quick: bool = False) -> list:
    sizes = QUICK_LAPTOPS if quick else LAPTOPS
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        out += run_backend("SQLite", f"sqlite:///{workdir / 'load.sqlite3'}", workdir, sizes)
        server, throwaway = (None, None) if os.environ.get("GRIDBOOK_BENCH_NO_PG") else _postgres()
        if server:
            from .bench_scale import _pg_url
            try:
                with _pg_url(server, 0) as url:
                    out += run_backend("PostgreSQL", url, workdir, sizes)
            finally:
                if throwaway:
                    import subprocess
                    subprocess.run([str(Path(__file__).resolve().parents[1] / "scripts" / "pg-throwaway.sh"),
                                    "stop", throwaway], timeout=60)
    return out


if __name__ == "__main__":
    from .common import table
    print(table(run(quick="--quick" in sys.argv)))
