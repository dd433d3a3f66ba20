"""The figures of the workbench dashboard, per grid: people, places, cases, patrols, quota (no Qt)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sync import grid_scope, records
from sync.reports import is_urban

from ..store import Store, queries
from .incidents import Incidents

CHINA = dt.timezone(dt.timedelta(hours=8))


@dataclass
class GridFigures:
    code: str
    name: str
    urban: bool
    households: int = 0
    buildings: int = 0
    residents: dict = field(default_factory=dict)        # residence -> count
    key_groups: dict = field(default_factory=dict)       # tag -> count
    open_incidents: int = 0
    overdue_incidents: int = 0
    patrol_hours_week: float = 0.0
    patrol_hours_today: float = 0.0
    reports_in_period: int = 0     # items reported today (urban) or this week (rural)
    quota: int = 1

    @property
    def resident_total(self) -> int:
        return sum(self.residents.values())

    @property
    def quota_met(self) -> bool:
        return self.reports_in_period >= self.quota


def _parse(value: str | None, default_tz=CHINA) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=default_tz)


def week_start(now: dt.datetime) -> dt.datetime:
    midnight = now.astimezone(CHINA).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - dt.timedelta(days=midnight.weekday())


def figures(store: Store, grid: str | None = None, now: dt.datetime | None = None) -> list[GridFigures]:
    """One GridFigures per grid-level unit under `grid` (every grid when None)."""
    now = (now or dt.datetime.now(CHINA)).astimezone(CHINA)
    monday = week_start(now)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    # Text bound one day early: stored times may carry other offsets; exact filter below.
    counts = queries.dashboard_counts(store, grid, (monday - dt.timedelta(days=1)).date().isoformat())
    units = [g for g in queries.grids(store) if g["level"] == "grid"
             and (not grid or grid_scope.covers(grid, g["code"]))]
    result = {g["code"]: GridFigures(g["code"], g["name"], is_urban(g["code"])) for g in units}
    for g in result.values():
        g.households = counts["households"].get(g.code, 0)
        g.buildings = counts["buildings"].get(g.code, 0)
    for (code, residence), n in counts["residents"].items():
        if code in result:
            result[code].residents[residence] = n
    for (code, tag), n in counts["key_groups"].items():
        if code in result and tag in records.PERSON_TAGS:
            result[code].key_groups[tag] = n
    # Open and overdue come from each case's derived state (its steps), at the station's time.
    cases = Incidents(store, clock=lambda: int(now.timestamp() * 1000))
    now_ms = cases.now_ms()
    for row in cases.cases(grid, open_only=True):
        code = row.incident["grid_code"]
        if code in result:
            result[code].open_incidents += 1
            if row.deadline_ms is not None and row.deadline_ms < now_ms:
                result[code].overdue_incidents += 1
    for code, reported_at in counts["recent_reports"]:
        moment = _parse(reported_at)
        if code in result and moment is not None:
            start = today if result[code].urban else monday
            if start <= moment <= now:
                result[code].reports_in_period += 1
    for code, started_at, ended_at in counts["recent_patrols"]:
        began, end = _parse(started_at), _parse(ended_at)
        if code in result and began is not None and end is not None and began >= monday and end > began:
            result[code].patrol_hours_week += (min(end, now) - began).total_seconds() / 3600
            if end > today:
                result[code].patrol_hours_today += (min(end, now) - max(began, today)).total_seconds() / 3600
    return list(result.values())


def total(rows: list[GridFigures], name: str) -> GridFigures:
    """The sum over several grids (the selected village or township)."""
    summed = GridFigures("", name, urban=False, quota=0)
    for g in rows:
        summed.households += g.households
        summed.buildings += g.buildings
        summed.open_incidents += g.open_incidents
        summed.overdue_incidents += g.overdue_incidents
        summed.patrol_hours_week += g.patrol_hours_week
        summed.patrol_hours_today += g.patrol_hours_today
        summed.reports_in_period += g.reports_in_period
        summed.quota += g.quota
        for key, n in g.residents.items():
            summed.residents[key] = summed.residents.get(key, 0) + n
        for key, n in g.key_groups.items():
            summed.key_groups[key] = summed.key_groups.get(key, 0) + n
    return summed
