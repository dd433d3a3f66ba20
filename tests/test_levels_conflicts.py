"""Levels: a conflict between two levels is noted once, where the two edits meet, and its resolution
reaches every replica (real stations on loopback, real laptops)."""
from __future__ import annotations

import json

import pytest

from tests import test_levels
from tests.station_support import start_station
from tests.support.clients import PASSWORD, TOWNSHIP, household, new_user, station_records
from tests.test_levels import COUNTY, forward, link

clients, county, township = test_levels.clients, test_levels.county, test_levels.township     # its fixtures

pytestmark = pytest.mark.usefixtures("file_tokens")


def open_conflicts(station) -> list[dict]:
    done = station.cli("conflicts", "list", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_township_edit_and_a_concurrent_county_edit_are_one_conflict_at_the_county_resolved_once(
        county, township, clients):
    link(township, county)
    laptop = clients("laptop")
    laptop.login(township.url, new_user(township))
    laptop.sync()
    desk = clients("county-desk")
    desk.login(county.url, new_user(county, "county", (COUNTY,)))
    home = laptop.put("household", household(4))
    laptop.sync()
    forward(township)
    desk.sync()
    # the same field on both sides, neither having seen the other's edit
    laptop.put("household", {"id": home, "phone": "13800000001"})
    desk.put("household", {"id": home, "phone": "13900000002"})
    desk.sync()
    laptop.sync()
    forward(township)
    found = open_conflicts(county)
    assert [(c["kind"], c["record_id"], c["field"]) for c in found] == [("hard", home, "phone")]
    assert {found[0]["kept_value"], found[0]["lost_value"]} == {"13800000001", "13900000002"}
    assert open_conflicts(township) == []              # noted where the two edits met, not below too
    forward(township)                                  # a second round notes nothing again
    assert len(open_conflicts(county)) == 1
    done = county.cli("conflicts", "resolve", str(found[0]["id"]), "--take", "\"13700000003\"")
    assert done.returncode == 0, done.stderr
    forward(township)
    laptop.sync()
    desk.sync()
    want = station_records(county, "household", [home])[home]
    assert want["phone"] == "13700000003"
    assert station_records(township, "household", [home])[home] == want
    assert laptop.snapshot()[("household", home)] == desk.snapshot()[("household", home)] == want
    forward(township)
    assert open_conflicts(county) == [] and open_conflicts(township) == []


def two_laptops_in_conflict(township, clients) -> tuple:
    first, second = clients("first"), clients("second")
    first.login(township.url, new_user(township))
    second.login(township.url, new_user(township))
    first.sync()
    home = first.put("household", household(5))
    first.sync()
    second.sync()
    forward(township)
    first.put("household", {"id": home, "head_name": "甲"})
    second.put("household", {"id": home, "head_name": "乙"})
    first.sync()
    second.sync()
    return first, second, home


def test_a_conflict_noted_at_the_township_is_shown_once_at_the_county_and_resolved_there(
        county, township, clients):
    link(township, county)
    first, second, home = two_laptops_in_conflict(township, clients)
    below = open_conflicts(township)
    assert [c["field"] for c in below] == ["head_name"]
    assert forward(township)["conflicts_sent"] == 1
    above = open_conflicts(county)                     # the township's, kept once, not noted again
    assert [(c["record_id"], c["field"], c["kept_value"], c["lost_value"]) for c in above] == [
        (home, "head_name", below[0]["kept_value"], below[0]["lost_value"])]
    assert forward(township)["conflicts_sent"] == 0 and len(open_conflicts(county)) == 1
    assert county.cli("conflicts", "resolve", str(above[0]["id"]), "--take", "\"丙\"").returncode == 0
    counts = forward(township)
    assert counts["conflicts_resolved_above"] == 1
    assert open_conflicts(township) == [] and open_conflicts(county) == []
    first.sync()
    second.sync()
    want = station_records(county, "household", [home])[home]
    assert want["head_name"] == "丙" and station_records(township, "household", [home])[home] == want
    assert first.snapshot()[("household", home)] == second.snapshot()[("household", home)] == want
    assert forward(township)["conflicts_sent"] == 0 and open_conflicts(county) == []


def test_a_conflict_resolved_at_the_township_is_resolved_at_the_county_too(county, township, clients):
    link(township, county)
    _first, _second, home = two_laptops_in_conflict(township, clients)
    forward(township)
    assert len(open_conflicts(county)) == 1
    below = open_conflicts(township)
    assert township.cli("conflicts", "resolve", str(below[0]["id"]), "--take", "remote").returncode == 0
    counts = forward(township)
    assert (counts["conflicts_sent"], counts["conflicts_resolved_above"]) == (1, 0)
    assert open_conflicts(county) == []
    assert station_records(county, "household", [home])[home]["head_name"] == below[0]["lost_value"]
    assert forward(township)["conflicts_sent"] == 0


def test_two_townships_editing_one_record_meet_at_the_county_as_one_conflict(county, township, clients,
                                                                             tmp_path):
    """Two township stations whose accounts both cover one village (a border village shared while a
    boundary is redrawn): each forwards its own edit of the same field; the county notes one conflict,
    and its resolution reaches both townships and their laptops."""
    (tmp_path / "township2").mkdir()
    other = start_station(tmp_path / "township2")
    try:
        from sync.station.demo import DEMO_GRIDS
        other.import_grids(DEMO_GRIDS)
        link(township, county)
        account = new_user(county, "station", (TOWNSHIP,))
        assert other.cli("upstream", "--station", county.url, "--user", account, "--password-stdin",
                         stdin=PASSWORD + "\n").returncode == 0
        a, b = clients("a"), clients("b")
        a.login(township.url, new_user(township))
        b.login(other.url, new_user(other))
        a.sync()
        home = a.put("household", household(6))
        a.sync()
        forward(township)
        forward(other)
        b.sync()
        assert b.store.get("household", home) is not None
        a.put("household", {"id": home, "notes": "汀祖镇核查"})
        b.put("household", {"id": home, "notes": "另一镇核查"})
        a.sync()
        b.sync()
        forward(township)
        forward(other)
        forward(township)
        found = open_conflicts(county)
        assert [(c["record_id"], c["field"]) for c in found] == [(home, "notes")]
        assert open_conflicts(township) == [] and open_conflicts(other) == []
        assert county.cli("conflicts", "resolve", str(found[0]["id"]), "--take", "local").returncode == 0
        for station in (township, other, township, other):
            forward(station)
        a.sync()
        b.sync()
        want = station_records(county, "household", [home])[home]
        for station in (township, other):
            assert station_records(station, "household", [home])[home] == want
        assert a.snapshot()[("household", home)] == b.snapshot()[("household", home)] == want
        assert open_conflicts(county) == []
    finally:
        other.stop()
