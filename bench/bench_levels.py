"""A township's daily forward to its county: N new households at a SQLite township, `gridbook-station sync`.

A first figure for issue 15 (not yet in bench.run, no reference in the run, no scales): the time of
one forward (push, then pull) and of the idle forward after it, county on SQLite or PostgreSQL
(GRIDBOOK_TEST_PG). Run: python -m bench.bench_levels [N] [sqlite|pg]
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

PASSWORD = "bench-levels-1"


def main(n: int = 5000, backend: str = "sqlite") -> None:
    from sync.station.demo import DEMO_GRIDS
    from tests.station_support import HttpDevice, start_station, station_database
    from tests.support.clients import TOWNSHIP, household

    root = Path(tempfile.mkdtemp(prefix="bench-levels-"))
    with station_database(backend, root) as url:
        county, township = start_station(root / "county", url), start_station(root / "township")
        try:
            for station in (county, township):
                station.import_grids(DEMO_GRIDS)
            township.add_user("w", PASSWORD)
            county.add_user("t", PASSWORD, role="station", grids=[TOWNSHIP])
            worker = HttpDevice(township, "w", PASSWORD)
            for start in range(0, n, 500):
                batch = [worker.change("household", str(uuid.uuid4()), household(k))
                         for k in range(start, min(n, start + 500))]
                assert worker.push(batch).status_code == 200
            township._ok(township.cli("upstream", "--station", county.url, "--user", "t", "--password-stdin",
                                      stdin=PASSWORD + "\n"))
            began = time.perf_counter()
            counts = json.loads(township._ok(township.cli("sync", "--json")).stdout)
            forwarded = time.perf_counter()
            township._ok(township.cli("sync", "--json"))
            idle = time.perf_counter()
            print(f"{backend} county, {n} households: {counts}; forward {forwarded - began:.2f} s, "
                  f"idle forward {idle - forwarded:.2f} s")
        finally:
            township.stop()
            county.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000, sys.argv[2] if len(sys.argv) > 2 else "sqlite")
