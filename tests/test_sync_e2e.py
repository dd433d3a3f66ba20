"""End to end: real clients (data folders) sync with a real station over HTTP."""
import json

import pytest

from desktop.syncing import AuthFailed, VersionMismatch
from sync import protocol
from tests.support.clients import (
    GRID,
    OTHER_GRID,
    PASSWORD,
    TOWNSHIP,
    Client,
    household,
    local_grids,
    new_user,
    station_applied,
    station_records,
)

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture
def clients(tmp_path):
    made = []

    def make(name: str, **options) -> Client:
        made.append(Client(tmp_path / name, **options))
        return made[-1]

    yield make
    for client in made:
        client.close()


def test_records_made_offline_even_before_login_reach_a_township_device(sync_station, clients):
    worker, township = new_user(sync_station), new_user(sync_station, "township", (TOWNSHIP,))
    laptop = clients("laptop")
    local_grids(laptop)
    first = laptop.put("household", household(1, phone="13800138000"))
    person = laptop.put("person", {"household_id": first, "name": "张小明", "residence": "registered"})
    assert laptop.login(sync_station.url, worker)["grids"] == [GRID]
    second = laptop.put("household", household(2))
    result = laptop.sync()
    assert (result.pushed, result.set_aside) == (3, 0) and laptop.pending() == 0
    code, out, _ = laptop.cli("status", "--json")
    status = json.loads(out)
    assert code == 0 and status["pending"] == 0 and status["last_sync"] and status["user"] == worker

    office = clients("office")
    office.login(sync_station.url, township)
    assert office.sync().pulled >= 3
    mine = laptop.snapshot()
    theirs = office.snapshot()
    for key in [("household", first), ("household", second), ("person", person)]:
        assert theirs[key] == mine[key]
    # and back: the township corrects a phone number, the laptop receives it
    office.put("household", {"id": first, "phone": "13900139000"})
    assert office.sync().pushed == 1
    laptop.sync()
    assert laptop.store.get("household", first)["phone"] == "13900139000"
    assert laptop.pending() == 0 and office.pending() == 0


def test_cli_login_sync_status_logout(sync_station, clients):
    worker = new_user(sync_station)
    laptop = clients("laptop")
    local_grids(laptop)
    laptop.put("household", household(1))
    code, _, err = laptop.cli("login", "--station", sync_station.url, "--user", worker, "--password-stdin",
                              stdin="wrong password\n")
    assert code == 1 and "用户名或密码错误" in err and "Traceback" not in err
    code, out, err = laptop.cli("login", "--station", sync_station.url, "--user", worker, "--password-stdin",
                                stdin=PASSWORD + "\n")
    assert code == 0 and worker in out and GRID in out
    assert "密钥环" in err                                # no OS keyring here: a one-line warning
    code, out, _ = laptop.cli("sync", "--json")
    assert code == 0 and json.loads(out)["pushed"] == 1
    code, out, _ = laptop.cli("--lang", "en", "sync")
    assert code == 0 and out.startswith("Synced: 0 sent")
    code, out, _ = laptop.cli("--lang", "en", "status")
    assert "pending: 0" in out and f"station: {sync_station.url}" in out
    assert laptop.cli("logout")[0] == 0
    code, _, err = laptop.cli("--lang", "en", "sync")
    assert code == 1 and err.strip() == "Not logged in to a township station: log in first."


def test_unreachable_station_is_one_line_and_exit_1(sync_station, clients, monkeypatch):
    from tests.station_support import free_port
    worker = new_user(sync_station)
    laptop = clients("laptop")
    laptop.login(sync_station.url, worker)
    laptop.store.set_meta(station_url=f"http://127.0.0.1:{free_port()}")     # nothing listens there
    monkeypatch.setenv("GRIDBOOK_SYNC_RETRIES", "1")
    code, _out, err = laptop.cli("--lang", "en", "sync")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Cannot reach the township station" in err


def test_concurrent_edits_merge_the_same_way_everywhere(sync_station, clients):
    worker, township = new_user(sync_station), new_user(sync_station, "township", (TOWNSHIP,))
    a, b = clients("a"), clients("b")
    a.login(sync_station.url, worker)
    b.login(sync_station.url, township)
    a.sync()
    record = a.put("household", household(7))
    a.sync()
    b.sync()
    # offline on both sides: different fields
    a.put("household", {"id": record, "phone": "13800138000"})
    b.put("household", {"id": record, "notes": "低保复核已完成"})
    for client in (a, b, a):
        client.sync()
    for client in (a, b):
        row = client.store.get("household", record)
        assert (row["phone"], row["notes"]) == ("13800138000", "低保复核已完成")
    # offline on both sides: the same field; b edits last, so b's stamp is the greater
    a.put("household", {"id": record, "head_name": "王五"})
    b.put("household", {"id": record, "head_name": "赵六"})
    for client in (a, b, a):
        client.sync()
    station_row = station_records(sync_station, "household", [record])[record]
    assert station_row["head_name"] == "赵六"
    assert a.snapshot()[("household", record)] == b.snapshot()[("household", record)] == station_row
    listed = json.loads(sync_station.cli("conflicts", "list", "--json").stdout)
    hard = [c for c in listed if c["record_id"] == record and c["kind"] == "hard"]
    assert len(hard) == 1 and hard[0]["field"] == "head_name"
    assert (hard[0]["kept_value"], hard[0]["lost_value"]) == ("赵六", "王五")


def test_a_change_outside_the_workers_grids_is_set_aside_and_the_rest_goes_through(sync_station, clients):
    worker, township = new_user(sync_station), new_user(sync_station, "township", (TOWNSHIP,))
    laptop = clients("laptop")
    local_grids(laptop, GRID, OTHER_GRID)
    mine = laptop.put("household", household(1))
    foreign = laptop.put("household", household(2, grid=OTHER_GRID))
    later = laptop.put("household", household(3))
    laptop.login(sync_station.url, worker)
    result = laptop.sync()
    assert (result.pushed, result.set_aside) == (2, 1) and laptop.pending() == 0
    assert set(station_records(sync_station, "household", [mine, foreign, later])) == {mine, later}
    code, out, _ = laptop.cli("status")
    assert code == 0 and "被退回变更: 1" in out and foreign in out and "不在您负责的网格内" in out
    code, out, _ = laptop.cli("status", "--json")
    assert code == 0
    [aside] = json.loads(out)["set_aside_changes"]
    assert aside["id"] == foreign and aside["reason"]
    # the queue keeps moving: a later change still goes, the set-aside one stays aside
    laptop.put("household", {"id": mine, "phone": "13800138000"})
    assert laptop.sync().pushed == 1 and laptop.acked() == 4
    assert len(station_applied(sync_station, laptop.device_id)) == 3
    office = clients("office")
    office.login(sync_station.url, township)
    office.sync()
    assert office.store.get("household", foreign) is None
    assert office.store.get("household", mine)["phone"] == "13800138000"


def test_a_revoked_device_gets_a_clear_refusal(sync_station, clients):
    worker = new_user(sync_station)
    laptop = clients("laptop")
    laptop.login(sync_station.url, worker)
    laptop.sync()
    assert sync_station.cli("device", "revoke", laptop.device_id).returncode == 0
    laptop.put("grid", {"code": "420704100201", "name": "幸福村", "level": "village"})
    laptop.put("household", household(1))
    with pytest.raises(AuthFailed) as caught:
        laptop.sync()
    assert "停用" in caught.value.message("zh_CN")
    assert laptop.pending() == 1


def test_a_program_older_than_the_window_is_told_to_update(sync_station, clients, monkeypatch):
    worker = new_user(sync_station)
    laptop = clients("laptop")
    laptop.login(sync_station.url, worker)
    # older than the oldest protocol the station still serves
    monkeypatch.setattr(protocol, "PROTOCOL_VERSION", protocol.MIN_PROTOCOL - 1)
    with pytest.raises(VersionMismatch) as caught:
        laptop.sync()
    assert "升级" in caught.value.message("zh_CN") and "update" in caught.value.message("en")


def test_health_names_the_station_and_its_versions(sync_station, clients):
    health = clients("laptop").engine.check_health(sync_station.url)
    assert health["status"] == "ok" and health["protocol"] == protocol.PROTOCOL_VERSION


def test_a_laptop_whose_clock_runs_days_ahead_is_told_to_fix_it(sync_station, clients):
    import time

    from desktop.syncing import ClockAhead
    from sync.clock import HybridClock
    laptop = clients("laptop")
    laptop.login(sync_station.url, new_user(sync_station))
    laptop.sync()
    # the laptop's wall clock is three days fast (a flat CMOS battery)
    laptop.store.clock = HybridClock(laptop.store.clock.last, lambda: time.time_ns() // 1_000_000 + 3 * 86_400_000)
    laptop.put("household", household(1))
    with pytest.raises(ClockAhead) as caught:
        laptop.sync()
    assert "时间" in caught.value.message("zh_CN") and laptop.pending() == 1


def test_a_sync_cancelled_between_batches_keeps_what_was_sent_and_resumes(sync_station, clients):
    import threading

    from desktop.syncing import Cancelled
    laptop = clients("laptop", batch_size=3)
    local_grids(laptop)
    laptop.login(sync_station.url, new_user(sync_station))
    for n in range(7):
        laptop.put("household", household(n))
    cancel, seen = threading.Event(), []

    def progress(p):
        seen.append((p.phase, p.done, p.total))
        if p.phase == "push" and p.done >= 3:
            cancel.set()                           # the worker pressed 取消 after the first batch

    with pytest.raises(Cancelled):
        laptop.engine.sync(progress=progress, cancel=cancel)
    assert seen[:2] == [("push", 0, 7), ("push", 3, 7)]
    assert (laptop.acked(), laptop.pending()) == (3, 4) and laptop.store.get_meta("last_sync") is None
    assert laptop.sync().pushed == 4
    assert station_applied(sync_station, laptop.device_id) == list(range(1, 8))


def test_a_refused_record_fixed_on_the_laptop_is_sent_whole_and_accepted(sync_station, clients):
    worker, township = new_user(sync_station), new_user(sync_station, "township", (TOWNSHIP,))
    laptop = clients("laptop")
    local_grids(laptop)
    orphan = laptop.put("person", {"name": "孤身", "phone": "13700137000"})    # no household: unscopable
    laptop.login(sync_station.url, worker)
    result = laptop.sync()
    assert result.set_aside == 1 and station_records(sync_station, "person", [orphan]) == {}
    [aside] = json.loads(laptop.cli("status", "--json")[1])["set_aside_changes"]
    assert aside["id"] == orphan and "所属户" in aside["reason"]
    # the worker attaches the resident to a household: the fix carries the refused fields again
    home = laptop.put("household", household(1))
    laptop.put("person", {"id": orphan, "household_id": home})
    result = laptop.sync()
    assert result.set_aside == 0 and laptop.pending() == 0
    assert json.loads(laptop.cli("status", "--json")[1])["set_aside_changes"] == []
    office = clients("office")
    office.login(sync_station.url, township)
    office.sync()
    assert office.store.get("person", orphan)["name"] == "孤身"
    assert office.store.get("person", orphan)["phone"] == "13700137000"
