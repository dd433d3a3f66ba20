"""What "acknowledged means replicated" costs: pushes to a station on a primary PostgreSQL with a hot standby,
asynchronous against synchronous (flushed on the standby) and remote_apply (applied there), in one run.

Not in bench.run (it needs PostgreSQL binaries, scripts/pg-replicated.sh): one laptop pushes batches of
1 and of 500 new households one after the other; the median and worst time of a push at each setting,
with the standby on loopback and with its replication connection across a line of 5 ms each way
(tests/support/link.py, as a standby in another building would be).
Run: PG_FSYNC=on python -m bench.bench_replication [pushes]   (fsync off without PG_FSYNC, as in the tests)
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import make_url

PASSWORD = "bench-replication-1"
SETTINGS = {   # synchronous_standby_names, synchronous_commit
    "asynchronous": ("''", "on"),
    "synchronous (on)": ("'standby1'", "on"),
    "synchronous (remote_apply)": ("'standby1'", "remote_apply"),
}
ONE_WAY_S = 0.005


def replicate_through(pair, port: int) -> None:
    """Point the standby's replication connection at `port` and wait until it streams from there."""
    pair.sql(f"ALTER SYSTEM SET primary_conninfo = 'host=127.0.0.1 port={port} user=gridbook "
             "application_name=standby1'", on="standby")
    pair.sql("SELECT pg_reload_conf()", on="standby")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if pair.sql(f"SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming' "
                    f"AND sender_port = {port}", on="standby"):
            return
        time.sleep(0.2)
    raise RuntimeError("the standby did not reconnect")


def main(pushes: int = 20) -> None:
    from sync.station.demo import DEMO_GRIDS
    from tests.station_support import HttpDevice, start_station
    from tests.support.clients import household
    from tests.support.fault_proxy import FaultProxy
    from tests.support.link import Link
    from tests.support.pg_replicated import ReplicatedPg

    root = Path(tempfile.mkdtemp(prefix="bench-replication-"))
    pair = ReplicatedPg()
    proxy = FaultProxy(make_url(pair.primary).port, link=Link(100_000_000, ONE_WAY_S))
    try:
        primary_url, _standby_url = pair.database("county")
        county = start_station(root / "county", primary_url)
        try:
            county.import_grids(DEMO_GRIDS)
            county.add_user("w", PASSWORD)
            worker = HttpDevice(county, "w", PASSWORD)
            print(f"{'standby':10} {'setting':28} {'batch':>5} {'median ms':>10} {'worst ms':>9}")
            for line, port in (("loopback", make_url(pair.primary).port), (f"{ONE_WAY_S * 1000:g} ms", proxy.port)):
                replicate_through(pair, port)
                for name, (standbys, commit) in [("warm-up", SETTINGS["asynchronous"]), *SETTINGS.items()]:
                    pair.sql(f"ALTER SYSTEM SET synchronous_standby_names = {standbys}")
                    pair.sql(f"ALTER SYSTEM SET synchronous_commit = {commit}")
                    pair.sql("SELECT pg_reload_conf()")
                    time.sleep(0.5)
                    for size in (1, 500):
                        took = []
                        for _ in range(pushes):
                            batch = [worker.change("household", str(uuid.uuid4()), household(k)) for k in range(size)]
                            began = time.perf_counter()
                            assert worker.push(batch).status_code == 200
                            took.append((time.perf_counter() - began) * 1000)
                        if name != "warm-up":
                            print(f"{line:10} {name:28} {size:>5} {statistics.median(took):>10.1f} {max(took):>9.1f}")
        finally:
            county.stop()
    finally:
        proxy.close()
        pair.destroy()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
