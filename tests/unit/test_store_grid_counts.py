"""A resident's grid and the counts per grid the data file keeps (schema 8) agree with the records,
whatever writes them: forms, bulk imports, pulls, moves, deletes."""
import random

import pytest
from sqlalchemy import text

from desktop.services.ledger import Ledger
from desktop.store import queries, replication
from sync import clock
from sync.ids import new_id
from tests.conftest import GRID, VILLAGE

OTHER = f"{VILLAGE}-01"
TAGS = ["独居老人", "低保", "残疾人", "留守儿童"]


def counted_the_long_way(store) -> dict:
    """The dashboard's resident figures by joining residents to their live households."""
    with store.reading() as conn:
        homes = dict(conn.execute(text("SELECT grid_code, count(*) FROM household WHERE NOT deleted "
                                       "GROUP BY grid_code")).all())
        residents = {(g, r): n for g, r, n in conn.execute(text(
            "SELECT h.grid_code, p.residence, count(*) FROM person p JOIN household h ON h.id = p.household_id "
            "WHERE NOT h.deleted AND NOT p.deleted GROUP BY h.grid_code, p.residence"))}
        tags = {(g, t): n for g, t, n in conn.execute(text(
            "SELECT h.grid_code, j.value, count(*) FROM person p JOIN household h ON h.id = p.household_id, "
            "json_each(p.tags) j WHERE NOT h.deleted AND NOT p.deleted GROUP BY h.grid_code, j.value"))}
        places = dict(conn.execute(text("SELECT p.id, h.grid_code FROM person p JOIN household h "
                                        "ON h.id = p.household_id WHERE NOT h.deleted AND NOT p.deleted")).all())
    return {"households": homes, "residents": residents, "key_groups": tags, "places": places}


def kept(store) -> dict:
    counts = queries.dashboard_counts(store, None, "2000-01-01")
    with store.reading() as conn:
        places = dict(conn.execute(text("SELECT id, grid_code FROM person WHERE grid_code IS NOT NULL "
                                        "AND NOT deleted")).all())
    return {"households": counts["households"], "residents": counts["residents"],
            "key_groups": counts["key_groups"], "places": places}


def household(grid: str) -> dict:
    return {"grid_code": grid, "address": "幸福村3组12号", "head_name": "张三"}


def person(home: str, rng: random.Random) -> dict:
    return {"household_id": home, "name": "李四", "residence": rng.choice(("registered", "floating", "left")),
            "tags": rng.sample(TAGS, rng.randint(0, 2))}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_counts_per_grid_follow_every_kind_of_write(store, seed):
    store.put("grid", {"code": OTHER, "name": "幸福村第一网格", "level": "grid", "parent_code": VILLAGE})
    rng, ledger = random.Random(seed), Ledger(store)
    homes = store.put_many("household", [household(rng.choice((GRID, OTHER))) for _ in range(12)])
    people = store.put_many("person", [person(rng.choice(homes), rng) for _ in range(40)])
    for _ in range(60):
        action = rng.choice(("add", "edit", "move_person", "move_home", "delete_home", "delete_person", "pull"))
        if action == "add":
            people.append(store.put("person", person(rng.choice(homes), rng)))
        elif action == "edit" and people:
            store.put("person", {"id": rng.choice(people), "residence": rng.choice(("registered", "left")),
                                 "tags": rng.sample(TAGS, rng.randint(0, 3))})
        elif action == "move_person" and people:
            store.put("person", {"id": rng.choice(people), "household_id": rng.choice(homes)})
        elif action == "move_home":
            store.put("household", {"id": rng.choice(homes), "grid_code": rng.choice((GRID, OTHER))})
        elif action == "delete_home" and len(homes) > 3:
            gone = homes.pop(rng.randrange(len(homes)))
            ledger.delete("household", gone)
            people = [p for p in people if store.get("person", p, include_deleted=True)["deleted"] is False]
        elif action == "delete_person" and people:
            store.delete("person", people.pop(rng.randrange(len(people))))
        elif action == "pull":                  # another device's new household and resident, residents first
            stamp = clock.stamp(clock.HybridClock().now(), "f" * 36)
            home, resident = new_id(), new_id()
            replication.apply_remote(store, [
                {"type": "person", "id": resident, "f": {"id": resident, "name": "王五", "household_id": home,
                                                         "residence": "floating", "tags": ["低保"]},
                 "c": dict.fromkeys(("id", "name", "household_id", "residence", "tags"), stamp)}])
            replication.apply_remote(store, [
                {"type": "household", "id": home, "f": {"id": home, **household(OTHER)},
                 "c": dict.fromkeys(("id", "grid_code", "address", "head_name"), stamp)}])
            homes.append(home)
            people.append(resident)
        assert kept(store) == counted_the_long_way(store), action


def test_a_village_page_and_count_are_its_households_residents(store):
    store.put("grid", {"code": "420704100202", "name": "和平村", "level": "village"})
    store.put("grid", {"code": "420704100202-01", "name": "和平村第一网格", "level": "grid",
                       "parent_code": "420704100202"})
    rng = random.Random(4)
    here = store.put_many("household", [household(GRID) for _ in range(5)])
    there = store.put_many("household", [household("420704100202-01") for _ in range(5)])
    mine = set(store.put_many("person", [person(rng.choice(here), rng) for _ in range(30)]))
    store.put_many("person", [person(rng.choice(there), rng) for _ in range(30)])
    village = queries.Filter(grid=VILLAGE)
    assert queries.count(store, "person", village) == 30
    assert {r["id"] for r in queries.page(store, "person", village, limit=100)} == mine
    assert {r["id"] for r in queries.page(store, "person", village, order_by="name", limit=100)} == mine
    moved = next(iter(mine))
    store.put("person", {"id": moved, "household_id": there[0]})        # moves out of the village
    assert queries.count(store, "person", village) == 29
    assert queries.count(store, "person", queries.Filter(grid="420704100202-01")) == 31
