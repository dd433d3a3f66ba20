"""Report statistics over a generated data set equal the figures the test works out on its own."""
import datetime as dt
import io
import json
import random

import pytest
from openpyxl import load_workbook

from desktop.services.reports import Reports
from sync import clock, incidents, report_files, reports
from sync.incident_warnings import DAY_MS, DEFAULT_DEADLINES, HOUR_MS
from tests.station_support import running_station, station_backends
from tests.support.clients import GRID, Client, local_grids, new_user

CHINA = dt.timezone(dt.timedelta(hours=8))
GRIDS = [
    {"code": "420704", "name": "鄂城区", "level": "county", "parent_code": None},
    {"code": "420704002", "name": "凤凰街道", "level": "township", "parent_code": "420704"},
    {"code": "420704002003", "name": "东湖社区", "level": "village", "parent_code": "420704002"},
    {"code": "420704002003-01", "name": "第一网格", "level": "grid", "parent_code": "420704002003"},
    {"code": "420704002003-02", "name": "第二网格", "level": "grid", "parent_code": "420704002003"},
    {"code": "420704100", "name": "汀祖镇", "level": "township", "parent_code": "420704"},
    {"code": "420704100201", "name": "幸福村", "level": "village", "parent_code": "420704100"},
    {"code": "420704100201-01", "name": "幸福村第一网格", "level": "grid", "parent_code": "420704100201"},
    {"code": "420704100201-03", "name": "幸福村第三网格", "level": "grid", "parent_code": "420704100201"},
]
LEAVES = [g["code"] for g in GRIDS if g["level"] == "grid"]
WORKERS = {code: f"网格员{n}" for n, code in enumerate(LEAVES)}
START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
NOW = int(dt.datetime(2026, 4, 10, 12, tzinfo=CHINA).timestamp() * 1000)
PATHS = ("open", "escalated", "closed", "closed_late", "supervised", "mediated_ok", "mediated_fail")


@pytest.fixture(scope="module", params=station_backends())
def sync_station(request, tmp_path_factory):
    """A real station, on SQLite and (with GRIDBOOK_TEST_PG) on PostgreSQL."""
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))


def ms(day: dt.date, hour: float) -> int:
    return int(dt.datetime.combine(day, dt.time(), CHINA).timestamp() * 1000 + hour * HOUR_MS)


class Generated:
    """Cases, events and patrols, with what the generator knows about each case kept beside them."""

    def __init__(self, seed: int, cases: int = 250):
        rng = random.Random(seed)
        self.incidents, self.events, self.patrols, self.truth = [], [], [], []
        self.stamp = 0
        for n in range(cases):
            grid = rng.choice(LEAVES)
            day = START + dt.timedelta(days=rng.randint(-10, 40))
            at = ms(day, rng.uniform(7, 19))
            path, category = rng.choice(PATHS), rng.choice(list(DEFAULT_DEADLINES))
            case_id = f"case-{n:04d}"
            reporter = WORKERS[grid] if rng.random() < 0.9 else "群众"
            self.incidents.append({"id": case_id, "grid_code": grid, "category": category, "title": f"事件{n}",
                                   "reported_at": incidents.ms_iso(at), "reported_by": reporter, "deleted": False})
            self.truth.append(self._steps(rng, case_id, grid, at, path) | {
                "grid": grid, "reported": at, "category": category, "reporter": reporter, "path": path})
        for grid, worker in WORKERS.items():
            for _ in range(40):
                start = ms(START + dt.timedelta(days=rng.randint(-5, 35)), rng.uniform(6, 16))
                end = None if rng.random() < 0.1 else start + int(rng.uniform(0.5, 4) * HOUR_MS)
                self.patrols.append({"id": f"p{len(self.patrols)}", "grid_code": grid, "worker": worker,
                                     "started_at": incidents.ms_iso(start),
                                     "ended_at": incidents.ms_iso(end) if end else None, "deleted": False})

    def _event(self, case_id: str, grid: str, step: str, at: int, **fields) -> str:
        self.stamp += 1
        event_id = f"ev-{self.stamp:05d}"
        self.events.append({"id": event_id, "incident_id": case_id, "grid_code": grid, "step": step,
                            "actor": "x", "actor_level": fields.pop("actor_level", "township"),
                            "at": incidents.ms_iso(at), "clocks": {"id": clock.stamp(clock.pack(at), "d" * 36)},
                            **fields})
        return event_id

    def _steps(self, rng, case_id, grid, at, path) -> dict:
        self._event(case_id, grid, "report", at)
        later = at + int(rng.uniform(1, 30) * HOUR_MS)
        if path in ("escalated", "supervised"):
            self._event(case_id, grid, "escalate", later)
            if path == "supervised":
                self._event(case_id, grid, "supervise", later + HOUR_MS)
            return {"since": later, "level": "township", "closed": None, "mediation": None,
                    "blue": path == "supervised"}
        if path == "open":
            return {"since": at, "level": "village", "closed": None, "mediation": None, "blue": False}
        outcome = {"mediated_ok": "success", "mediated_fail": "failure"}.get(path)
        self._event(case_id, grid, "register", at + 1)
        self._event(case_id, grid, "handle", at + 2, **({"outcome": outcome, "agreement": "协议"} if outcome else {}))
        self._event(case_id, grid, "feedback", at + 3)
        closed = ms(END, 0) + 40 * DAY_MS if path == "closed_late" else later
        self._event(case_id, grid, "close", closed)
        return {"since": at, "level": "village", "closed": closed, "mediation": outcome, "blue": False}


def expected(data: Generated, unit: str | None) -> dict:
    """The figures, worked out from what the generator knows (no derivation of events)."""
    lo, hi = ms(START, 0), ms(END + dt.timedelta(days=1), 0)
    mine = [t for t in data.truth if lo <= t["reported"] < hi and (not unit or t["grid"].startswith(unit))]
    closed = [t for t in mine if t["closed"] is not None and t["closed"] < hi]
    mediated = [t for t in mine if t["mediation"]]
    overdue: dict[str, dict[str, int]] = {}
    for t in mine:
        if t["closed"] is not None:
            continue
        due = t["since"] + DEFAULT_DEADLINES[t["category"]][t["level"]] * DAY_MS
        late = NOW - due
        light = "blue" if t["blue"] else None if late < -DAY_MS else "yellow" if late < 0 else \
            "light_red" if late <= DAY_MS else "purple" if late <= 3 * DAY_MS else "red"
        if light:
            holder = t["grid"] if t["level"] == "village" else t["grid"][:9]
            overdue.setdefault(holder, dict.fromkeys(("yellow", "light_red", "purple", "red", "blue"), 0))[light] += 1
    return {"reported": len(mine), "closed": len(closed),
            "closure_rate": round(len(closed) / len(mine), 4) if mine else None,
            "mediated": len(mediated), "mediation_success": sum(t["mediation"] == "success" for t in mediated),
            "overdue": overdue}


def expected_worker(data: Generated, grid: str) -> dict:
    lo, hi = ms(START, 0), ms(END + dt.timedelta(days=1), 0)
    worker = WORKERS[grid]
    days = {(t["reported"] - lo) // DAY_MS for t in data.truth
            if t["grid"] == grid and t["reporter"] == worker and lo <= t["reported"] < hi}
    urban = grid.startswith("420704002")
    periods = 31 if urban else 5
    covered = len(days) if urban else len({d // 7 for d in days})
    hours = sum((incidents.iso_ms(p["ended_at"]) - incidents.iso_ms(p["started_at"])) / HOUR_MS
                for p in data.patrols if p["grid_code"] == grid and p["ended_at"]
                and lo <= incidents.iso_ms(p["started_at"]) < hi)
    return {"urban": urban, "periods": periods, "covered": covered, "patrol_hours": round(hours, 2),
            "reports": sum(1 for t in data.truth if t["grid"] == grid and t["reporter"] == worker
                           and lo <= t["reported"] < hi)}


@pytest.mark.parametrize("seed, unit", [(1, None), (2, "420704002"), (3, "420704100201-01"), (4, "420704100201")])
def test_statistics_equal_the_independently_computed_figures(seed, unit):
    data = Generated(seed)
    got = reports.compute(reports.Period(START, END), unit, data.incidents, data.events, data.patrols, GRIDS,
                          None, NOW)
    want = expected(data, unit)
    assert {k: got[k] for k in want} == want
    assert got["overdue_total"] == {c: sum(v[c] for v in want["overdue"].values())
                                    for c in ("yellow", "light_red", "purple", "red", "blue")}
    assert got["reported"] > 10 and got["mediated"] > 0                # the data set exercises every figure
    rows = {(w["worker"], w["grid_code"]): w for w in got["workers"]}
    for grid in LEAVES:
        if not unit or grid.startswith(unit):
            w = rows[(WORKERS[grid], grid)]
            assert {k: w[k] for k in ("urban", "periods", "covered", "patrol_hours", "reports")} == \
                expected_worker(data, grid)


def test_exports_carry_chinese_headings():
    data = Generated(5, cases=40)
    report = reports.compute(reports.Period(START, END), None, data.incidents, data.events, data.patrols, GRIDS,
                             None, NOW)
    text = report_files.to_csv(report, "zh_CN")
    assert text.startswith("\ufeff事件办理统计") and "办结率" in text and "浅红灯" in text
    book = load_workbook(io.BytesIO(report_files.to_xlsx(report, "zh_CN")))
    assert book.sheetnames == ["事件办理", "超期预警（五色亮灯）", "网格员履职"]
    assert book["事件办理"]["A3"].value == "上报事件数" and book["事件办理"]["B3"].value == report["reported"]


@pytest.mark.usefixtures("file_tokens")
def test_the_station_and_the_desktop_report_the_same_figures(sync_station, tmp_path):
    laptop = Client(tmp_path / "laptop")
    try:
        local_grids(laptop)
        laptop.login(sync_station.url, new_user(sync_station))
        data = Generated(6, cases=30)
        ids = {}
        for incident in data.incidents:                    # the generated cases, moved into this worker's grid
            ids[incident["id"]] = laptop.put("incident", {**{k: v for k, v in incident.items()
                                                             if k not in ("id", "deleted")}, "grid_code": GRID})
        seen: dict[str, list[str]] = {}
        for e in incidents.ordered(data.events):
            if e["step"] == "supervise":                   # a township's step: not this worker's to push
                continue
            case = ids[e["incident_id"]]
            fields = {k: v for k, v in e.items() if k not in ("id", "clocks", "incident_id", "grid_code",
                                                              "actor_level")}
            new = laptop.put("incident_event", {**fields, "incident_id": case, "grid_code": GRID,
                                                "actor_level": "village", "prior": seen.get(case, [])})
            seen.setdefault(case, []).append(new)
        assert laptop.sync().set_aside == 0
        desktop = Reports(laptop.store).compute(START, END, GRID)
        done = sync_station.cli("report", "--from", START.isoformat(), "--to", END.isoformat(), "--unit", GRID,
                                "--format", "json")
        assert done.returncode == 0, done.stderr
        station = json.loads(done.stdout)
        assert station == desktop and desktop["reported"] > 0
        out = tmp_path / "r.xlsx"
        assert sync_station.cli("report", "--unit", GRID, "--format", "xlsx", "--out", str(out)).returncode == 0
        assert load_workbook(out).sheetnames[0] == "事件办理"
    finally:
        laptop.close()
