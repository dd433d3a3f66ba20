"""The station SIGKILLed inside a push transaction: its database holds whole batches only,
and the laptop's retries (with the station restarted) converge to every change exactly once.

The moment is pinned, not guessed: the station runs with a test-only pause
(GRIDBOOK_STATION_TEST_PUSH_PAUSE, sync/station/test_pause.py) that lets a seeded number of
batches commit, then holds the next one after its writes and before its commit and says so
with a file; the kill lands there every time. The database is read between the kill and the
restart, so what is checked is exactly what the killed process left: the device's acknowledged
sequence at the last committed batch, one audit row per sequence up to it and none after, and
the records of those changes and no others.
"""
from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import func, select

from sync import records
from sync.station import tables
from sync.station.writer import push_audit
from tests.station_support import running_station, station_backends
from tests.support.clients import Client, household, local_grids, new_user, station_applied, station_records

pytestmark = [pytest.mark.usefixtures("file_tokens"), pytest.mark.slow]
SEED = 7311
BATCH, BATCHES, TRIALS = 400, 4, 3


@pytest.fixture(scope="module", params=station_backends())
def station(request, tmp_path_factory):
    pause = tmp_path_factory.mktemp("push-pause")
    for running in running_station(request.param, tmp_path_factory.mktemp(f"station-{request.param}"),
                                   env={"GRIDBOOK_STATION_TEST_PUSH_PAUSE": str(pause)}):
        running.pause = pause
        yield running


def wait_for(path, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def what_the_station_holds(station, device_id: str, ids: list[str]) -> dict:
    household = records.record_table("household")
    engine = station.engine()
    try:
        with engine.connect() as conn:
            acked = conn.execute(select(tables.device.c.acked).where(tables.device.c.id == device_id)).scalar()
            audit = push_audit(conn, device_id)
            present = {r[0] for r in conn.execute(select(household.c.id).where(household.c.id.in_(ids)))}
            versions = conn.execute(select(func.count()).select_from(tables.record_version)
                                    .where(tables.record_version.c.record_id.in_(ids))).scalar()
    finally:
        engine.dispose()
    return {"acked": acked or 0, "audit": sorted(r["seq"] for r in audit), "present": present,
            "versions": versions}


@pytest.mark.parametrize("trial", range(TRIALS))
def test_a_station_killed_mid_batch_keeps_whole_batches_and_the_retry_converges(station, tmp_path, trial):
    rng = random.Random(SEED + trial)
    laptop = Client(tmp_path / "laptop", retries=10, backoff=0.2, batch_size=BATCH)
    try:
        local_grids(laptop)
        laptop.login(station.url, new_user(station))
        ids = laptop.store.put_many("household", [household(n) for n in range(BATCH * BATCHES)])
        seen, restarted = {}, threading.Event()
        armed, paused = station.pause / "pause", station.pause / "paused"
        committed = rng.randrange(BATCHES)              # batches that commit before the one killed
        armed.write_text(str(committed))

        def kill_inspect_restart() -> None:
            seen["paused"] = wait_for(paused)           # the batch's writes are in, its commit is not
            station.kill()
            armed.unlink(missing_ok=True)
            paused.unlink(missing_ok=True)
            seen.update(what_the_station_holds(station, laptop.device_id, ids))
            station.start()
            restarted.set()

        killer = threading.Thread(target=kill_inspect_restart, daemon=True)
        killer.start()
        result = laptop.sync()
        assert restarted.wait(60) and seen["paused"]

        # what the killed station left: the batches that committed, each change of them once, nothing of the next
        acked = seen["acked"]
        # two batches are in flight and the writer commits what waits together: the batch sent before the
        # held one may share its transaction, and is then lost with it, unacknowledged (never half of it)
        assert acked in (committed * BATCH, max(0, committed - 1) * BATCH), \
            f"acked {acked}, expected the {committed} batches before the kill (or all but the last of them)"
        assert seen["audit"] == list(range(1, acked + 1))
        assert seen["present"] == set(ids[:acked]) and seen["versions"] == acked

        # the laptop retried into the restarted station: every change exactly once
        assert (laptop.pending(), laptop.acked()) == (0, len(ids))
        assert result.pushed + result.set_aside == len(ids) and result.set_aside == 0
        assert station_applied(station, laptop.device_id) == list(range(1, len(ids) + 1))
        theirs = station_records(station, "household", ids)
        mine = {key: row for (_, key), row in laptop.snapshot(("household",)).items() if key in theirs}
        assert theirs == mine and len(theirs) == len(ids)
    finally:
        (station.pause / "pause").unlink(missing_ok=True)
        laptop.close()
        if station.process is None:          # a failed trial must not leave the next one without a station
            station.start()
    assert "Traceback" not in station.log()
