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
