"""Levels end to end: two township stations (one on SQLite, one on PostgreSQL when GRIDBOOK_TEST_PG is set),
each with two laptops, one county station and one city station (PostgreSQL when available), real processes
on loopback. A household made in a village reaches the city; a case escalated from a village reaches the
county's inbox and its closing reaches the village laptop; concurrent edits at the two townships meet at the
county as one conflict, resolved once; every replica ends identical."""
from __future__ import annotations

import contextlib
import json

import pytest

from sync.station.demo import DEMO_GRIDS
from tests.station_support import start_station, station_backends, station_database
from tests.support.clients import GRID, PASSWORD, TOWNSHIP, Client, household, new_user, station_records
from tests.test_levels import COUNTY, OTHER_TOWNSHIP_GRID

pytestmark = pytest.mark.usefixtures("file_tokens")
PG = "pg" if "pg" in station_backends() else "sqlite"
# township 2's station also serves township 1's villages while their boundary is redrawn: the same
# records are edited at two townships (a station account's scope is townships or a county)
SHARED = TOWNSHIP
TYPES = ("household", "person", "incident", "incident_event")


def ok(done):
    assert done.returncode == 0, done.stderr
    return done


def forward(station) -> dict:
    return json.loads(ok(station.cli("sync", "--json")).stdout)


def link(lower, upper, grids: tuple[str, ...]) -> None:
    account = new_user(upper, "station", grids)
    ok(lower.cli("upstream", "--station", upper.url, "--user", account, "--password-stdin", stdin=PASSWORD + "\n"))


def open_conflicts(station) -> list[dict]:
    return json.loads(ok(station.cli("conflicts", "list", "--json")).stdout)


@pytest.fixture
def tree(tmp_path):
    """{"city", "county", "t1", "t2"}: started stations with the hierarchy, linked upward."""
    with contextlib.ExitStack() as stack:
        stations = {}
        for name, backend in (("city", PG), ("county", PG), ("t1", "sqlite"), ("t2", PG)):
            (tmp_path / name).mkdir()
            url = stack.enter_context(station_database(backend, tmp_path / name))
            stations[name] = start_station(tmp_path / name, url)
            stack.callback(stations[name].stop)
            stations[name].import_grids(DEMO_GRIDS)
        link(stations["county"], stations["city"], (COUNTY,))
        link(stations["t1"], stations["county"], (TOWNSHIP,))
        link(stations["t2"], stations["county"], (OTHER_TOWNSHIP_GRID[:9], SHARED))
        yield stations


@pytest.fixture
def laptops(tmp_path):
    made: dict[str, Client] = {}

    def make(name: str, station, role: str = "worker", grids=(GRID,)) -> Client:
        made[name] = Client(tmp_path / f"laptop-{name}")
        made[name].login(station.url, new_user(station, role, grids))
        made[name].sync()
        return made[name]

    yield make
    for client in made.values():
        client.close()


def rounds(tree, times: int = 2) -> None:
    """Forwarding rounds up and down the tree until what each level changed has reached every other."""
    for _ in range(times):
        for name in ("t1", "t2", "county"):
            forward(tree[name])


def test_four_levels_one_protocol(tree, laptops):
    from desktop.services.incidents import Incidents
    t1, t2, county, city = tree["t1"], tree["t2"], tree["county"], tree["city"]
    village = laptops("village", t1)                                  # township 1: a village worker ...
    office = laptops("office", t1, "township", (TOWNSHIP,))           # ... and the township's centre
    other = laptops("other", t2, grids=(OTHER_TOWNSHIP_GRID,))        # township 2: its own village ...
    border = laptops("border", t2)                                    # ... and one of township 1's
    desk = laptops("county-desk", county, "county", (COUNTY,))        # the county's centre

    # a household made on a village laptop reaches the city
    home = village.put("household", household(1, phone="13800138000"))
    person = village.put("person", {"household_id": home, "name": "张小明", "residence": "registered"})
    village.sync()
    theirs = other.put("household", household(2, grid=OTHER_TOWNSHIP_GRID))
    other.sync()
    rounds(tree, 1)
    assert station_records(city, "household", [home])[home] == village.snapshot()[("household", home)]
    assert station_records(city, "person", [person])[person] == village.snapshot()[("person", person)]
    assert set(station_records(city, "household", [home, theirs])) == {home, theirs}

    # a case escalated from a village reaches the county's inbox; its closing reaches the village laptop
    cases, centre, county_centre = Incidents(village.store), Incidents(office.store), Incidents(desk.store)
    case_id = cases.report({"grid_code": GRID, "category": "dispute", "title": "边界水渠纠纷", "parties": "两组"})
    cases.record(case_id, "escalate", notes="村里调解不了")
    village.sync()
    office.sync()
    centre.record(case_id, "escalate", notes="提请县级处理")
    office.sync()
    forward(t1)
    assert [c["id"] for c in json.loads(ok(county.cli("inbox", "--level", "county", "--json")).stdout)] == [case_id]
    desk.sync()
    for step, values in (("dispatch", {"assignee": "县水利局"}), ("handle", {"notes": "协调分水"}),
                         ("feedback", {"notes": "双方同意"}), ("close", {"notes": "结案"})):
        county_centre.record(case_id, step, **values)
    desk.sync()
    forward(t1)
    village.sync()
    assert cases.case(case_id).state.status == "closed"

    # concurrent edits at the two townships meet at the county as one conflict, resolved once
    forward(t2)
    border.sync()
    assert border.store.get("household", home) is not None
    village.put("household", {"id": home, "notes": "一镇核查"})
    border.put("household", {"id": home, "notes": "二镇核查"})
    village.sync()
    border.sync()
    forward(t1)
    forward(t2)
    found = open_conflicts(county)
    assert [(c["record_id"], c["field"]) for c in found] == [(home, "notes")]
    assert open_conflicts(t1) == [] and open_conflicts(t2) == []
    forward(county)
    assert [(c["record_id"], c["field"]) for c in open_conflicts(city)] == [(home, "notes")]   # seen above too
    ok(county.cli("conflicts", "resolve", str(found[0]["id"]), "--take", "\"两镇共同核查\""))
    rounds(tree)
    for client in (village, office, other, border, desk):
        client.sync()
    for station in (city, county, t1, t2):
        assert open_conflicts(station) == [], station
    assert station_records(city, "household", [home])[home]["notes"] == "两镇共同核查"

    # every replica ends identical
    ids = {"household": [home, theirs], "person": [person], "incident": [case_id],
           "incident_event": [s.event["id"] for s in county_centre.case(case_id).steps]}
    at_city = {t: station_records(city, t, ids[t]) for t in TYPES}
    for station in (county, t2):                    # township 1's records are township 2's too (SHARED)
        assert {t: station_records(station, t, ids[t]) for t in TYPES} == at_city, station
    own = {**ids, "household": [home]}              # township 2's own household is not township 1's
    assert {t: station_records(t1, t, own[t]) for t in TYPES} == {**at_city, "household": {
        home: at_city["household"][home]}}
    for client in (village, office, border, desk):
        mine = client.snapshot()
        assert mine[("household", home)] == at_city["household"][home]
    assert other.snapshot()[("household", theirs)] == at_city["household"][theirs]
    assert all(forward(tree[n])["pushed"] == 0 for n in ("t1", "t2", "county"))
