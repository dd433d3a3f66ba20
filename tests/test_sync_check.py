"""After each sync the laptop and the station compare the laptop's scope: a lost record is pulled again,
a household moved away follows, and the outcome shows in the status."""
import json

import pytest

from tests.support import keyed
from tests.support.clients import GRID, OTHER_GRID, TOWNSHIP, Client, household, local_grids, new_user

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture
def laptops(tmp_path):
    made = []

    def make(name: str) -> Client:
        made.append(Client(tmp_path / name))
        return made[-1]

    yield make
    for client in made:
        client.close()


def test_an_ordinary_sync_agrees_with_the_station(sync_station, laptops):
    laptop = laptops("laptop")
    local_grids(laptop)
    laptop.login(sync_station.url, new_user(sync_station))
    laptop.put("household", household(1))
    result = laptop.sync()
    assert result.check["ok"] is True and result.check["repulled"] is False
    status = json.loads(laptop.cli("status", "--json")[1])
    assert status["sync_check"]["ok"] is True


def test_a_record_lost_on_the_laptop_is_noticed_and_pulled_again(sync_station, laptops):
    worker = new_user(sync_station)
    first, second = laptops("first"), laptops("second")
    local_grids(first)
    first.login(sync_station.url, worker)
    made = first.put("household", household(2))
    first.sync()
    second.login(sync_station.url, worker)
    second.sync()
    assert second.store.get("household", made)
    second.store.engine.dispose()
    with keyed.connect(second.folder / "gridbook.sqlite3") as raw:      # a page that never arrived
        rowid = raw.execute("SELECT rowid FROM household WHERE id = ?", (made,)).fetchone()[0]
        for table in ("household_fts", "household_name_order"):
            raw.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
        raw.execute("DELETE FROM household WHERE id = ?", (made,))
    first.put("household", household(4))                  # and the next sync brings other records
    first.sync()
    result = second.sync()
    assert result.check["repulled"] is True and result.check["ok"] is True
    assert second.store.get("household", made)["head_name"] == "户主2"


def test_a_household_moved_out_of_the_grid_leaves_the_laptop_that_held_it(sync_station, laptops):
    worker, township = new_user(sync_station), new_user(sync_station, "township", (TOWNSHIP,))
    laptop, office = laptops("laptop"), laptops("office")
    local_grids(laptop)
    laptop.login(sync_station.url, worker)
    moved = laptop.put("household", household(3))
    member = laptop.put("person", {"household_id": moved, "name": "张三"})
    laptop.sync()
    office.login(sync_station.url, township)
    office.sync()
    office.put("household", {"id": moved, "grid_code": OTHER_GRID})     # the family moved to grid 01
    office.sync()

    result = laptop.sync()
    assert result.check["ok"] is True and result.check["repulled"] is False
    assert laptop.store.get("household", moved)["grid_code"] == OTHER_GRID
    assert moved not in {h["id"] for h in laptop.store.list("household", grid=GRID)}
    assert member not in {p["id"] for p in laptop.store.list("person", grid=GRID)}
