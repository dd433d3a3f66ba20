"""Pulling over real HTTP: scope, paging by station sequence, own fields left out, people follow households."""
import pytest

from sync.ids import new_id
from tests.station_support import household, new_account, running_station, station_backends


@pytest.fixture(scope="module", params=station_backends())
def st(request, tmp_path_factory):
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))


def test_a_worker_sees_its_grid_and_the_hierarchy_above_it_only(st):
    worker = new_account(st, grids=("420704100201-03",))
    neighbour = new_account(st, grids=("420704100201-01",))
    hid, fields = household(grid="420704100201-01")
    assert neighbour.push([neighbour.change("household", hid, fields)]).status_code == 200
    grids = {i for (t, i) in worker.pull_all() if t == "grid"}
    assert grids == {"420700", "420704", "420704100", "420704100201", "420704100201-03"}
    assert ("household", hid) not in worker.pull_all()
    township = new_account(st, role="township", grids=("420704100",))
    seen = township.pull_all()
    assert ("household", hid) in seen
    assert {i for (t, i) in seen if t == "grid"} >= {"420704100201-01", "420704100202-01", "420704"}
    assert ("grid", "420704101201-01") not in seen          # another township of the county
    county = new_account(st, role="county", grids=("420704",))
    assert ("grid", "420704101201-01") in county.pull_all()


def test_own_fields_are_left_out_and_others_come_with_stamps(st):
    a = new_account(st)
    b = new_account(st)
    hid, fields = household()
    a.push([a.change("household", hid, fields)])
    assert ("household", hid) not in a.pull_all()            # nothing in it a does not already have
    row = b.pull_all()[("household", hid)]
    assert row["f"]["head_name"] == "张三" and set(row["c"]) == set(fields)
    b.push([b.change("household", hid, {"phone": "13900139000"}, base={"*": max(row["c"].values())})])
    back = a.pull_all()[("household", hid)]
    assert back["f"] == {"phone": "13900139000"}               # only b's field travels back to a
    assert back["c"]["phone"].endswith(b.device_id)


def test_paging_follows_the_cursor_without_loss_or_repeat(st):
    worker = new_account(st, grids=("420704100202-01",))
    reader = new_account(st, grids=("420704100202-01",))
    ids = []
    changes = []
    for _ in range(25):
        hid, fields = household(grid="420704100202-01")
        ids.append(hid)
        changes.append(worker.change("household", hid, fields))
    assert worker.push(changes).status_code == 200
    seen, cursor, pages = [], 0, 0
    while True:
        page = reader.pull(cursor, limit=7)
        pages += 1
        assert page["cursor"] >= cursor
        seen += [r["id"] for r in page["rows"] if r["type"] == "household"]
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    assert pages >= 4
    assert reader.pull(cursor)["rows"] == [] and reader.pull(cursor)["cursor"] == cursor
    # a later change comes after the cursor, once
    worker.push([worker.change("household", ids[3], {"notes": "新楼"})])
    later = reader.pull(cursor)
    assert [r["id"] for r in later["rows"]] == [ids[3]] and later["rows"][0]["f"]["notes"] == "新楼"


def test_people_follow_their_household_to_another_grid(st):
    village = new_account(st, role="worker", grids=("420704100201",))      # a worker over the whole village
    grid_01 = new_account(st, grids=("420704100201-01",))
    hid, fields = household(grid="420704100201-02")
    pid = new_id()
    village.push([village.change("household", hid, fields),
                  village.change("person", pid, {"id": pid, "name": "王五", "household_id": hid})])
    assert ("person", pid) not in grid_01.pull_all()
    village.push([village.change("household", hid, {"grid_code": "420704100201-01"})])
    rows = grid_01.pull_all()
    assert ("person", pid) in rows and rows[("person", pid)]["f"]["name"] == "王五"
