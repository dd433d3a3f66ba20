"""Levels: a case goes up village -> township -> county, is settled at the county, and every step comes
back down to the township station and the village laptop; it is lit by the settings of the level
holding it (real stations on loopback, real laptops)."""
from __future__ import annotations

import json

import pytest

from tests import test_levels
from tests.station_support import start_station
from tests.support.clients import GRID, PASSWORD, TOWNSHIP, household, new_user
from tests.test_levels import COUNTY, OTHER_TOWNSHIP_GRID, forward, link

clients, county, township = test_levels.clients, test_levels.county, test_levels.township     # its fixtures
pytestmark = pytest.mark.usefixtures("file_tokens")
DAY_MS = 86_400_000


def case_at(station, case_id: str) -> dict:
    """The case as the station shows it (state, deadline, light by its own settings, steps)."""
    from sync.station import db, incidents
    engine = station.engine()
    try:
        with db.reading(engine) as conn:
            return incidents.case(conn, None, case_id)
    finally:
        engine.dispose()


def inbox(station, level: str) -> list[dict]:
    done = station.cli("inbox", "--level", level, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_case_escalated_to_the_county_is_settled_there_and_every_step_comes_down(county, township, clients):
    from desktop.services.incidents import Incidents
    from sync.incidents import iso_ms
    link(township, county)
    # the county's deadline for disputes it holds is 5 days; the township's own, stricter, is 2
    assert county.cli("setting", "set", "incident_deadlines", '{"dispute": {"county": 5, "township": 3}}',
                      "--unit", COUNTY).returncode == 0
    forward(township)                                   # the county's settings come down
    done = township.cli("setting", "set", "incident_deadlines", '{"dispute": {"county": 2, "township": 2}}',
                        "--unit", TOWNSHIP)
    assert done.returncode == 0, done.stderr
    laptop, office, desk = clients("laptop"), clients("office"), clients("county-desk")
    laptop.login(township.url, new_user(township))
    office.login(township.url, new_user(township, "township", (TOWNSHIP,)))
    desk.login(county.url, new_user(county, "county", (COUNTY,)))
    laptop.sync()
    village, centre, county_centre = Incidents(laptop.store), Incidents(office.store), Incidents(desk.store)
    case_id = village.report({"grid_code": GRID, "category": "dispute", "title": "跨镇水源纠纷", "parties": "两村"})
    village.record(case_id, "escalate", notes="村里调解不了")
    laptop.sync()
    office.sync()
    assert case_at(township, case_id)["level"] == "township"
    centre.record(case_id, "escalate", notes="涉及两镇，提请县级处理")
    office.sync()
    forward(township)

    waiting = inbox(county, "county")
    assert [c["id"] for c in waiting] == [case_id]
    assert inbox(township, "county") == waiting          # the township's copy is held at the county too
    held = case_at(county, case_id)
    escalated = max(iso_ms(s["at"]) for s in held["steps"])
    assert iso_ms(held["deadline"]) == escalated + 5 * DAY_MS          # the county's settings, not the township's
    assert case_at(township, case_id)["deadline"] == held["deadline"]
    assert case_at(township, case_id)["colour"] == held["colour"]

    desk.sync()
    county_centre.record(case_id, "dispatch", assignee="县水利局")
    county_centre.record(case_id, "handle", notes="县水利局协调两镇分水")
    county_centre.record(case_id, "feedback", notes="双方同意")
    county_centre.record(case_id, "close", notes="结案")
    assert desk.sync().pushed == 4
    forward(township)
    laptop.sync()
    steps = [s.event["step"] for s in county_centre.case(case_id).steps]
    assert [s["step"] for s in case_at(township, case_id)["steps"]] == steps
    mine = village.case(case_id)
    assert [s.event["step"] for s in mine.steps] == steps and mine.state.status == "closed"
    assert inbox(county, "county") == [] and inbox(township, "county") == []


def test_a_case_the_county_returns_comes_down_with_its_instruction(county, township, clients):
    from desktop.services.incidents import Incidents
    link(township, county)
    laptop, office, desk = clients("laptop"), clients("office"), clients("county-desk")
    laptop.login(township.url, new_user(township))
    office.login(township.url, new_user(township, "township", (TOWNSHIP,)))
    desk.login(county.url, new_user(county, "county", (COUNTY,)))
    laptop.sync()
    village, centre, county_centre = Incidents(laptop.store), Incidents(office.store), Incidents(desk.store)
    case_id = village.report({"grid_code": GRID, "category": "dispute", "title": "宅基地纠纷", "parties": "张、李"})
    village.record(case_id, "escalate")
    laptop.sync()
    office.sync()
    centre.record(case_id, "escalate")
    office.sync()
    forward(township)
    desk.sync()
    county_centre.record(case_id, "return", notes="请镇司法所先行调解")
    desk.sync()
    forward(township)
    assert [c["id"] for c in inbox(township, "township")] == [case_id]
    assert case_at(township, case_id)["instruction"] == "请镇司法所先行调解"
    office.sync()
    centre.record(case_id, "dispatch", assignee="司法所")
    office.sync()
    forward(township)
    assert case_at(county, case_id)["status"] == "dispatched"
    laptop.sync()
    assert village.case(case_id).state.instruction == "请镇司法所先行调解"


def test_a_county_report_covers_every_township_below_it(county, township, clients, tmp_path):
    from desktop.services.incidents import Incidents
    (tmp_path / "township2").mkdir()
    other = start_station(tmp_path / "township2")
    try:
        from sync.station.demo import DEMO_GRIDS
        other.import_grids(DEMO_GRIDS)
        link(township, county)
        account = new_user(county, "station", (OTHER_TOWNSHIP_GRID[:9],))
        assert other.cli("upstream", "--station", county.url, "--user", account, "--password-stdin",
                         stdin=PASSWORD + "\n").returncode == 0
        here, there = clients("here"), clients("there")
        here.login(township.url, new_user(township))
        there.login(other.url, new_user(other, grids=(OTHER_TOWNSHIP_GRID,)))
        here.sync()
        there.sync()
        Incidents(here.store).report({"grid_code": GRID, "category": "dispute", "title": "甲", "parties": "甲乙"})
        Incidents(there.store).report({"grid_code": OTHER_TOWNSHIP_GRID, "category": "dispute", "title": "乙",
                                       "parties": "丙丁"})
        there.put("household", household(1, grid=OTHER_TOWNSHIP_GRID))
        here.sync()
        there.sync()
        forward(township)
        forward(other)
        done = county.cli("report", "--unit", COUNTY, "--format", "json")
        assert done.returncode == 0, done.stderr
        whole = json.loads(done.stdout)
        for unit, expected in ((TOWNSHIP, 1), (OTHER_TOWNSHIP_GRID[:9], 1), (COUNTY, 2)):
            found = json.loads(county.cli("report", "--unit", unit, "--format", "json").stdout)
            assert found["reported"] == expected, (unit, found)
        assert whole["reported"] == 2
    finally:
        other.stop()
