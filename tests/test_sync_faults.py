"""Faults on the wire: replayed, duplicated, out-of-order batches, answers cut short, a station killed."""
import threading

import pytest

from tests.station_support import DEMO_GRIDS, start_station
from tests.support.clients import Client, household, local_grids, new_user, station_applied, station_records
from tests.support.fault_proxy import FaultProxy

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture
def laptop(tmp_path):
    client = Client(tmp_path / "laptop", batch_size=3)
    local_grids(client)
    yield client
    client.close()


def test_replayed_duplicated_and_out_of_order_batches_change_nothing(sync_station, laptop):
    laptop.login(sync_station.url, new_user(sync_station))
    ids = [laptop.put("household", household(n)) for n in range(6)]
    assert laptop.sync().pushed == 6 and laptop.acked() == 6
    before = station_records(sync_station, "household", ids)
    for first, last in [(1, 3), (1, 3), (2, 6), (4, 6)]:          # replays, a duplicate, an overlap
        answer = laptop.push_raw(first, last)
        assert (answer.status, answer.body["acked"], answer.body["applied"]) == (200, 6, 0)
    more = [laptop.put("household", household(n)) for n in range(6, 9)]            # seq 7..9
    for first, last in [(9, 9), (8, 9)]:                           # ahead of what the station holds
        answer = laptop.push_raw(first, last)
        assert (answer.status, answer.code, answer.body["acked"]) == (409, "gap", 6)
    assert station_records(sync_station, "household", ids + more) == before
    assert laptop.sync().pushed == 3 and laptop.pending() == 0
    assert station_applied(sync_station, laptop.device_id) == list(range(1, 10))    # each exactly once
    assert set(station_records(sync_station, "household", ids + more)) == set(ids + more)


@pytest.mark.parametrize("cut_after", [0, 10, 60, 140])    # nothing; the status line; headers; the body
def test_an_answer_cut_short_is_retried_and_applied_once(sync_station, laptop, cut_after):
    proxy = FaultProxy(sync_station.port)
    try:
        laptop.login(proxy.url, new_user(sync_station))
        ids = [laptop.put("household", household(n)) for n in range(7)]          # 3 batches of 3, 3, 1
        proxy.cut_responses(cut_after, times=2)
        result = laptop.sync()
        assert proxy.truncated == 2
        assert result.pushed == 7 and laptop.pending() == 0 and laptop.acked() == 7
        assert station_applied(sync_station, laptop.device_id) == list(range(1, 8))
        assert set(station_records(sync_station, "household", ids)) == set(ids)
    finally:
        proxy.close()


def test_lost_requests_and_lost_pull_answers_are_retried(sync_station, laptop):
    proxy = FaultProxy(sync_station.port)
    try:
        laptop.login(proxy.url, new_user(sync_station))
        laptop.put("household", household(1))
        proxy.drop_requests(times=2)
        proxy.cut_responses(5, match=b"GET /v1/pull")
        result = laptop.sync()
        assert proxy.fired["drop"] == 2 and proxy.truncated == 1
        assert result.pushed == 1 and laptop.pending() == 0
        assert laptop.store.get_meta("pull_cursor") not in (None, "0")
        proxy.drop_requests(times=10)                 # more losses than retries: a clear failure, nothing lost
        laptop.put("household", household(2))
        with pytest.raises(Exception) as caught:
            laptop.sync()
        assert type(caught.value).__name__ == "StationUnreachable" and laptop.pending() == 1
        proxy.clear()
        assert laptop.sync().pushed == 1 and station_applied(sync_station, laptop.device_id) == [1, 2]
    finally:
        proxy.close()


@pytest.mark.slow
def test_a_station_killed_mid_push_converges_exactly_once(tmp_path):
    station = start_station(tmp_path)
    proxy = FaultProxy(station.port)
    laptop = Client(tmp_path / "laptop", retries=8, backoff=0.2, batch_size=500)
    try:
        station.import_grids(DEMO_GRIDS)
        local_grids(laptop)
        laptop.login(proxy.url, new_user(station))
        ids = laptop.store.put_many("household", [household(n) for n in range(2000)])
        restarted = threading.Event()

        def kill_and_restart():
            threading.Event().wait(0.05)      # let the body arrive: the station dies inside the batch
            station.kill()
            station.start()
            restarted.set()

        # the first batch goes through; the station dies while applying the second
        proxy.on_request(lambda: threading.Thread(target=kill_and_restart, daemon=True).start(), skip=1)
        result = laptop.sync()
        assert restarted.is_set()
        assert result.pushed == 2000 and laptop.pending() == 0 and laptop.acked() == 2000
        assert station_applied(station, laptop.device_id) == list(range(1, 2001))
        assert len(station_records(station, "household", ids)) == 2000
    finally:
        proxy.close()
        laptop.close()
        station.stop()


@pytest.mark.slow
def test_a_station_restored_from_a_backup_gets_the_lost_changes_again(tmp_path):
    import shutil
    import sqlite3
    station = start_station(tmp_path)
    laptop = Client(tmp_path / "laptop", retries=1, backoff=0.01)
    try:
        station.import_grids(DEMO_GRIDS)
        local_grids(laptop)
        laptop.login(station.url, new_user(station))
        early = [laptop.put("household", household(n)) for n in range(2)]
        laptop.sync()
        database = tmp_path / "station" / "station.sqlite3"
        source, copy = sqlite3.connect(database), sqlite3.connect(tmp_path / "backup.sqlite3")
        source.backup(copy)                                           # the night's backup
        source.close()
        copy.close()
        late = [laptop.put("household", household(n)) for n in range(2, 5)]
        laptop.sync()
        assert laptop.acked() == 5
        station.stop()
        for suffix in ("", "-wal", "-shm"):
            (tmp_path / "station" / f"station.sqlite3{suffix}").unlink(missing_ok=True)
        shutil.copy(tmp_path / "backup.sqlite3", database)          # the disk died: restored
        station.start()
        assert set(station_records(station, "household", early + late)) == set(early)
        laptop.put("household", {"id": early[0], "phone": "13800138000"})
        result = laptop.sync()
        assert result.pushed == 4 and laptop.pending() == 0 and laptop.acked() == 6
        assert set(station_records(station, "household", early + late)) == set(early + late)
        assert station_applied(station, laptop.device_id) == list(range(1, 7))
    finally:
        laptop.close()
        station.stop()


def test_the_next_batch_travels_while_the_station_answers_the_one_before(sync_station, laptop):
    import time

    proxy = FaultProxy(sync_station.port)
    try:
        laptop.login(proxy.url, new_user(sync_station))
        ids = [laptop.put("household", household(n)) for n in range(7)]          # 3 batches of 3, 3, 1
        proxy.delay_responses(1.5)                       # the first push's answer is held back
        second = []
        proxy.on_request(lambda: second.append(time.monotonic()))        # the next push request
        started = time.monotonic()
        result = laptop.sync()
        assert second and second[0] - started < 1.0      # sent before the first answer came back
        assert result.pushed == 7 and laptop.pending() == 0 and laptop.acked() == 7
        assert station_applied(sync_station, laptop.device_id) == list(range(1, 8))
        assert set(station_records(sync_station, "household", ids)) == set(ids)
    finally:
        proxy.close()
