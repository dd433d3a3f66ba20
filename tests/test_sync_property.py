"""Property: whatever the schedule of offline edits, syncs, lost and repeated batches, all replicas converge.

Three laptops (two devices of a worker of two grids, one township account) make random
creates, edits and deletes offline and sync in random order through a proxy that loses
requests and cuts answers short; batches are also replayed by hand. The records are
households, their residents (added, edited, and left behind or taken along when their
household is deleted), households moved to the other grid with their residents following,
and cases with their steps. After one final round of clean syncs every replica, a fresh
device and the station's own database hold the same records, field for field; and a fresh
device of each grid alone holds exactly that grid's share: the residents of a moved
household went with it.
"""
import itertools

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from desktop.services import Ledger
from desktop.services.incidents import Incidents
from desktop.syncing import StationUnreachable
from sync.validation import ValidationError
from tests.support.clients import PASSWORD, Client, station_records
from tests.support.fault_proxy import FaultProxy

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("file_tokens")]

TOWNSHIPS = itertools.count(200)          # a fresh township per example keeps examples apart
EDITS = {"head_name": ["张三", "李四", "王五"], "phone": ["13800138000", "13900139000", None],
         "notes": ["独居老人", "低保复核", None], "address": ["幸福村1组", "幸福村2组"]}
FAULTS = ["none", "none", "drop", "drop_many", "cut", "cut_pull", "replay"]

PERSON_EDITS = {"name": ["张小明", "李小红"], "phone": ["13700137000", None], "relation_to_head": ["子", "女"]}
STEPS = ["register", "handle", "feedback", "close", "escalate"]

# (kind, laptop, a, b, c): the kinds weighted so that records pile up and get edited between syncs
KINDS = (["create"] * 3 + ["edit"] * 2 + ["resident"] * 2 + ["edit_resident", "move"] + ["delete"] * 2
         + ["report", "step"] + ["sync"] * 4)
operation = st.tuples(st.sampled_from(KINDS), st.integers(0, 2), st.integers(0, 200), st.integers(0, 3),
                      st.integers(0, 2))


@pytest.fixture(scope="module")
def proxy(sync_station):
    proxy = FaultProxy(sync_station.port)
    yield proxy
    proxy.close()


def fresh_scope(station) -> tuple[tuple[str, str], str, str, tuple[str, str]]:
    """A new township with one village of two grids; a worker of both grids, a township account,
    and a worker of each grid alone (who only look at the end)."""
    n = next(TOWNSHIPS)
    township = f"420704{n:03d}"
    village = township + "201"
    grids = (village + "-01", village + "-02")
    station.import_grids([
        {"code": township, "name": f"第{n}镇", "level": "township", "parent_code": "420704"},
        {"code": village, "name": f"第{n}村", "level": "village", "parent_code": township},
        {"code": grids[0], "name": f"第{n}村第一网格", "level": "grid", "parent_code": village},
        {"code": grids[1], "name": f"第{n}村第二网格", "level": "grid", "parent_code": village}])
    station.add_user(f"pw{n}", PASSWORD, grids=grids)
    station.add_user(f"pt{n}", PASSWORD, role="township", grids=(township,))
    for i, grid in enumerate(grids):
        station.add_user(f"pg{i}-{n}", PASSWORD, grids=(grid,))
    return grids, f"pw{n}", f"pt{n}", (f"pg0-{n}", f"pg1-{n}")


def apply(op, laptops, grids, proxy) -> None:
    kind, who, n, pick, value = op[0], laptops[op[1]], op[2], op[3], op[4]
    live = sorted(r["id"] for r in who.store.list("household"))
    residents = sorted(r["id"] for r in who.store.list("person"))
    cases = sorted(r["id"] for r in who.store.list("incident"))
    try:
        if kind == "create":
            who.put("household", {"grid_code": grids[value % 2], "address": f"幸福村{n}号", "head_name": "户主"})
        elif kind == "edit" and live:
            field = sorted(EDITS)[pick]
            who.put("household", {"id": live[n % len(live)], field: EDITS[field][value % len(EDITS[field])]})
        elif kind == "resident" and live:
            who.put("person", {"household_id": live[n % len(live)], "name": f"居民{n}", "relation_to_head": "子"})
        elif kind == "edit_resident" and residents:
            field = sorted(PERSON_EDITS)[pick % len(PERSON_EDITS)]
            who.put("person", {"id": residents[n % len(residents)],
                               field: PERSON_EDITS[field][value % len(PERSON_EDITS[field])]})
        elif kind == "move" and live:               # to the other grid: its residents follow
            home = who.store.get("household", live[n % len(live)])
            who.put("household", {"id": home["id"], "grid_code": grids[1 - grids.index(home["grid_code"])]})
        elif kind == "delete" and live:
            if value == 0:                          # with its residents, as the workbench deletes
                Ledger(who.store).delete("household", live[n % len(live)])
            else:                                   # the household alone: its residents stay behind
                who.store.delete("household", live[n % len(live)])
        elif kind == "report":
            Incidents(who.store).report({"grid_code": grids[value % 2], "category": "dispute", "title": f"纠纷{n}"})
        elif kind == "step" and cases:
            Incidents(who.store).record(cases[n % len(cases)], STEPS[(pick + value) % len(STEPS)])
        elif kind == "sync":
            faulty_sync(who, FAULTS[n % len(FAULTS)], n // len(FAULTS), proxy)
    except ValidationError:
        pass        # e.g. editing what this laptop has deleted, or a step the case cannot take: refused locally


def share_of(grid: str, records: dict) -> dict:
    """The records of `everything` a worker of `grid` alone sees: a resident goes with its household."""
    homes = {key for (kind, key), row in records.items() if kind == "household" and row["grid_code"] == grid}
    return {(kind, key): row for (kind, key), row in records.items()
            if (row.get("household_id") in homes if kind == "person" else row.get("grid_code") == grid)}


def faulty_sync(laptop, fault: str, n: int, proxy) -> None:
    if fault == "drop":
        proxy.drop_requests(times=1 + n % 2)       # within the engine's retries
    elif fault == "drop_many":
        proxy.drop_requests(times=5)               # beyond them: this sync fails, nothing may be lost
    elif fault == "cut":
        proxy.cut_responses(n * 7, times=1 + n % 2)         # 0..196 bytes: status line to body
    elif fault == "cut_pull":
        proxy.cut_responses(n * 7, match=b"GET /v1/pull")
    try:
        laptop.sync()
    except StationUnreachable:
        assert fault == "drop_many"
    finally:
        proxy.clear()
    if fault == "replay" and laptop.acked():
        last = laptop.acked()
        first = max(1, last - n % 5)
        assert laptop.push_raw(first, last).status == 200        # an old batch again: a no-op


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(ops=st.lists(operation, min_size=10, max_size=40))
# always tried: a household with a resident moves to the other grid on one laptop while another
# laptop edits the resident, and a household is deleted under a resident added elsewhere
@example(ops=[("create", 0, 1, 0, 0), ("resident", 0, 0, 0, 0), ("sync", 0, 0, 0, 0), ("sync", 1, 0, 0, 0),
              ("move", 0, 0, 0, 0), ("edit_resident", 1, 0, 0, 1), ("create", 1, 2, 0, 1), ("sync", 1, 0, 0, 0),
              ("resident", 0, 1, 0, 0), ("delete", 1, 1, 0, 1), ("report", 2, 3, 0, 1), ("step", 0, 0, 0, 0),
              ("sync", 0, 0, 0, 0), ("sync", 2, 0, 0, 0)])
def test_replicas_converge_whatever_the_schedule(sync_station, proxy, tmp_path_factory, ops):
    grids, worker, township, grid_workers = fresh_scope(sync_station)
    folder = tmp_path_factory.mktemp("example")
    laptops = [Client(folder / name, retries=2, backoff=0.01) for name in ("a", "b", "c")]
    observer = Client(folder / "observer")
    grid_observers = [Client(folder / f"grid{i}") for i in range(2)]
    try:
        for laptop, user in zip(laptops, (worker, worker, township), strict=True):
            laptop.login(proxy.url, user)
            laptop.sync()                           # the grids arrive
        for op in ops:
            apply(op, laptops, grids, proxy)
        for _round in range(2):                     # the second round brings everyone the others' last pushes
            for laptop in laptops:
                laptop.sync()
        observer.login(sync_station.url, township)
        observer.sync()
        expected = observer.snapshot()
        event(f"records: {min(len(expected), 10)}{'+' if len(expected) >= 10 else ''}")
        event(f"deleted: {sorted({t for (t, _), v in expected.items() if v['deleted']})}")
        event(f"moved: {any(op[0] == 'move' for op in ops)}")
        event(f"types: {sorted({t for t, _ in expected})}")
        for laptop in laptops:
            assert laptop.pending() == 0
            assert laptop.snapshot() == expected
        for kind in ("household", "person", "incident", "incident_event"):
            mine = {i: v for (t, i), v in expected.items() if t == kind}
            assert station_records(sync_station, kind, list(mine)) == mine
        for grid, user, client in zip(grids, grid_workers, grid_observers, strict=True):
            client.login(sync_station.url, user)
            client.sync()
            assert client.snapshot() == share_of(grid, expected)
    finally:
        for client in (*laptops, observer, *grid_observers):
            client.close()
