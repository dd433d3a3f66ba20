"""Levels by sync file: a township with no link at all forwards to its county by file and takes the reply,
the laptops' USB transport; idempotent both ways (real stations, real laptops, real files)."""
from __future__ import annotations

import json

import pytest

from tests import test_levels
from tests.support.clients import TOWNSHIP, household, new_user, station_applied, station_records
from tests.test_levels import COUNTY

clients, county, township = test_levels.clients, test_levels.county, test_levels.township     # its fixtures
pytestmark = pytest.mark.usefixtures("file_tokens")


def ok(done):
    assert done.returncode == 0, done.stderr
    return done


def carry(township, county, account: str, folder, n: int) -> dict:
    """One journey: export at the township, import at the county (reply written), reply imported back."""
    out, back = folder / f"up-{n}.gbsync", folder / f"up-{n}-reply.gbsync"
    exported = json.loads(ok(township.cli("sync", "--export", str(out), "--json")).stdout)
    ok(county.cli("import", str(out), "--user", account, "--reply", str(back)))
    taken = json.loads(ok(township.cli("sync", "--import", str(back), "--json")).stdout)
    return {"exported": exported, "taken": taken, "file": out, "reply": back}


def open_conflicts(station) -> list[dict]:
    return json.loads(ok(station.cli("conflicts", "list", "--json")).stdout)


def test_a_township_without_a_link_forwards_by_file_and_takes_the_reply(county, township, clients, tmp_path):
    account = new_user(county, "station", (TOWNSHIP,))
    ok(township.cli("upstream", "--by-file", "--user", account, "--grids", TOWNSHIP))
    assert township.cli("--lang", "en", "sync").returncode == 2          # no link to forward over: it says so
    laptop = clients("laptop")
    laptop.login(township.url, new_user(township))
    laptop.sync()
    homes = [laptop.put("household", household(n)) for n in range(3)]
    laptop.sync()
    first = carry(township, county, account, tmp_path, 1)
    assert first["exported"]["changes"] == 3 and first["taken"]["acked"] == 3
    assert len(station_records(county, "household", homes)) == 3
    device = json.loads(township.cli("status", "--json").stdout)["device"]
    # the same file again at the county, the same reply again here: nothing doubled, nothing changed
    ok(county.cli("import", str(first["file"]), "--user", account, "--reply", str(tmp_path / "again.gbsync")))
    assert station_applied(county, device) == [1, 2, 3]
    before = station_records(township, "household", homes)
    again = json.loads(ok(township.cli("sync", "--import", str(first["reply"]), "--json")).stdout)
    assert again["applied"] == 0 and station_records(township, "household", homes) == before
    status = json.loads(township.cli("status", "--json").stdout)
    assert (status["outbox"], status["set_aside"]) == (0, 0)

    desk = clients("county-desk")                      # a county edit comes down by the next reply
    desk.login(county.url, new_user(county, "county", (COUNTY,)))
    desk.sync()
    desk.put("household", {"id": homes[0], "phone": "13900139000"})
    desk.sync()
    second = carry(township, county, account, tmp_path, 2)
    assert second["exported"]["changes"] == 0 and second["taken"]["applied"] == 1
    laptop.sync()
    assert laptop.store.get("household", homes[0])["phone"] == "13900139000"
    assert station_records(township, "household", homes) == station_records(county, "household", homes)


def test_a_conflict_goes_up_by_file_and_its_resolution_comes_back(county, township, clients, tmp_path):
    account = new_user(county, "station", (TOWNSHIP,))
    ok(township.cli("upstream", "--by-file", "--user", account, "--grids", TOWNSHIP))
    first, second = clients("first"), clients("second")
    first.login(township.url, new_user(township))
    second.login(township.url, new_user(township))
    first.sync()
    home = first.put("household", household(1))
    first.sync()
    second.sync()
    first.put("household", {"id": home, "head_name": "甲"})
    second.put("household", {"id": home, "head_name": "乙"})
    first.sync()
    second.sync()
    assert len(open_conflicts(township)) == 1
    assert carry(township, county, account, tmp_path, 1)["exported"]["conflicts"] == 1
    above = open_conflicts(county)
    assert [c["field"] for c in above] == ["head_name"]
    ok(county.cli("conflicts", "resolve", str(above[0]["id"]), "--take", "\"丙\""))
    back = carry(township, county, account, tmp_path, 2)
    assert back["taken"]["conflicts_resolved_above"] == 1
    assert open_conflicts(township) == [] and open_conflicts(county) == []
    first.sync()
    assert first.store.get("household", home)["head_name"] == "丙"
    assert station_records(township, "household", [home]) == station_records(county, "household", [home])
    assert carry(township, county, account, tmp_path, 3)["exported"]["conflicts"] == 0
