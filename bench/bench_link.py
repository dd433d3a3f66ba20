"""A bad link: 10,000 changes pushed over 256 kbit/s, 400 ms round trips, the line cut every ~200 KB.

The reference is the same change log (a copy of the same data folder: same device, same
changes) pushed over a clean loopback link in this run; the proxy (tests/support/fault_proxy.py,
the one the fault suite uses, with tests/support/link.py) counts the bytes both times.
Target: every change applied exactly once, bytes sent ≤ 1.3 × the clean run's.
"""
from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

from .common import GRID, Figure, households

PASSWORD = "bench-link-secret"
CHANGES, QUICK_CHANGES = 10_000, 2_000
TARGET_RATIO = 1.3


def make_folder(folder: Path, n: int) -> None:
    from desktop.store import open_store
    store = open_store(folder)
    store.put("grid", {"code": GRID[:12], "name": "幸福村", "level": "village"})
    store.put("grid", {"code": GRID, "name": "第三网格", "level": "grid", "parent_code": GRID[:12]})
    store.put_many("household", households(n, random.Random(8)))
    store.engine.dispose()


def push_through(folder: Path, workdir: Path, link) -> dict:
    """A fresh station, a proxy (with `link` or clean), login and sync; bytes, time and what the station holds."""
    from desktop.store import open_store, replication
    from desktop.syncing import SyncEngine
    from tests.station_support import DEMO_GRIDS, start_station
    from tests.support.clients import station_applied
    from tests.support.fault_proxy import FaultProxy

    station = start_station(workdir)
    proxy = FaultProxy(station.port, link=link)
    store = open_store(folder)
    # a patient client: a village line drops often, and each drop costs one retry
    engine = SyncEngine(store, retries=30, backoff=0.5, timeout=(10, 60))
    try:
        station.import_grids(DEMO_GRIDS)
        station.add_user("link", PASSWORD, grids=(GRID,))
        started = time.perf_counter()
        engine.login(proxy.url, "link", PASSWORD)
        result = engine.sync()
        elapsed = time.perf_counter() - started
        applied = station_applied(station, store.device_id)
        return {"up": proxy.bytes_up, "down": proxy.bytes_down, "seconds": elapsed, "pushed": result.pushed,
                "pending": replication.pending_count(store), "applied": applied,
                "cuts": link.cuts if link is not None else 0}
    finally:
        engine.session.close()
        store.engine.dispose()
        proxy.close()
        station.stop()


def run(quick: bool = False) -> list[Figure]:
    import keyring
    from keyring.backends import fail

    from tests.support.link import Link

    keyring.set_keyring(fail.Keyring())          # the bench's tokens stay in its temporary folders
    n = QUICK_CHANGES if quick else CHANGES
    with tempfile.TemporaryDirectory(prefix="gridbook-link-") as tmp:
        root = Path(tmp)
        make_folder(root / "clean", n)
        shutil.copytree(root / "clean", root / "bad")            # the very same change log
        clean = push_through(root / "clean", root / "station-clean", None)
        link = Link.rural()
        bad = push_through(root / "bad", root / "station-bad", link)
    once = bad["applied"] == list(range(1, n + 1)) and bad["pending"] == 0 and bad["pushed"] == n
    ratio = bad["up"] / clean["up"]
    return [
        Figure(f"bad link: {n:,} changes at 256 kbit/s, 400 ms RTT, cut every 200 KB ({bad['cuts']} cuts)",
               bad["seconds"], "s", f"clean loopback {clean['seconds']:.1f} s", None,
               "completes, every change once", once),
        Figure("bad link: bytes sent", bad["up"] / 1024, "KiB",
               f"clean run {clean['up'] / 1024:,.0f} KiB sent, {clean['down'] / 1024:,.0f} KiB received",
               ratio, f"≤ {TARGET_RATIO} × clean", ratio <= TARGET_RATIO and once),
        Figure("bad link: bytes received", bad["down"] / 1024, "KiB", f"clean run {clean['down'] / 1024:,.0f} KiB",
               bad["down"] / max(clean["down"], 1), "", None),
    ]


if __name__ == "__main__":
    from .common import table
    print(table(run(quick=True)))
