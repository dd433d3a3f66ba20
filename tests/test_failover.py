"""Failover: the county station's PostgreSQL primary is SIGKILLed mid-load, its synchronous hot standby is
promoted and the station restarted on it; nothing acknowledged is lost and nothing is applied twice.

Real processes on loopback: a primary and a standby made with pg_basebackup (scripts/pg-replicated.sh),
the county station (uvicorn), a township station on SQLite forwarding to it by itself, two village
laptops at the township and two laptops of a township without a station syncing straight to the county.
"""
from __future__ import annotations

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from desktop.syncing import SyncError
from sync import protocol, records
from sync.station import upstream
from sync.station.demo import DEMO_GRIDS
from tests.station_support import HttpDevice, Station, start_station
from tests.support import waiting
from tests.support.clients import GRID, OTHER_GRID, PASSWORD, TOWNSHIP, Client, household, new_user, station_applied
from tests.support.pg_cluster import pg_bin
from tests.support.pg_replicated import ReplicatedPg

pytestmark = [pytest.mark.usefixtures("file_tokens"), pytest.mark.pg, pytest.mark.slow,
              pytest.mark.skipif(pg_bin() is None, reason="PostgreSQL is not installed here, so there is no "
                                 "primary and standby to fail over (scripts/install-system-deps.sh --with-postgres; "
                                 "CI installs it)")]
DIRECT_GRID = "420704101201-01"        # 碧石渡镇 has no station: its laptops sync straight to the county
FAST_FORWARD = {"GRIDBOOK_STATION_UPSTREAM_INTERVAL": "0.2", "GRIDBOOK_STATION_UPSTREAM_BACKOFF": "1"}
ROUND = 50                              # households a laptop makes between two syncs
KILL_AT = 300                           # households the standby holds when the primary is killed


@pytest.fixture
def replicated():
    pair = ReplicatedPg()
    yield pair
    pair.destroy()


@pytest.fixture
def laptops(tmp_path):
    made: list[Client] = []

    def make(name: str) -> Client:
        made.append(Client(tmp_path / name, retries=1, backoff=0.05, batch_size=100))
        return made[-1]

    yield make
    for laptop in made:
        laptop.close()


def wait_for(check, timeout: float = 30, what: str = ""):
    return waiting.wait_for(check, timeout, what)


def households_at(url: str, ids=None) -> dict:
    """Households in the database at `url` (all of them, or those of `ids`): canonical fields and `deleted`."""
    from sync.station.db import make_engine
    table = records.record_table("household")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            query = select(table) if ids is None else select(table).where(table.c.id.in_(list(ids)))
            rows = conn.execute(query).mappings().all()
    finally:
        engine.dispose()
    return {r["id"]: {f: r[f] for f in (*records.fields_of("household"), "deleted")} for r in rows}


def count_at(url: str) -> int:
    from sync.station.db import make_engine
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(records.record_table("household"))).scalar()
    finally:
        engine.dispose()


def township_forwarded(township: Station) -> tuple[str, int]:
    """(the township's device at the county, the last of its sequences the county acknowledged)."""
    engine = township.engine()
    try:
        with engine.connect() as conn:
            return upstream.setting(conn, "device"), upstream.number(conn, "acked")
    finally:
        engine.dispose()


def keep_writing(laptop: Client, grid: str, killed: threading.Event, tag: str) -> tuple[list[str], int]:
    """Make households and sync, round after round, until two rounds after the primary died:
    (the households made, how many syncs failed)."""
    made, after_kill, failed = [], 0, 0
    for n in range(60):
        rows = [household(n * ROUND + i, grid=grid, notes=f"{tag}-{n}-{i}") for i in range(ROUND)]
        made += laptop.store.put_many("household", rows)
        try:
            laptop.sync()
        except SyncError:               # the county is down: the changes stay in the laptop's log
            failed += 1
        if killed.is_set():
            after_kill += 1
            if after_kill == 2:
                return made, failed
    raise AssertionError("the primary was never killed")


def sync_until_done(laptop: Client, timeout: float = 30) -> None:
    def done() -> bool:
        try:
            laptop.sync()
        except SyncError:
            return False
        return laptop.pending() == 0
    wait_for(done, timeout, "a laptop with nothing left to push")


def test_the_county_loses_its_primary_mid_load_and_nothing_acknowledged_is_lost_or_doubled(
        replicated, laptops, tmp_path):
    primary_url, standby_url = replicated.database("county")
    county = start_station(tmp_path / "county", primary_url)
    township = start_station(tmp_path / "township", env=FAST_FORWARD)
    try:
        for station in (county, township):
            station.import_grids(DEMO_GRIDS)
        account = new_user(county, "station", (TOWNSHIP,))
        assert township.cli("upstream", "--station", county.url, "--user", account, "--password-stdin",
                            stdin=PASSWORD + "\n").returncode == 0
        village = {grid: laptops(f"village-{n}") for n, grid in enumerate((GRID, OTHER_GRID))}
        direct = {f"direct-{n}": laptops(f"direct-{n}") for n in range(2)}
        for grid, laptop in village.items():
            laptop.login(township.url, new_user(township, grids=(grid,)))
            laptop.sync()                                   # the hierarchy first
        for laptop in direct.values():
            laptop.login(county.url, new_user(county, grids=(DIRECT_GRID,)))
            laptop.sync()

        # -- load, and the primary's postmaster SIGKILLed under it --------------------------------
        killed = threading.Event()
        writers = [(laptop, grid, grid) for grid, laptop in village.items()]
        writers += [(laptop, DIRECT_GRID, name) for name, laptop in direct.items()]
        with ThreadPoolExecutor(len(writers)) as pool:
            made_by = [pool.submit(keep_writing, laptop, grid, killed, tag) for laptop, grid, tag in writers]
            # the standby is a hot standby: the test watches the load arrive there
            wait_for(lambda: count_at(standby_url) >= KILL_AT, what=f"{KILL_AT} households on the standby")
            replicated.kill_primary()
            killed.set()
            outcome = {id(laptop): future.result(timeout=120)
                       for (laptop, _g, _t), future in zip(writers, made_by, strict=True)}
        made = {key: households for key, (households, _failed) in outcome.items()}
        # the township kept serving its villages while the county was down; the county's own laptops did not
        assert [outcome[id(laptop)][1] for laptop in village.values()] == [0, 0]
        assert all(outcome[id(laptop)][1] for laptop in direct.values())

        # -- the outage: the county answers 503 in the caller's language, never 500 ------------------
        for lang, words in (("en", "retry later"), ("zh-CN", "稍后重试")):
            reply = requests.post(county.url + "/v1/login", timeout=10,
                                  headers={**protocol.version_headers(), "Accept-Language": lang},
                                  json={"user": account, "password": PASSWORD, "device_id": str(uuid.uuid4())})
            assert reply.status_code == 503 and reply.json()["code"] == "unavailable", reply.text
            assert words in reply.json()["message"]
        assert requests.get(county.url + "/health", timeout=10).status_code == 503
        assert all(laptop.pending() > 0 for laptop in direct.values())        # they kept what was not taken

        # -- failover: stop the station, promote the standby, start the station on it --------------
        county.stop()
        replicated.promote()
        county.db_url = standby_url
        # before anyone could send anything again: every change the county acknowledged is on the standby
        township_device, township_acked = township_forwarded(township)
        acknowledged = {township_device: township_acked, **{lap.device_id: lap.acked() for lap in direct.values()}}
        assert all(acknowledged.values()), acknowledged
        for device, acked in acknowledged.items():
            applied = station_applied(county, device)
            assert set(range(1, acked + 1)) <= set(applied), f"{device}: acknowledged {acked}, standby {applied}"
        county.start()

        # -- everyone retries and converges ------------------------------------------------------
        for laptop in [*village.values(), *direct.values()]:
            sync_until_done(laptop)
        in_grid: dict[str, set[str]] = {}
        for laptop, grid, _tag in writers:
            in_grid.setdefault(grid, set()).update(made[id(laptop)])
        every = set().union(*in_grid.values())
        wait_for(lambda: count_at(standby_url) == len(every), what="every household at the county")

        def township_done() -> bool:
            status = json.loads(township.cli("status", "--json").stdout)
            return status["outbox"] == 0 and status["untaken"] == 0
        wait_for(township_done, what="the township with nothing left to forward")
        for laptop in [*village.values(), *direct.values()]:
            laptop.sync()                                   # and a last pull

        # nothing doubled: each device's changes applied once each, in full
        for laptop in direct.values():
            assert station_applied(county, laptop.device_id) == list(range(1, laptop.acked() + 1))
            assert laptop.acked() == len(made[id(laptop)])
        for laptop in village.values():
            assert station_applied(township, laptop.device_id) == list(range(1, len(made[id(laptop)]) + 1))
        device, acked = township_forwarded(township)
        assert station_applied(county, device) == list(range(1, acked + 1))
        # nothing lost: the county holds every household once, as each laptop and the township hold it
        at_county = households_at(standby_url)
        assert set(at_county) == every
        for laptop, grid, _tag in writers:              # what it made, and what the others made in its grid
            mine = {key: row for (_, key), row in laptop.snapshot(("household",)).items()}
            assert set(mine) == in_grid[grid]
            assert mine == {key: at_county[key] for key in mine}
        village_ids = in_grid[GRID] | in_grid[OTHER_GRID]
        assert households_at(township.db_url, village_ids) == {key: at_county[key] for key in village_ids}
        # and the promoted standby takes new writes as any primary does
        desk = HttpDevice(county, new_user(county, "county", ("420704",)), PASSWORD)
        assert desk.push([desk.change("household", *household_with_id(DIRECT_GRID))]).status_code == 200
    finally:
        township.stop()
        county.stop()
    assert "Traceback" not in county.log()


def household_with_id(grid: str) -> tuple[str, dict]:
    from sync.ids import new_id
    record_id = new_id()
    return record_id, {"id": record_id, **household(0, grid=grid)}


def test_with_the_standby_down_writes_wait_until_the_operator_lets_the_primary_commit_alone(replicated, tmp_path):
    """Synchronous replication without its standby: a push is neither committed nor acknowledged (it
    waits); the operator empties synchronous_standby_names, the waiting push commits on the primary alone,
    and the laptop's retry is a replay, acknowledged and applied once. Back to synchronous afterwards."""
    primary_url, standby_url = replicated.database("county")
    county = start_station(tmp_path / "county", primary_url)
    try:
        county.import_grids(DEMO_GRIDS)
        worker = HttpDevice(county, new_user(county), PASSWORD)
        first = [worker.change("household", *household_with_id(GRID)) for _ in range(5)]
        assert worker.push(first).status_code == 200
        replicated.stop_standby()
        waiting = [worker.change("household", *household_with_id(GRID)) for _ in range(5)]
        body = protocol.encode(worker.batch(waiting), compress=True)
        headers = worker.headers(**{"Content-Type": "application/json", "Content-Encoding": "gzip"})
        with pytest.raises(requests.ReadTimeout):         # no answer: the commit waits for the standby
            requests.post(county.url + "/v1/push", data=body, headers=headers, timeout=3)
        assert count_at(primary_url) == 5                  # and nobody sees it meanwhile
        # reads go on (and /health, which reads, does not tell: watch pg_stat_replication)
        assert worker.pull_all()                          # a pull answers (the hierarchy at least)
        assert requests.get(county.url + "/health", timeout=10).json()["status"] == "ok"
        assert replicated.sql("SELECT count(*) FROM pg_stat_replication") == 0
        # the operator, knowingly: acknowledged no longer means replicated until the standby is back
        replicated.sql("ALTER SYSTEM SET synchronous_standby_names = ''")
        replicated.sql("SELECT pg_reload_conf()")
        wait_for(lambda: count_at(primary_url) == 10, what="the waiting push committed on the primary alone")
        again = requests.post(county.url + "/v1/push", data=body, headers=headers, timeout=30)
        assert again.status_code == 200 and again.json()["acked"] == 10
        assert station_applied(county, worker.device_id) == list(range(1, 11))
        # the standby back, and synchronous again: it catches up, and the next push waits for it
        replicated.start_standby()
        replicated.sql("ALTER SYSTEM RESET synchronous_standby_names")
        replicated.sql("SELECT pg_reload_conf()")
        last = [worker.change("household", *household_with_id(GRID))]
        assert worker.push(last).status_code == 200        # flushed on the standby: visible once replayed
        wait_for(lambda: count_at(standby_url) == 11, timeout=10, what="the standby caught up")
    finally:
        county.stop()
    assert "Traceback" not in county.log()


def test_a_batch_whose_answer_was_lost_before_the_failover_is_a_replay_at_the_promoted_standby(replicated, tmp_path):
    """The primary commits a batch (so the standby holds it) but its answer never reaches the laptop;
    then the primary dies. The laptop sends the batch again to the promoted standby: a replay, applied once."""
    from tests.support.fault_proxy import FaultProxy
    primary_url, standby_url = replicated.database("county")
    county = start_station(tmp_path / "county", primary_url)
    proxy = FaultProxy(county.port)
    laptop = Client(tmp_path / "laptop", retries=0, backoff=0.05, batch_size=100)
    try:
        county.import_grids(DEMO_GRIDS)
        laptop.login(proxy.url, new_user(county))
        laptop.sync()
        laptop.store.put_many("household", [household(n) for n in range(100)])
        assert laptop.sync().pushed == 100
        laptop.store.put_many("household", [household(n) for n in range(100, 200)])
        proxy.cut_responses(after=0)                  # the station commits; its answer is lost on the way
        with pytest.raises(SyncError):
            laptop.sync()
        assert laptop.acked() == 100 and laptop.pending() == 100
        county.db_url = standby_url
        wait_for(lambda: station_applied(county, laptop.device_id) == list(range(1, 201)), timeout=10,
                 what="the unanswered batch on the standby")
        replicated.kill_primary()
        county.stop()
        replicated.promote()
        county.start()
        assert laptop.sync().pushed == 100 and laptop.pending() == 0
        assert station_applied(county, laptop.device_id) == list(range(1, 201))
        assert count_at(standby_url) == 200
    finally:
        proxy.close()
        laptop.close()
        county.stop()
    assert "Traceback" not in county.log()
