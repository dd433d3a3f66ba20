"""On PostgreSQL the station refreshes planner statistics while its tables fill (each time the station
sequence doubles), so the first pulls after a village's first push are not planned on empty tables."""
import os
import time

import pytest
from sqlalchemy import text

from tests.station_support import PG_ENV, household, new_account, running_station

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason="needs PostgreSQL (CI runs one)")


@pytest.fixture(scope="module")
def pg_station(tmp_path_factory):
    yield from running_station("pg", tmp_path_factory.mktemp("station"))


def last_analyze(station):
    with station.engine().connect() as conn:
        return conn.execute(text("SELECT last_analyze FROM pg_stat_user_tables "
                                 "WHERE relname = 'record_version'")).scalar()


def push_households(device, count: int) -> None:
    for start in range(0, count, 500):
        changes = [device.change("household", *household()) for _ in range(min(500, count - start))]
        assert device.push(changes).status_code == 200


def settled(station, before, timeout: float = 5.0):
    """last_analyze once it differs from `before` (the statistics view is updated a moment later)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = last_analyze(station)
        if now != before:
            return now
        time.sleep(0.1)
    return last_analyze(station)


def test_statistics_are_refreshed_each_time_the_station_doubles(pg_station):
    device = new_account(pg_station)
    assert last_analyze(pg_station) is None
    push_households(device, 600)
    assert settled(pg_station, None, timeout=1.0) is None              # too small to bother
    push_households(device, 600)                                      # past 1,000: analysed
    first = settled(pg_station, None)
    assert first is not None
    push_households(device, 500)                                      # 1,700: not doubled yet
    assert settled(pg_station, first, timeout=1.0) == first
    push_households(device, 1000)                                     # 2,700: doubled
    assert settled(pg_station, first) > first
