"""The duty card on the dashboard: what is overdue today (visits, task items) and the patrol hours."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop.services import duty_summary

from .i18n import translate


class DutyCard(QLabel):
    def __init__(self, ledger, runner=None, parent=None):
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.grid: str | None = None
        self.setObjectName("duty_card")
        self.setWordWrap(True)
        self.setStyleSheet("padding: 6px; border: 1px solid #d0d7de; border-radius: 4px;")

    def refresh(self, grid: str | None) -> None:
        self.grid = grid
        work = lambda: (grid, duty_summary.summary(self.ledger.store, grid))    # noqa: E731
        if self.runner is None:
            self.show_summary(work())
        else:
            self.runner.run(work, self.show_summary, lambda exc: self.setText(str(exc)))

    def show_summary(self, result) -> None:
        grid, s = result
        if grid != self.grid:
            return
        text = translate("DutyCard", "Visits: %1 overdue, %2 due soon · Task list: %3 overdue, %4 to do · "
                                     "Patrol today: %5 of %6 hours")
        for mark, value in (("%1", s.visits_overdue), ("%2", s.visits_due), ("%3", s.tasks_overdue),
                            ("%4", s.tasks_open), ("%5", f"{s.patrol_hours:.1f}"), ("%6", f"{s.patrol_target:g}")):
            text = text.replace(mark, str(value))
        if s.patrolling:
            text += translate("DutyCard", " (on patrol)")
        self.setText(text)
        late = s.visits_overdue or s.tasks_overdue
        self.setStyleSheet("padding: 6px; border: 1px solid %s; border-radius: 4px;" % ("#e74c3c" if late
                                                                                        else "#d0d7de"))
