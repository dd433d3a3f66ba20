"""Levels: what forwarding sends and does not send back: a record moved out of a township's scope goes up and
to the other township; what a township just pushed is not pulled back; a refused change is retried when its
reason may have gone (real stations on loopback, real laptops)."""
from __future__ import annotations

import pytest

from tests import test_levels
from tests.station_support import start_station
from tests.support.clients import GRID, PASSWORD, household, new_user, station_records
from tests.test_levels import COUNTY, OTHER_TOWNSHIP_GRID, forward, link

clients, county, township = test_levels.clients, test_levels.county, test_levels.township     # its fixtures
pytestmark = pytest.mark.usefixtures("file_tokens")


def test_a_household_moved_to_another_township_reaches_the_county_and_that_township(county, township, clients,
                                                                                     tmp_path):
    (tmp_path / "township2").mkdir()
    other = start_station(tmp_path / "township2")
    try:
        from sync.station.demo import DEMO_GRIDS
        other.import_grids(DEMO_GRIDS)
        link(township, county)
        account = new_user(county, "station", (OTHER_TOWNSHIP_GRID[:9],))
        assert other.cli("upstream", "--station", county.url, "--user", account, "--password-stdin",
                         stdin=PASSWORD + "\n").returncode == 0
        laptop, desk = clients("laptop"), clients("desk")
        laptop.login(township.url, new_user(township))
        desk.login(township.url, new_user(township, "county", (COUNTY,)))     # a county desk at the township
        laptop.sync()
        home = laptop.put("household", household(7))
        person = laptop.put("person", {"household_id": home, "name": "迁出人", "residence": "registered"})
        laptop.sync()
        forward(township)
        desk.sync()
        desk.put("household", {"id": home, "grid_code": OTHER_TOWNSHIP_GRID})   # moved to the other township
        assert desk.sync().pushed == 1
        counts = forward(township)
        assert counts["set_aside"] == 0
        assert station_records(county, "household", [home])[home]["grid_code"] == OTHER_TOWNSHIP_GRID
        forward(other)
        assert station_records(other, "household", [home])[home] == station_records(county, "household", [home])[home]
        assert set(station_records(other, "person", [person])) == {person}
        there = clients("there")
        there.login(other.url, new_user(other, grids=(OTHER_TOWNSHIP_GRID,)))
        there.sync()
        assert there.store.get("household", home)["grid_code"] == OTHER_TOWNSHIP_GRID
        assert there.store.get("person", person)["name"] == "迁出人"
    finally:
        other.stop()


def test_a_lower_station_may_not_move_in_a_record_that_was_never_its_own(county):
    import uuid

    from tests.station_support import HttpDevice
    from tests.support.clients import TOWNSHIP
    lower = HttpDevice(county, new_user(county, "station", (TOWNSHIP,)), PASSWORD)
    stranger = HttpDevice(county, new_user(county, "county", (COUNTY,)), PASSWORD)
    home = str(uuid.uuid4())
    assert stranger.push([stranger.change("household", home, household(1, grid=OTHER_TOWNSHIP_GRID))]
                         ).status_code == 200
    change = lower.change("household", home, {"grid_code": GRID})
    answer = lower.push([{**change, "s": dict.fromkeys(change["f"], f"{change['hlc']:016x}{uuid.uuid4()}")}])
    assert answer.status_code == 403 and answer.json()["code"] == "out_of_scope"


def test_what_a_township_pushed_is_not_pulled_back_in_the_same_round(county, township, clients):
    link(township, county)
    laptop = clients("laptop")
    laptop.login(township.url, new_user(township))
    laptop.sync()
    forward(township)                                  # the hierarchy first
    homes = [laptop.put("household", household(n)) for n in range(5)]
    laptop.sync()
    counts = forward(township)
    assert (counts["pushed"], counts["pulled"], counts["not_sent_back"]) == (5, 0, 5)
    desk = clients("county-desk")                      # the county's own edit still comes down
    desk.login(county.url, new_user(county, "county", (COUNTY,)))
    desk.sync()
    desk.put("household", {"id": homes[0], "notes": "县级备注"})
    desk.sync()
    counts = forward(township)
    assert (counts["pulled"], counts["applied"]) == (1, 1)
    laptop.sync()
    assert laptop.store.get("household", homes[0])["notes"] == "县级备注"
    assert station_records(township, "household", homes) == station_records(county, "household", homes)


def test_a_set_aside_change_is_sent_again_once_the_county_hands_down_its_grid(county, township, clients):
    stray_grid = {"code": "420704100201-09", "name": "幸福村第九网格", "level": "grid", "parent_code": "420704100201"}
    township.import_grids([stray_grid])                 # a grid the township made, the county does not know yet
    link(township, county)
    laptop = clients("laptop")
    laptop.login(township.url, new_user(township, grids=(stray_grid["code"], GRID)))
    laptop.sync()
    stray = laptop.put("household", household(1, grid=stray_grid["code"]))
    laptop.sync()
    counts = forward(township)
    assert (counts["pushed"], counts["set_aside"], counts["retried"]) == (0, 1, 0)
    assert forward(township)["retried"] == 0           # nothing has changed: it stays aside
    county.import_grids([stray_grid])                  # the county learns the grid, and hands it down
    counts = forward(township)
    assert (counts["retried"], counts["pushed"], counts["set_aside"]) == (1, 1, 0), counts
    assert set(station_records(county, "household", [stray])) == {stray}
    import json
    status = json.loads(township.cli("status", "--json").stdout)
    assert (status["set_aside"], status["outbox"]) == (0, 0)
    assert forward(township)["pushed"] == 0
