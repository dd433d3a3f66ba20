"""The day's work of a grid (the 工作台): lights, patrol and quota, cases over the weeks, changes to send (no Qt)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sync import records
from sync.incident_warnings import COLOURS

from ..store import Store
from . import dashboard
from .incidents import Incidents
from .ledger import Ledger

PATROL_TARGET_HOURS = 3.0          # a day, per grid worker (Xiaogan)
WEEKS = 8                          # the charts' window


@dataclass
class Workday:
    grids: list[dashboard.GridFigures]
    total: dashboard.GridFigures
    lights: dict[str, int] = field(default_factory=dict)          # colour -> open cases lit so
    by_status: dict[str, int] = field(default_factory=dict)       # derived status -> cases
    weeks: list[tuple[dt.date, dict[str, int]]] = field(default_factory=list)   # monday -> {category: reported}
    pending: int = 0
    set_aside: int = 0

    @property
    def patrol_target(self) -> float:
        return PATROL_TARGET_HOURS * max(1, len(self.grids))

    @property
    def overdue(self) -> int:
        """Cases past their deadline (every colour but the early-warning yellow and the blue of 督办/退回)."""
        return sum(n for colour, n in self.lights.items() if colour in ("light_red", "purple", "red"))


def workday(ledger: Ledger, grid: str | None, now: dt.datetime | None = None) -> Workday:
    """Everything the workbench shows for `grid` (a grid, village, township, or all when None)."""
    store: Store = ledger.store
    now = (now or dt.datetime.now(dashboard.CHINA)).astimezone(dashboard.CHINA)
    grids = dashboard.figures(store, grid, now)
    day = Workday(grids, dashboard.total(grids, ""))
    status = ledger.status()
    day.pending, day.set_aside = status.pending, status.set_aside
    first_monday = dashboard.week_start(now).date() - dt.timedelta(weeks=WEEKS - 1)
    weeks: dict[dt.date, dict[str, int]] = {first_monday + dt.timedelta(weeks=n): {} for n in range(WEEKS)}
    cases = Incidents(store, clock=lambda: int(now.timestamp() * 1000))
    for row in cases.cases(grid):
        state = row.state
        day.by_status[state.status] = day.by_status.get(state.status, 0) + 1
        if row.colour in COLOURS:
            day.lights[row.colour] = day.lights.get(row.colour, 0) + 1
        if state.reported_ms is not None:
            reported = dt.datetime.fromtimestamp(state.reported_ms / 1000, dashboard.CHINA)
            monday = dashboard.week_start(reported).date()
            if monday in weeks:
                category = state.category if state.category in records.INCIDENT_CATEGORIES else "other"
                weeks[monday][category] = weeks[monday].get(category, 0) + 1
    day.weeks = sorted(weeks.items())
    return day
