"""The laptop's process SIGKILLed at seeded random points of a sync, then restarted: every change exactly once.

Each trial runs `gridbook-cli --data D sync` as a real process against a real station
(through the fault proxy, which only watches: it arms the kill when the chosen push
batch or pull page goes by), kills it `delay` seconds later, checks the SQLite file,
then syncs again from a fresh process state (the same CLI, run in this process) and
compares the station and the laptop row by row, field by field.
"""
from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from desktop.store.schema import change_log
from sync import records
from sync.station import tables
from tests.station_support import DEMO_GRIDS, start_station
from tests.support.cli_process import Killer, finish, integrity, start_cli
from tests.support.clients import VILLAGE, Client, household, local_grids, new_user, station_applied, station_records
from tests.support.fault_proxy import FaultProxy

pytestmark = [pytest.mark.usefixtures("file_tokens"), pytest.mark.slow]
SEED = 20240817
PUSH_TRIALS, PULL_TRIALS, STARTUP_TRIALS = 10, 8, 4
PUSH_NEW, PUSH_EDITS, PUSH_DELETES = 1100, 80, 20      # 1,200 changes: three batches of 500
PULL_HOUSEHOLDS, PULL_PEOPLE = 1800, 1400             # 3,200 records: pages of 1,000, 2,000 and 200
TRIALS = ([("push", k) for k in range(PUSH_TRIALS)] + [("pull", k) for k in range(PULL_TRIALS)]
          + [("startup", k) for k in range(STARTUP_TRIALS)])


def trial_grid(n: int) -> str:
    return f"{VILLAGE}-{10 + n:02d}"


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    """One station for the module; every trial works in a grid of its own, so pulls stay small."""
    running = start_station(tmp_path_factory.mktemp("station"))
    running.import_grids(DEMO_GRIDS + [{"code": trial_grid(n), "name": f"试验网格{n}", "level": "grid",
                                        "parent_code": VILLAGE} for n in range(len(TRIALS))])
    yield running
    running.stop()


@pytest.fixture(scope="module")
def proxy(station):
    watching = FaultProxy(station.port)
    yield watching
    watching.close()


def fill_the_log(client: Client, grid: str, rng: random.Random) -> list[str]:
    """New households, edits of some of them, a few deletes: every kind of change in the log."""
    ids = client.store.put_many("household", [household(n, grid) for n in range(PUSH_NEW)])
    for n in range(PUSH_EDITS):
        client.put("household", {"id": rng.choice(ids), "phone": f"139{n:08d}"})
    for record_id in rng.sample(ids, PUSH_DELETES):
        client.store.delete("household", record_id)
    return ids


def feed_the_station(station, folder, grid: str) -> None:
    """Another laptop of the same grid sends households and residents for the victim to pull."""
    feeder = Client(folder, batch_size=2000)
    try:
        local_grids(feeder, grid)
        feeder.login(station.url, new_user(station, grids=(grid,)))
        homes = feeder.store.put_many("household", [household(n, grid) for n in range(PULL_HOUSEHOLDS)])
        feeder.store.put_many("person", [{"household_id": homes[n % len(homes)], "name": f"居民{n}"}
                                         for n in range(PULL_PEOPLE)])
        assert feeder.sync().pushed == PULL_HOUSEHOLDS + PULL_PEOPLE
    finally:
        feeder.close()


def station_ids(station, record_type: str, grid: str) -> list[str]:
    table = records.record_table(record_type)
    households = records.record_table("household")
    query = select(table.c.id)
    if record_type == "person":
        query = query.join(households, households.c.id == table.c.household_id)
    query = query.where(households.c.grid_code == grid)
    engine = station.engine()
    try:
        with engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]
    finally:
        engine.dispose()


def station_acked(station, device_id: str) -> int:
    engine = station.engine()
    try:
        with engine.connect() as conn:
            return conn.execute(select(tables.device.c.acked).where(tables.device.c.id == device_id)).scalar() or 0
    finally:
        engine.dispose()


def change_log_size(client: Client) -> int:
    with client.store.reading() as conn:
        return conn.execute(select(func.count()).select_from(change_log)).scalar()


@pytest.mark.parametrize("phase,trial", TRIALS, ids=[f"{p}-{k}" for p, k in TRIALS])
def test_a_laptop_killed_mid_sync_converges_with_every_change_once(station, proxy, tmp_path, phase, trial):
    number = TRIALS.index((phase, trial))
    rng = random.Random(SEED * 100 + number)
    grid = trial_grid(number)
    if phase == "pull":
        feed_the_station(station, tmp_path / "feeder", grid)
    laptop = Client(tmp_path / "laptop")
    local_grids(laptop, grid)
    laptop.login(proxy.url, new_user(station, grids=(grid,)))
    if phase == "pull":
        own = [laptop.put("household", household(n, grid)) for n in range(5)]
        made = 5
    else:
        own = fill_the_log(laptop, grid, rng)
        made = PUSH_NEW + PUSH_EDITS + PUSH_DELETES
    device_id = laptop.device_id
    laptop.close()

    victim = start_cli(tmp_path / "laptop", "sync")
    if phase == "startup":            # anywhere from opening the store to the first exchanges
        killer = Killer(victim, rng.uniform(0.1, 1.3))
        killer.arm()
    else:                             # a seeded batch or page, then a seeded delay inside its handling
        match = b"POST /v1/push" if phase == "push" else b"GET /v1/pull"
        killer = Killer(victim, rng.uniform(0.0, 0.2))
        proxy.on_request(killer.arm, match=match, skip=rng.randrange(3))     # one of 3 batches or 3 pages
    code, output = finish(victim)
    proxy.clear()
    if phase == "startup":
        assert code in (0, -9), output          # a late kill may find the sync already done
    else:
        assert killer.armed.is_set() and code == -9, output
    assert integrity(tmp_path / "laptop" / "gridbook.sqlite3") == "ok"

    laptop = Client(tmp_path / "laptop")          # the restarted program: the store as the kill left it
    try:
        code, out, err = laptop.cli("sync")
        assert code == 0, (out, err)
        # the laptop: everything acknowledged, nothing pulled was logged as its own change
        assert (laptop.pending(), laptop.acked(), change_log_size(laptop)) == (0, made, made)
        # the station: every change of this device applied exactly once (the audit trail), acked agrees
        assert station_applied(station, device_id) == list(range(1, made + 1))
        assert station_acked(station, device_id) == made
        # and both hold the same records, field by field, none missing and none extra
        snapshot = laptop.snapshot(("household", "person"))
        for record_type in ("household", "person"):
            ids = station_ids(station, record_type, grid)
            assert len(ids) == len(set(ids))
            theirs = station_records(station, record_type, ids)
            mine = {key: row for (kind, key), row in snapshot.items() if kind == record_type}
            assert mine == theirs
        assert set(own) <= set(station_ids(station, "household", grid))
        expected_households = PULL_HOUSEHOLDS + 5 if phase == "pull" else PUSH_NEW
        assert sum(1 for kind, _ in snapshot if kind == "household") == expected_households
    finally:
        laptop.close()
