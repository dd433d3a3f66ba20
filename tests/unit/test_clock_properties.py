"""The hybrid logical clock as hypothesis properties: it never runs backwards, whatever the wall clock does."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync import clock

WALL = st.integers(0, 2**40)


def clock_on(times):
    """A clock whose wall clock reads `times` in turn (jumping back and forth), then stands still."""
    readings = iter(times)
    last = [0]

    def physical():
        last[0] = next(readings, last[0])
        return last[0]
    return clock.HybridClock(physical_ms=physical)


@given(st.lists(WALL, min_size=1, max_size=50))
def test_now_is_strictly_increasing_even_when_the_wall_clock_goes_back(times):
    hlc = clock_on(times)
    stamps = [hlc.now() for _ in range(len(times) + 5)]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


@given(st.lists(st.tuples(st.booleans(), WALL), min_size=1, max_size=40), st.lists(WALL, max_size=40))
def test_observe_never_moves_backwards_and_later_events_order_after_what_was_seen(events, times):
    hlc = clock_on(times)
    for is_remote, value in events:
        before = hlc.last
        if is_remote:
            remote = clock.pack(value, value & clock.LOGICAL_MASK)
            seen = hlc.observe(remote, max_drift_ms=1 << 62)
            assert seen >= before and seen >= remote and hlc.last == seen
            assert hlc.now() > remote
        else:
            assert hlc.now() > before


@given(WALL, st.integers(1, 10**6))
def test_a_remote_time_too_far_ahead_is_refused_and_changes_nothing(now_ms, ahead):
    hlc = clock.HybridClock(physical_ms=lambda: now_ms)
    before = hlc.now()
    with pytest.raises(clock.ClockDriftError):
        hlc.observe(clock.pack(now_ms + clock.MAX_DRIFT_MS + ahead))
    assert hlc.last == before


@given(st.integers(0, 2**47), st.integers(0, clock.LOGICAL_MASK), st.text(min_size=1, max_size=8))
def test_stamps_order_as_their_clocks_and_carry_them(ms, logical, device):
    value = clock.pack(ms, logical)
    assert clock.wall_ms(value) == ms and clock.stamp_hlc(clock.stamp(value, device)) == value
    assert clock.stamp(value, device) < clock.stamp(value + 1, device)
