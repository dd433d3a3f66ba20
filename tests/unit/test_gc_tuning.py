"""Settling the collector sets the start-up heap aside; cycles made afterwards are still reclaimed."""
import gc
import weakref

import pytest

from sync import gc_tuning


@pytest.fixture(params=[gc_tuning.YOUNG, gc_tuning.STATION_YOUNG], ids=["laptop", "station"])
def settled(request):
    threshold = gc.get_threshold()
    gc_tuning.settle(request.param)
    yield request.param
    gc.unfreeze()
    gc.set_threshold(*threshold)


class Node:
    def __init__(self):
        self.other = None


def test_cycles_made_after_settling_are_still_collected(settled):
    first, second = Node(), Node()
    first.other, second.other = second, first          # a cycle: reference counting alone never frees it
    gone = weakref.ref(first)
    del first, second
    gc.collect()
    assert gone() is None


def test_the_young_generation_is_collected_on_its_own_after_settling(settled):
    """Without an explicit collect: enough new containers start a collection that frees old cycles."""
    first, second = Node(), Node()
    first.other, second.other = second, first
    gone = weakref.ref(first)
    del first, second
    keep = [[] for _ in range(settled * 3)]      # new containers, as a batch or an import makes
    assert gone() is None and len(keep) == settled * 3


def _cycle() -> weakref.ref:
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


def test_a_pause_holds_collections_until_its_end_and_a_failure_inside_does_not_keep_it():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_tuning.paused():
        assert not gc.isenabled()
        gone = _cycle()
        keep = [[] for _ in range(gc.get_threshold()[0] * 3)]     # would have started a collection
        assert gone() is not None and keep
        raise RuntimeError("the import failed")
    assert gc.isenabled()
    gc.collect()
    assert gone() is None


def test_collections_start_again_only_when_the_last_of_two_overlapping_pauses_ends():
    import threading

    entered, release = threading.Event(), threading.Event()

    def other_job():
        with gc_tuning.paused():
            entered.set()
            release.wait(10)

    worker = threading.Thread(target=other_job)
    worker.start()
    assert entered.wait(10)
    with gc_tuning.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()                 # the other job's pause still holds
    release.set()
    worker.join(10)
    assert gc.isenabled()


def test_an_import_leaves_the_collector_on_even_when_its_mapping_is_refused(tmp_path):
    from desktop.services import importing
    from desktop.services.importing.tables import Table

    table = Table(tmp_path / "x.xlsx", ["姓名"], [(2, ["张三"])])
    with pytest.raises(importing.BadMapping):
        importing.analyse(None, table, "person", None, {"姓名": "no_such_field"})
    assert gc.isenabled()
