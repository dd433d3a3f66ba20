"""Property: whatever the schedule of offline edits, syncs, lost and repeated batches, all replicas converge.

Three laptops (two devices of a worker, one township account) make random creates,
edits and deletes of households offline and sync in random order through a proxy
that loses requests and cuts answers short; batches are also replayed by hand.
After one final round of clean syncs every replica, a fresh device and the
station's own database hold the same records, field for field.
"""
import itertools

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from desktop.syncing import StationUnreachable
from sync.validation import ValidationError
from tests.support.clients import PASSWORD, Client, station_records
from tests.support.fault_proxy import FaultProxy

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("file_tokens")]

TOWNSHIPS = itertools.count(200)          # a fresh township per example keeps examples apart
EDITS = {"head_name": ["张三", "李四", "王五"], "phone": ["13800138000", "13900139000", None],
         "notes": ["独居老人", "低保复核", None], "address": ["幸福村1组", "幸福村2组"]}
FAULTS = ["none", "none", "drop", "drop_many", "cut", "cut_pull", "replay"]

# (kind, laptop, a, b, c): the kinds weighted so that records pile up and get edited between syncs
operation = st.tuples(st.sampled_from(["create"] * 3 + ["edit"] * 4 + ["delete"] + ["sync"] * 3),
                      st.integers(0, 2), st.integers(0, 200), st.integers(0, 3), st.integers(0, 2))


@pytest.fixture(scope="module")
def proxy(sync_station):
    proxy = FaultProxy(sync_station.port)
    yield proxy
    proxy.close()


def fresh_scope(station) -> tuple[str, str, str]:
    """A new township with one village and one grid, a worker of the grid and a township account."""
    n = next(TOWNSHIPS)
    township = f"420704{n:03d}"
    village, grid = township + "201", township + "201-01"
    station.import_grids([
        {"code": township, "name": f"第{n}镇", "level": "township", "parent_code": "420704"},
        {"code": village, "name": f"第{n}村", "level": "village", "parent_code": township},
        {"code": grid, "name": f"第{n}村第一网格", "level": "grid", "parent_code": village}])
    station.add_user(f"pw{n}", PASSWORD, grids=(grid,))
    station.add_user(f"pt{n}", PASSWORD, role="township", grids=(township,))
    return grid, f"pw{n}", f"pt{n}"


def apply(op, laptops, grid, proxy) -> None:
    kind, who, n, pick, value = op[0], laptops[op[1]], op[2], op[3], op[4]
    live = sorted(r["id"] for r in who.store.list("household"))
    try:
        if kind == "create":
            who.put("household", {"grid_code": grid, "address": f"幸福村{n}号", "head_name": "户主"})
        elif kind == "edit" and live:
            field = sorted(EDITS)[pick]
            who.put("household", {"id": live[n % len(live)], field: EDITS[field][value % len(EDITS[field])]})
        elif kind == "delete" and live:
            who.store.delete("household", live[n % len(live)])
        elif kind == "sync":
            faulty_sync(who, FAULTS[n % len(FAULTS)], n // len(FAULTS), proxy)
    except ValidationError:
        pass                                      # e.g. editing what this laptop has deleted: refused locally


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
@given(ops=st.lists(operation, min_size=8, max_size=30))
def test_replicas_converge_whatever_the_schedule(sync_station, proxy, tmp_path_factory, ops):
    grid, worker, township = fresh_scope(sync_station)
    folder = tmp_path_factory.mktemp("example")
    laptops = [Client(folder / name, retries=2, backoff=0.01) for name in ("a", "b", "c")]
    observer = Client(folder / "observer")
    try:
        for laptop, user in zip(laptops, (worker, worker, township), strict=True):
            laptop.login(proxy.url, user)
            laptop.sync()                           # the grids arrive
        for op in ops:
            apply(op, laptops, grid, proxy)
        for _round in range(2):                     # the second round brings everyone the others' last pushes
            for laptop in laptops:
                laptop.sync()
        observer.login(sync_station.url, township)
        observer.sync()
        expected = observer.snapshot()
        event(f"records: {min(len(expected), 10)}{'+' if len(expected) >= 10 else ''}")
        event(f"deleted: {any(v['deleted'] for v in expected.values())}")
        for laptop in laptops:
            assert laptop.pending() == 0
            assert laptop.snapshot() == expected
        ids = [key[1] for key in expected]
        assert station_records(sync_station, "household", ids) == {i: v for (_t, i), v in expected.items()}
    finally:
        for client in (*laptops, observer):
            client.close()
