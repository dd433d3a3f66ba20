"""Levels: a township station forwards to its county station (real processes on loopback, real laptops)."""
from __future__ import annotations

import contextlib
import json
import uuid

import pytest
import requests

from sync import protocol
from sync.station.demo import DEMO_GRIDS
from tests.station_support import HttpDevice, free_port, start_station, station_backends, station_database
from tests.support.clients import (
    GRID,
    PASSWORD,
    TOWNSHIP,
    Client,
    household,
    new_user,
    station_applied,
    station_records,
)
from tests.support.waiting import wait_for

pytestmark = pytest.mark.usefixtures("file_tokens")
COUNTY = "420704"
OTHER_TOWNSHIP_GRID = "420704101201-01"


@pytest.fixture
def clients(tmp_path):
    made = []

    def make(name: str) -> Client:
        made.append(Client(tmp_path / name))
        return made[-1]

    yield make
    for client in made:
        client.close()


@pytest.fixture(params=station_backends())
def county(request, tmp_path):
    """A county station (SQLite, and PostgreSQL when GRIDBOOK_TEST_PG is set) with the hierarchy."""
    with station_database(request.param, tmp_path / "county") as url:
        (tmp_path / "county").mkdir(exist_ok=True)
        station = start_station(tmp_path / "county", url)
        station.import_grids(DEMO_GRIDS)
        yield station
        station.stop()


@pytest.fixture
def township(tmp_path):
    """A township station (SQLite) with its own copy of the hierarchy, not yet linked."""
    (tmp_path / "township").mkdir()
    station = start_station(tmp_path / "township")
    station.import_grids(DEMO_GRIDS)
    yield station
    station.stop()


def link(township, county) -> str:
    account = new_user(county, "station", (TOWNSHIP,))
    done = township.cli("upstream", "--station", county.url, "--user", account, "--password-stdin",
                        stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    return account


def forward(township) -> dict:
    done = township.cli("sync", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def pulled_audit(station) -> list[list]:
    """[type, id, fields] of every change the station took from its upper station (its audit)."""
    from sqlalchemy import select

    from sync.station import tables
    engine = station.engine()
    try:
        with engine.connect() as conn:
            details = conn.execute(select(tables.audit.c.detail).where(tables.audit.c.action == "upstream_pull"))
            return [c for d in details.scalars() for c in (json.loads(d) if isinstance(d, str) else d)["changes"]]
    finally:
        engine.dispose()


def upstream_device(township) -> str:
    return json.loads(township.cli("status", "--json").stdout)["device"]


def test_a_household_made_on_a_laptop_reaches_the_county_and_a_county_edit_reaches_the_laptop(
        county, township, clients):
    link(township, county)
    laptop = clients("laptop")
    laptop.login(township.url, new_user(township))
    laptop.sync()                              # the hierarchy first
    home = laptop.put("household", household(1, phone="13800138000"))
    person = laptop.put("person", {"household_id": home, "name": "张小明", "residence": "registered"})
    assert laptop.sync().pushed == 2
    counts = forward(township)
    assert counts["pushed"] == 2 and counts["set_aside"] == 0
    mine = laptop.snapshot()
    assert station_records(county, "household", [home])[home] == mine[("household", home)]
    assert station_records(county, "person", [person])[person] == mine[("person", person)]

    desk = clients("county-desk")              # a county-scope device at the county station
    desk.login(county.url, new_user(county, "county", (COUNTY,)))
    desk.sync()
    assert desk.snapshot()[("household", home)] == mine[("household", home)]
    desk.put("household", {"id": home, "phone": "13900139000"})
    assert desk.sync().pushed == 1
    counts = forward(township)
    assert counts["pushed"] == 0 and counts["applied"] >= 1
    laptop.sync()
    assert laptop.store.get("household", home)["phone"] == "13900139000"
    assert ["household", home, ["phone"]] in pulled_audit(township)      # what came down is audited
    # what came down is not sent back up as if new: nothing to forward, nothing applied twice
    assert forward(township)["pushed"] == 0
    assert station_applied(county, upstream_device(township)) == [1, 2]


def test_concurrent_edits_at_the_township_laptop_and_the_county_converge_everywhere(county, township, clients):
    link(township, county)
    laptop = clients("laptop")
    laptop.login(township.url, new_user(township))
    laptop.sync()                              # the hierarchy first
    desk = clients("county-desk")
    desk.login(county.url, new_user(county, "county", (COUNTY,)))
    home = laptop.put("household", household(2))
    laptop.sync()
    forward(township)
    desk.sync()
    # offline on both sides, the same field; the county edits last, so its stamp is the greater
    laptop.put("household", {"id": home, "head_name": "王五", "notes": "村里改的"})
    desk.put("household", {"id": home, "head_name": "赵六"})
    laptop.sync()
    desk.sync()
    forward(township)
    laptop.sync()
    desk.sync()
    forward(township)          # a second round changes nothing
    want = station_records(county, "household", [home])[home]
    assert (want["head_name"], want["notes"]) == ("赵六", "村里改的")
    assert station_records(township, "household", [home])[home] == want
    assert laptop.snapshot()[("household", home)] == desk.snapshot()[("household", home)] == want
    applied = station_applied(county, upstream_device(township))
    assert applied == sorted(set(applied))             # no change of the township applied twice


def test_forwarding_twice_doubles_nothing(county, township, clients):
    link(township, county)
    laptop = clients("laptop")
    laptop.login(township.url, new_user(township))
    laptop.sync()                              # the hierarchy first
    homes = [laptop.put("household", household(n)) for n in range(5)]
    laptop.sync()
    assert forward(township)["pushed"] == 5
    again = forward(township)
    assert (again["pushed"], again["applied"]) == (0, 0)
    assert len(station_records(county, "household", homes)) == 5
    assert station_applied(county, upstream_device(township)) == [1, 2, 3, 4, 5]


def test_an_unreachable_upper_station_is_one_line_and_exit_1(township):
    county_url = f"http://127.0.0.1:{free_port()}"          # nothing listens there
    township.cli  # noqa: B018  (the station exists; linking needs the county, so write the link by hand)
    from sync.station import upstream
    engine = township.engine()
    try:
        with engine.begin() as conn:
            upstream.set_values(conn, url=county_url, user="t", device=str(uuid.uuid4()), token="x", grids="[]")
    finally:
        engine.dispose()
    done = township.cli("sync")
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert "无法连接上级站" in done.stderr and "Traceback" not in done.stderr
    done = township.cli("--lang", "en", "sync")
    assert done.returncode == 1 and "Cannot reach the upper station" in done.stderr


def test_linking_needs_a_station_account(county, township):
    worker = new_user(county, "township", (TOWNSHIP,))
    done = township.cli("--lang", "en", "upstream", "--station", county.url, "--user", worker, "--password-stdin",
                        stdin=PASSWORD + "\n")
    assert done.returncode == 2 and "not a station account" in done.stderr
    assert json.loads(township.cli("status", "--json").stdout) == {"linked": False}


def test_the_county_refuses_a_lower_station_writing_outside_its_scope_and_laptops_forwarding_stamps(county):
    account = new_user(county, "station", (TOWNSHIP,))
    lower = HttpDevice(county, account, PASSWORD)
    other_device = str(uuid.uuid4())

    def stamped(device: HttpDevice, grid: str) -> dict:
        change = device.change("household", str(uuid.uuid4()), household(9, grid=grid))
        stamp = f"{change['hlc']:016x}{other_device}"
        return {**change, "s": dict.fromkeys(change["f"], stamp)}

    refused = lower.push([stamped(lower, OTHER_TOWNSHIP_GRID)])
    assert refused.status_code == 403 and refused.json()["code"] == "out_of_scope"
    lower.seq = 0
    inside = stamped(lower, GRID)
    assert lower.push([inside]).status_code == 200
    # the stamps are kept as the author made them, not the forwarding device's
    engine = county.engine()
    try:
        from sync.station.writer import fetch_rows
        with engine.connect() as conn:
            row = fetch_rows(conn, "household", [inside["id"]])[inside["id"]]
    finally:
        engine.dispose()
    assert set(row["clocks"].values()) == {f"{inside['hlc']:016x}{other_device}"}
    # a laptop's account may not forward stamps
    worker = HttpDevice(county, new_user(county), PASSWORD)
    answer = worker.push([stamped(worker, GRID)])
    assert answer.status_code == 403 and answer.json()["code"] == "stamps_station_only"
    assert requests.get(county.url + "/health", timeout=5).json()["protocol"] == protocol.PROTOCOL_VERSION


FAST_FORWARD = {"GRIDBOOK_STATION_UPSTREAM_INTERVAL": "0.2", "GRIDBOOK_STATION_UPSTREAM_BACKOFF": "1"}


def county_count(county, record_type: str = "household") -> int:
    from sqlalchemy import func, select

    from sync import records
    engine = county.engine()
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(records.record_table(record_type))).scalar()
    finally:
        engine.dispose()


@pytest.fixture
def forwarding_township(tmp_path):
    """A township station whose serve forwards by itself every 0.2 s (backing off to 1 s)."""
    (tmp_path / "township").mkdir()
    station = start_station(tmp_path / "township", env=FAST_FORWARD)
    station.import_grids(DEMO_GRIDS)
    yield station
    station.stop()


def test_serve_forwards_by_itself_and_catches_up_after_the_county_was_down(county, forwarding_township, clients):
    township = forwarding_township
    link(township, county)
    laptop = clients("laptop")
    laptop.login(township.url, new_user(township))
    laptop.sync()
    first = laptop.put("household", household(1))
    laptop.sync()
    wait_for(lambda: station_records(county, "household", [first]), what="the household at the county")
    county.stop()                                      # the county goes dark; the township carries on
    second = laptop.put("household", household(2))
    assert laptop.sync().pushed == 1
    assert requests.get(township.url + "/health", timeout=5).status_code == 200
    county.start()                                     # same port: the township finds it again
    wait_for(lambda: station_records(county, "household", [second]), what="the second household after the outage")
    assert "upper station unreachable" in township.log()
    assert station_applied(county, upstream_device(township)) == [1, 2]


@contextlib.contextmanager
def second_batch_paused(tmp_path):
    """A county and a forwarding township, 1,500 households below; the county has committed the first
    batch of 500 and holds the second written, not committed: yields (county, township, pause folder)."""
    pause = tmp_path / "pause"
    pause.mkdir()
    (tmp_path / "county").mkdir()
    county = start_station(tmp_path / "county", env={"GRIDBOOK_STATION_TEST_PUSH_PAUSE": str(pause)})
    (tmp_path / "township").mkdir()
    township = start_station(tmp_path / "township", env=FAST_FORWARD)
    try:
        for station in (county, township):
            station.import_grids(DEMO_GRIDS)
        worker = HttpDevice(township, new_user(township), PASSWORD)
        for start in range(0, KILLED_TOTAL, 500):
            batch = [worker.change("household", str(uuid.uuid4()), household(n)) for n in range(start, start + 500)]
            assert worker.push(batch).status_code == 200
        (pause / "pause").write_text("1")              # the first batch commits, the second waits
        link(township, county)
        wait_for(lambda: (pause / "paused").exists(), what="the second batch paused at the county")
        yield county, township, pause
    finally:
        township.stop()
        county.stop()


KILLED_TOTAL = 1500


def test_a_township_killed_while_forwarding_converges_after_restart(tmp_path):
    """The county pauses the township's second batch between its writes and its commit; the township is
    SIGKILLed meanwhile, the county then commits the batch whose answer nobody reads; restarted, the
    township sends that batch again (a replay), then the rest: everything once at the county."""
    with second_batch_paused(tmp_path) as (county, township, pause):
        total = KILLED_TOTAL
        township.kill()                                # SIGKILL, mid-forward
        (pause / "pause").unlink()                     # the county commits the batch; its answer goes nowhere
        wait_for(lambda: county_count(county) == 1000, what="the second batch committed")
        township.start()
        wait_for(lambda: county_count(county) == total, what="everything at the county")
        device = upstream_device(township)
        assert station_applied(county, device) == list(range(1, total + 1))
        assert json.loads(township.cli("status", "--json").stdout)["outbox"] == 0


def test_the_county_killed_mid_batch_converges_after_restart(tmp_path):
    """The county holds the township's second batch written and not committed; the county is SIGKILLed
    then (the batch is lost with its transaction); restarted, it takes that batch again from the
    township, which forwards by itself: everything once at the county, nothing waiting below."""
    with second_batch_paused(tmp_path) as (county, township, pause):
        total = KILLED_TOTAL
        county.kill()                                  # SIGKILL, its batch uncommitted
        assert county_count(county) == 500
        (pause / "pause").unlink()
        county.start()
        wait_for(lambda: county_count(county) == total, what="everything at the county")
        device = upstream_device(township)
        assert station_applied(county, device) == list(range(1, total + 1))
        wait_for(lambda: json.loads(township.cli("status", "--json").stdout)["outbox"] == 0,
                 what="the township's outbox empty")


def test_a_change_the_county_refuses_is_set_aside_and_the_rest_goes_up(county, township, clients):
    # a grid the township made that the county does not know (yet)
    township.import_grids([{"code": "420704100201-09", "name": "幸福村第九网格", "level": "grid",
                            "parent_code": "420704100201"}])
    link(township, county)
    laptop = clients("laptop")
    laptop.login(township.url, new_user(township, grids=("420704100201-09", GRID)))
    laptop.sync()
    stray = laptop.put("household", household(1, grid="420704100201-09"))
    fine = laptop.put("household", household(2))
    laptop.sync()
    counts = forward(township)
    assert (counts["pushed"], counts["set_aside"]) == (1, 1)
    assert set(station_records(county, "household", [stray, fine])) == {fine}
    status = json.loads(township.cli("status", "--json").stdout)
    assert (status["set_aside"], status["outbox"]) == (1, 0)
    assert forward(township)["pushed"] == 0            # set aside stays aside; nothing is sent twice


def test_a_revoked_station_is_told_so_in_one_line(county, township):
    link(township, county)
    device = upstream_device(township)
    assert county.cli("device", "revoke", device).returncode == 0
    done = township.cli("--lang", "en", "sync")
    assert done.returncode == 2 and "revoked" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert township.cli("upstream", "--off").returncode == 0
    assert json.loads(township.cli("status", "--json").stdout) == {"linked": False}


def test_a_case_and_its_steps_at_the_township_reach_the_county(county, township, clients):
    from desktop.services.incidents import Incidents
    link(township, county)
    laptop, office = clients("laptop"), clients("office")
    laptop.login(township.url, new_user(township))
    office.login(township.url, new_user(township, "township", (TOWNSHIP,)))
    laptop.sync()
    village, centre = Incidents(laptop.store), Incidents(office.store)
    case_id = village.report({"grid_code": GRID, "category": "dispute", "title": "宅基地边界纠纷",
                              "parties": "张三、李四"})
    village.record(case_id, "escalate", notes="调解未果，提请乡镇处理")
    laptop.sync()
    office.sync()
    centre.record(case_id, "dispatch", assignee="司法所 王明")       # a township-level step
    office.sync()
    counts = forward(township)
    assert counts["set_aside"] == 0
    steps = {s.event["id"]: s.event["step"] for s in centre.case(case_id).steps}
    at_county = station_records(county, "incident_event", list(steps))
    assert {i: r["step"] for i, r in at_county.items()} == steps
    assert station_records(county, "incident", [case_id])[case_id]["title"] == "宅基地边界纠纷"


def test_the_county_forwards_to_the_city_the_same_way(county, township, clients, tmp_path):
    (tmp_path / "city").mkdir()
    city = start_station(tmp_path / "city")
    try:
        city.import_grids(DEMO_GRIDS)
        link(township, county)
        account = new_user(city, "station", (COUNTY,))
        assert county.cli("upstream", "--station", city.url, "--user", account, "--password-stdin",
                          stdin=PASSWORD + "\n").returncode == 0
        laptop = clients("laptop")
        laptop.login(township.url, new_user(township))
        laptop.sync()
        home = laptop.put("household", household(3))
        laptop.sync()
        forward(township)
        assert forward(county)["pushed"] == 1
        assert station_records(city, "household", [home])[home] == laptop.snapshot()[("household", home)]
        desk = clients("city-desk")                     # a change made at the city comes all the way down
        desk.login(city.url, new_user(city, "county", (COUNTY,)))
        desk.sync()
        desk.put("household", {"id": home, "notes": "市级核查"})
        desk.sync()
        forward(county)
        forward(township)
        laptop.sync()
        assert laptop.store.get("household", home)["notes"] == "市级核查"
        assert (forward(county)["pushed"], forward(township)["pushed"]) == (0, 0)     # no echo up the tree
    finally:
        city.stop()


def test_a_resident_taken_before_its_household_changed_again_takes_the_household_along(township):
    """The outbox never holds a resident before its household: a household changed again after its
    resident (so its sequence is beyond the taker's chunk) is taken with the resident; at its own later
    sequence it is not taken again (the upper station is sent it as it is: nothing new)."""
    from sqlalchemy import func, select

    from sync.station import tables, upstream
    from sync.station.upstream_outbox import take
    worker = HttpDevice(township, new_user(township), PASSWORD)
    home, person = str(uuid.uuid4()), str(uuid.uuid4())
    assert worker.push([worker.change("household", home, household(1)),
                        worker.change("person", person, {"household_id": home, "name": "张三",
                                                         "residence": "registered"})]).status_code == 200
    assert worker.push([worker.change("household", home, {"phone": "13800138000"})]).status_code == 200
    engine = township.engine()
    try:
        with engine.begin() as conn:
            upstream.set_values(conn, url="http://127.0.0.1:9", token="x", grids=json.dumps([TOWNSHIP]))
            rv = tables.record_version
            person_seq = conn.execute(select(rv.c.seq).where(rv.c.record_id == person)).scalar()
            upto = conn.execute(select(func.count()).select_from(rv).where(rv.c.seq <= person_seq)).scalar()
        with engine.begin() as conn:
            take(conn, limit=upto)                      # a chunk that ends with the resident
        with engine.begin() as conn:
            take(conn)                                  # the household's own (later) sequence
        with engine.connect() as conn:
            o = tables.upstream_outbox
            taken = conn.execute(select(o.c.record_type, o.c.record_id, o.c.change).order_by(o.c.seq)).all()
    finally:
        engine.dispose()
    assert [(t, i) for t, i, _c in taken] == [("household", home), ("person", person)]
    assert taken[0][2]["f"]["phone"] == "13800138000" and taken[0][2]["s"].keys() == taken[0][2]["f"].keys()


def test_a_township_restored_from_a_backup_forks_a_new_device_and_converges(county, township, clients, tmp_path):
    import shutil
    link(township, county)
    worker = HttpDevice(township, new_user(township), PASSWORD)
    first = [worker.change("household", str(uuid.uuid4()), household(n)) for n in range(3)]
    assert worker.push(first).status_code == 200
    forward(township)
    township.stop()                                  # the backup: the database files as they are now
    backup = tmp_path / "backup"
    backup.mkdir()
    for path in township.workdir.glob("station.sqlite3*"):
        shutil.copy(path, backup / path.name)
    township.start()
    later = [worker.change("household", str(uuid.uuid4()), household(n)) for n in range(3, 5)]
    assert worker.push(later).status_code == 200
    forward(township)                                # the county now holds the township's 1..5
    old_device = upstream_device(township)
    township.stop()
    for path in township.workdir.glob("station.sqlite3*"):
        path.unlink()
    for path in backup.iterdir():                    # restored: it forgot 4 and 5 and numbers on from 3
        shutil.copy(path, township.workdir / path.name)
    township.start()
    worker = HttpDevice(township, new_user(township), PASSWORD)
    again = [worker.change("household", str(uuid.uuid4()), household(n)) for n in range(5, 7)]
    answer = worker.push(again)
    assert answer.status_code == 200, answer.text
    counts = forward(township)                       # 4 and 5 differ from what the county holds: diverged
    assert counts["set_aside"] == 0 and upstream_device(township) != old_device
    ids = [c["id"] for c in first + later + again]
    assert len(station_records(county, "household", ids)) == 7
    assert forward(township)["pushed"] == 0
