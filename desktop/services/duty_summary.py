"""Duty figures for the workbench cards: visits overdue and due, task items overdue and open, today's patrol hours."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..store import Store
from ..syncing.station_clock import local_ms
from .patrols import Patrols
from .tasks import Tasks
from .visits import Visits


@dataclass
class DutySummary:
    visits_overdue: int
    visits_due: int
    tasks_overdue: int
    tasks_open: int
    patrol_hours: float
    patrol_target: float
    patrolling: bool


def summary(store: Store, grid: str | None = None, clock: Callable[[], int] = local_ms) -> DutySummary:
    due = Visits(store, clock).due(grid)
    board = Tasks(store, clock).board(grid)
    today = Patrols(store, clock).today(grid if grid and "-" in grid else None)
    return DutySummary(sum(d.status == "overdue" for d in due), sum(d.status == "due" for d in due),
                       sum(s.status == "overdue" for s in board), sum(s.status == "open" for s in board),
                       today.hours, today.target, today.running is not None)
