"""Patrols end to end: a timer that survives a restart, an end never before its start (laptop and station),
today's hours against the unit's target, hazards raised as cases linked to the patrol, in both reports."""
import datetime as dt
import json

import pytest

from desktop.services.patrols import Patrols
from desktop.services.reports import Reports
from desktop.store import open_store
from sync import incidents
from sync.validation import ValidationError
from tests.station_support import new_account, running_station, station_backends
from tests.support.clients import GRID, OTHER_GRID, TOWNSHIP, Client, local_grids, new_user

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture(scope="module", params=station_backends())
def sync_station(request, tmp_path_factory):
    """A real station per module, on SQLite and (with GRIDBOOK_TEST_PG) on PostgreSQL."""
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))
CHINA = dt.timezone(dt.timedelta(hours=8))
HOUR = 3_600_000


def test_a_running_patrol_survives_a_restart_and_ends_after_it_started(store, data_dir):
    service = Patrols(store)
    patrol = service.start(GRID, notes="沿河巡查")
    with pytest.raises(ValidationError) as twice:
        service.start(GRID)
    assert "正在进行" in twice.value.message()
    store.engine.dispose()
    reopened = open_store(data_dir)                     # the program closed and opened again
    try:
        again = Patrols(reopened)
        assert again.current()["id"] == patrol
        again.stop(notes="未见异常")
        done = reopened.get("patrol", patrol)
        assert incidents.iso_ms(done["ended_at"]) >= incidents.iso_ms(done["started_at"])
        assert done["notes"] == "沿河巡查\n未见异常" and again.current() is None
        with pytest.raises(ValidationError) as backwards:
            reopened.put("patrol", {"id": patrol, "ended_at": "2020-01-01T08:00:00+08:00"})
        assert backwards.value.fields() == ["ended_at"] and "不能早于开始时间" in backwards.value.message()
    finally:
        reopened.engine.dispose()


def test_todays_hours_count_closed_and_running_patrols_against_the_target(store):
    now = int(dt.datetime(2026, 3, 10, 15, 0, tzinfo=CHINA).timestamp() * 1000)
    service = Patrols(store, clock=lambda: now)
    me = service.worker()
    for start, end in ((now - 7 * HOUR, now - 6 * HOUR), (now - 26 * HOUR, now - 23 * HOUR)):    # today, yesterday
        store.put("patrol", {"grid_code": GRID, "worker": me, "started_at": incidents.ms_iso(start),
                             "ended_at": incidents.ms_iso(end)})
    store.put("patrol", {"grid_code": GRID, "worker": "别人", "started_at": incidents.ms_iso(now - 5 * HOUR),
                         "ended_at": incidents.ms_iso(now - HOUR)})
    store.put("patrol", {"grid_code": GRID, "worker": me, "started_at": incidents.ms_iso(now - 90 * 60_000)})
    today = service.today(GRID)
    assert (today.hours, today.target, today.met) == (2.5, 3.0, False)
    assert today.running is not None


def test_a_hazard_found_on_a_patrol_is_a_linked_case_seen_by_the_township_and_in_both_reports(
        sync_station, tmp_path):
    laptop, office = Client(tmp_path / "laptop"), Client(tmp_path / "office")
    try:
        local_grids(laptop)
        laptop.login(sync_station.url, new_user(sync_station))
        office.login(sync_station.url, new_user(sync_station, "township", (TOWNSHIP,)))
        service = Patrols(laptop.store)
        patrol = service.start(GRID)
        case = service.report_hazard("河堤护栏断裂", location="幸福村3组河边")
        service.stop()
        assert laptop.sync().set_aside == 0
        office.sync()
        raised = office.store.get("incident", case)
        assert (raised["source_type"], raised["source_id"], raised["category"]) == ("patrol", patrol, "safety_hazard")
        assert [c["id"] for c in Patrols(office.store).hazards(patrol)] == [case]
        today = dt.datetime.now(CHINA).date()
        done = sync_station.cli("report", "--from", today.isoformat(), "--to", today.isoformat(), "--unit", GRID,
                                "--format", "json")
        station = json.loads(done.stdout)["patrols"]
        assert [(p["worker"], p["hazards"], p["days_patrolled"], p["days_met"], p["target"]) for p in station] == \
            [(laptop.store.get_meta("user"), 1, 1, 0, 3.0)]
        assert Reports(office.store).compute(today, today, GRID)["patrols"] == station
        assert "发现隐患数" in sync_station.cli("report", "--unit", GRID).stdout
        # the township's target is its own setting, and reaches the laptop
        assert sync_station.cli("setting", "set", "assessment", '{"patrol_hours_per_day": 0.5}', "--unit",
                                TOWNSHIP).returncode == 0
        laptop.sync()
        assert service.today(GRID).target == 0.5
    finally:
        sync_station.cli("setting", "set", "assessment", "{}", "--unit", TOWNSHIP)
        laptop.close()
        office.close()


def test_the_station_refuses_a_patrol_ending_before_it_starts_and_a_hazard_from_another_grid(sync_station):
    worker = new_account(sync_station, grids=(GRID, OTHER_GRID))
    patrol, other = "0190b000-0000-7000-8000-00000000a001", "0190b000-0000-7000-8000-00000000a002"
    backwards = worker.push([worker.change("patrol", patrol, {
        "id": patrol, "grid_code": GRID, "worker": worker.user, "started_at": "2026-03-01T10:00:00+08:00",
        "ended_at": "2026-03-01T09:00:00+08:00"})])
    assert backwards.status_code == 422 and "不能早于开始时间" in backwards.json()["rejected"][0]["message"]
    worker.seq = 0
    ok = worker.push([worker.change("patrol", other, {"id": other, "grid_code": OTHER_GRID, "worker": worker.user,
                                                      "started_at": "2026-03-01T10:00:00+08:00"})])
    assert ok.status_code == 200, ok.text
    case = "0190b000-0000-7000-8000-00000000c001"
    wrong = worker.push([worker.change("incident", case, {
        "id": case, "grid_code": GRID, "category": "safety_hazard", "title": "井盖缺失",
        "reported_at": "2026-03-01T10:30:00+08:00", "source_type": "patrol", "source_id": other})])
    assert wrong.status_code == 422 and "来源记录" in wrong.json()["rejected"][0]["message"]


def test_the_cli_runs_the_timer_and_reports_a_hazard(tmp_path):
    laptop = Client(tmp_path / "laptop")
    try:
        local_grids(laptop)
        code, patrol, err = laptop.cli("patrol", "start")
        assert code == 0, err
        assert "巡查进行中" in laptop.cli("patrol", "today")[1]
        code, case, _ = laptop.cli("patrol", "hazard", "--title", "电线裸露")
        assert code == 0 and laptop.store.get("incident", case.strip())["source_id"] == patrol.strip()
        assert laptop.cli("patrol", "stop")[0] == 0
        again = laptop.cli("patrol", "stop")
        assert again[0] == 2 and "没有正在进行的巡查" in again[2]
        today = json.loads(laptop.cli("patrol", "today", "--json")[1])
        assert today["running"] is None and today["target"] == 3 and today["met"] is False
    finally:
        laptop.close()
