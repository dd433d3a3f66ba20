"""Where a push's microseconds go at the station, in process: decode, prepare, merge and write, commit.

`python -m bench.profile_push [sqlite|URL] [--batches N] [--size S] [--profile]` makes a fresh
station (the demo hierarchy, one worker and one device), encodes N batches of S new records
the way a laptop sends them (gzip JSON; a third households, the rest their residents), then
pushes them one transaction each through the station's own functions (push_wire.decode,
push.prepare, push.apply_batch), timing each phase: wall and CPU per change. HTTP is not in
it (bench_sync measures end to end); --profile adds cProfile's top functions of prepare, apply and commit.
"""
from __future__ import annotations

import cProfile
import gzip
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

from .common import GRID, push_body

DEVICE = "dddddddd-0000-7000-8000-000000000001"


def make_station(url: str):
    from sync.station import admin, db, tables
    from sync.station.demo import DEMO_GRIDS

    engine = db.make_engine(url)
    db.migrate(engine)
    with engine.begin() as conn:
        admin.import_grids(conn, "bench", DEMO_GRIDS)
        conn.execute(tables.device.insert().values(id=DEVICE, user_name="bench", name="", acked=0,
                                                   registered_ms=db.now_ms()))
    return engine


def bodies(count: int, size: int, rng: random.Random) -> list[bytes]:
    from sync import clock

    hlc = clock.HybridClock()
    return [push_body(DEVICE, rng, size, 1 + n * size, hlc) for n in range(count)]


def run(url: str, count: int, size: int, profile: bool) -> dict[str, float]:
    from sync import gc_tuning
    from sync.station import push, push_wire
    from sync.station.auth import Caller

    engine = make_station(url)
    gc_tuning.settle(gc_tuning.STATION_YOUNG)    # as the station does when it starts serving
    caller = Caller("bench", "worker", [GRID], DEVICE)
    sent = bodies(count, size, random.Random(7))
    phases = {"decode": [0.0, 0.0], "prepare": [0.0, 0.0], "apply": [0.0, 0.0], "commit": [0.0, 0.0]}
    profiler = cProfile.Profile() if profile else None

    def timed(name, fn):
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        phases[name][0] += time.perf_counter() - wall
        phases[name][1] += time.process_time() - cpu
        return value

    for body in sent:
        batch = timed("decode", lambda body=body: push_wire.decode(gzip.decompress(body)))
        if profiler:
            profiler.enable()
        prepared = timed("prepare", lambda batch=batch: push.prepare(batch, DEVICE))
        conn = engine.connect()
        transaction = conn.begin()
        timed("apply", lambda conn=conn, prepared=prepared: push.apply_batch(conn, caller, prepared.batch,
                                                                            prepared=prepared))
        timed("commit", transaction.commit)
        if profiler:
            profiler.disable()
        conn.close()
    engine.dispose()
    changes = count * size
    out = {name: (wall / changes * 1e6, cpu / changes * 1e6) for name, (wall, cpu) in phases.items()}
    total_wall = sum(v[0] for v in out.values())
    total_cpu = sum(v[1] for v in out.values())
    print(f"{url.split(':')[0]}: {changes:,} changes in batches of {size}, load average {os.getloadavg()[0]:.1f}")
    for name, (wall, cpu) in out.items():
        print(f"  {name:8s} {wall:7.1f} µs wall  {cpu:7.1f} µs CPU per change")
    print(f"  {'total':8s} {total_wall:7.1f} µs wall  {total_cpu:7.1f} µs CPU  -> {1e6 / total_wall:,.0f} changes/s")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
    return out


def main(argv: list[str]) -> None:
    target = argv[0] if argv and not argv[0].startswith("--") else "sqlite"
    count = int(argv[argv.index("--batches") + 1]) if "--batches" in argv else 40
    size = int(argv[argv.index("--size") + 1]) if "--size" in argv else 500
    profile = "--profile" in argv
    if target == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{Path(tmp) / 'station.sqlite3'}", count, size, profile)
    else:
        from .bench_scale import _pg_url
        with _pg_url(target, "profile") as url:
            run(url, count, size, profile)


if __name__ == "__main__":
    main(sys.argv[1:])
