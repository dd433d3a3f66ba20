"""Assessments end to end: the station measures a worker's inputs from what the laptop synced, scores them by the
township's weights and thresholds, the township grades with a reason from its laptop (the worker cannot), the
grade reaches the worker's laptop; sheets print per worker."""
import datetime as dt
import json

import pytest
import requests
from pypdf import PdfReader

from desktop.services.assessments import Assessments
from desktop.services.patrols import Patrols
from desktop.services.visits import Visits
from sync import incidents
from sync.validation import ValidationError
from tests.station_support import new_account, running_station, station_backends
from tests.support.clients import GRID, TOWNSHIP, Client, household, local_grids, new_user

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture(scope="module", params=station_backends())
def sync_station(request, tmp_path_factory):
    """A real station per module, on SQLite and (with GRIDBOOK_TEST_PG) on PostgreSQL."""
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))
CHINA = dt.timezone(dt.timedelta(hours=8))
HOUR = 3_600_000


def test_the_station_measures_scores_and_the_township_grades(sync_station, tmp_path):
    today = dt.datetime.now(CHINA).date()
    period = f"{today.year}-{today.month:02d}"
    worker = new_user(sync_station)
    laptop, office = Client(tmp_path / "laptop"), Client(tmp_path / "office")
    try:
        local_grids(laptop)
        laptop.login(sync_station.url, worker)
        building = laptop.put("building", {"grid_code": GRID, "address": "幸福村3组1号"})
        home = laptop.put("household", household(1, phone="13800138000", building_id=building))
        elder = laptop.put("person", {"name": "独居老人", "household_id": home, "id_number": "11010519491231002X",
                                      "tags": ["elderly_alone"]})
        Visits(laptop.store).record(elder, findings="安好")
        now = Patrols(laptop.store).cases.now_ms()
        start = max(now - 2 * HOUR, int(dt.datetime.combine(today, dt.time(), CHINA).timestamp() * 1000))
        laptop.put("patrol", {"grid_code": GRID, "worker": worker, "started_at": incidents.ms_iso(start),
                              "ended_at": incidents.ms_iso(start + int(1.5 * HOUR))})
        laptop.put("incident", {"grid_code": GRID, "category": "livelihood", "title": "路灯不亮",
                                "reported_at": incidents.ms_iso(now), "reported_by": worker})
        assert laptop.sync().set_aside == 0

        done = sync_station.cli("assess", "show", "--period", period, "--worker", worker, "--format", "json")
        assert done.returncode == 0, done.stderr
        sheet = json.loads(done.stdout)[0]
        days = today.day
        expected = {"patrol": round(1.5 / (days * 3), 4), "reporting": round(1 / -(-days // 7), 4), "cases": None,
                    "visits": round(1 / -(-days // 7), 4), "completeness": 1.0}
        assert sheet["grids"] == [GRID] and sheet["inputs"] == expected
        weights = {"patrol": 0.25, "reporting": 0.2, "visits": 0.2, "completeness": 0.15}
        score = round(100 * sum(weights[k] * expected[k] for k in weights) / sum(weights.values()), 1)
        assert sheet["score"] == score and sheet["final"] is None
        assert sheet["suggested"] == ("excellent" if score >= 90 else "good" if score >= 80 else
                                      "competent" if score >= 60 else "not_competent")
        own = Assessments(laptop.store).own_sheet(period)          # the laptop measures itself the same way
        assert own["inputs"] == expected and own["score"] == score

        # the township's own weights and thresholds
        assert sync_station.cli("setting", "set", "assessment", json.dumps({
            "weights": {"patrol": 0, "reporting": 0, "cases": 0, "visits": 0, "completeness": 1},
            "grades": {"excellent": 95, "good": 85, "competent": 70}}), "--unit", TOWNSHIP).returncode == 0
        sheet = json.loads(sync_station.cli("assess", "show", "--period", period, "--worker", worker,
                                            "--format", "json").stdout)[0]
        assert (sheet["score"], sheet["suggested"]) == (100.0, "excellent")

        office.login(sync_station.url, new_user(sync_station, "township", (TOWNSHIP,)))
        office.sync()
        supervisor = Assessments(office.store, office.engine.assessments)
        sheets = supervisor.from_station(period)
        mine = next(s for s in sheets if s["worker"] == worker)
        supervisor.grade(mine, "good", "巡查时长不足，其余达标")
        assert office.sync().set_aside == 0
        final = json.loads(sync_station.cli("assess", "show", "--period", period, "--worker", worker,
                                            "--format", "json").stdout)[0]["final"]
        assert (final["grade"], final["reason"]) == ("good", "巡查时长不足，其余达标")
        laptop.sync()
        graded = Assessments(laptop.store)
        assert graded.final(worker, period)["grade"] == "good"
        with pytest.raises(ValidationError) as refused:
            graded.grade(own, "excellent", "自评")
        assert "只有乡镇" in refused.value.message()
        html = tmp_path / "考核表.html"
        assert sync_station.cli("assess", "show", "--period", period, "--worker", worker, "--format", "html",
                                "--out", str(html)).returncode == 0
        assert "网格员考核表" in html.read_text(encoding="utf-8") and "良好" in html.read_text(encoding="utf-8")
        pdf = tmp_path / "考核表.pdf"
        code, _, err = laptop.cli("assess", "show", "--period", period, "--local", "--out", str(pdf))
        assert code == 0, err
        assert len(PdfReader(pdf).pages) == 1
    finally:
        sync_station.cli("setting", "set", "assessment", "{}", "--unit", TOWNSHIP)
        laptop.close()
        office.close()


def test_a_worker_sees_its_own_sheet_only_and_cannot_push_a_grade(sync_station):
    device = new_account(sync_station, grids=(GRID,))
    other = new_user(sync_station)
    reply = requests.get(sync_station.url + "/v1/assessments", params={"period": "2026", "worker": other},
                         headers=device.headers(), timeout=10)
    assert reply.status_code == 200 and [s["worker"] for s in reply.json()["sheets"]] == [device.user]
    record = "0190e000-0000-7000-8000-00000000a001"
    pushed = device.push([device.change("assessment", record, {
        "id": record, "worker": device.user, "grid_code": GRID, "period": "2026", "grade": "excellent",
        "reason": "自评", "graded_by": device.user, "graded_at": "2026-12-31T10:00:00+08:00"})])
    assert pushed.status_code == 422 and "评定考核等次" in pushed.json()["rejected"][0]["message"]
    bad = requests.get(sync_station.url + "/v1/assessments", params={"period": "2026年"},
                       headers={**device.headers(), "Accept-Language": "en"}, timeout=10)
    assert bad.status_code == 422 and "2026-Q1" in bad.json()["message"]


def test_the_station_grades_from_its_command_line_and_refuses_an_unknown_worker(sync_station):
    worker = new_user(sync_station)
    done = sync_station.cli("assess", "grade", worker, "--period", "2026-Q1", "--grade", "competent",
                            "--reason", "全年履职基本到位")
    assert done.returncode == 0, done.stderr
    assert "评定等次：称职" in done.stdout
    unknown = sync_station.cli("assess", "grade", "无此人", "--period", "2026-Q1", "--grade", "good", "--reason", "x")
    assert unknown.returncode == 2 and "无此人" in unknown.stderr
    township = new_account(sync_station, "township", (TOWNSHIP,))
    rows = township.pull_all()
    graded = [r for (t, _i), r in rows.items() if t == "assessment" and r["f"].get("worker") == worker]
    assert graded and graded[0]["f"]["grade"] == "competent"
