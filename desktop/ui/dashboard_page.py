"""The dashboard (工作台): per-grid figures, computed off the GUI thread by desktop.services.dashboard."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from desktop.services import Ledger, dashboard
from sync import records

from .duty_card import DutyCard
from .i18n import translate, value_label


class DashboardPage(QWidget):
    def __init__(self, ledger: Ledger, runner=None, parent=None):
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.grid: str | None = None
        self.rows: list[dashboard.GridFigures] = []
        self.setObjectName("page_dashboard")
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("dashboard_heading")
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        layout.addWidget(self.heading)
        self.duty = DutyCard(ledger, runner, self)        # visits and task items overdue, patrol hours today
        layout.addWidget(self.duty)
        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("dashboard_table")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        quota = translate("DashboardPage", "Reporting quota: urban grids at least one item a day, "
                                           "rural grids at least one a week. Patrol target: 3 hours a day.")
        self.note = QLabel(quota, self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

    def set_grid(self, grid: str | None) -> None:
        self.grid = grid
        self.refresh()

    def refresh(self) -> None:
        """Compute on a worker thread (aggregates over every resident), show when done."""
        grid, ledger = self.grid, self.ledger
        self.heading.setText(translate("DashboardPage", "Computing…"))
        self.duty.refresh(grid)
        compute = lambda: (grid, dashboard.figures(ledger.store, grid))   # noqa: E731
        if self.runner is None:
            self._show(compute())
        else:
            self.runner.run(compute, self._show, lambda exc: self.heading.setText(str(exc)))

    def _row_labels(self) -> list[tuple[str, callable]]:
        rows = [(translate("DashboardPage", "Households"), lambda g: g.households),
                (translate("DashboardPage", "Residents"), lambda g: g.resident_total)]
        rows += [(value_label(r), lambda g, r=r: g.residents.get(r, 0)) for r in records.RESIDENCES]
        rows += [(value_label(tag), lambda g, tag=tag: g.key_groups.get(tag, 0)) for tag in records.PERSON_TAGS
                 if tag not in records.RESIDENCES]      # "floating" is counted once, as a residence
        rows += [(translate("DashboardPage", "Buildings"), lambda g: g.buildings),
                 (translate("DashboardPage", "Open incidents"), lambda g: g.open_incidents),
                 (translate("DashboardPage", "Overdue incidents"), lambda g: g.overdue_incidents),
                 (translate("DashboardPage", "Patrol hours this week"), lambda g: f"{g.patrol_hours_week:.1f}"),
                 (translate("DashboardPage", "Reporting quota"), self._quota_text)]
        return rows

    def _quota_text(self, g: dashboard.GridFigures) -> str:
        period = translate("DashboardPage", "today") if g.urban else translate("DashboardPage", "this week")
        state = translate("DashboardPage", "met") if g.quota_met else translate("DashboardPage", "not met")
        return f"{g.reports_in_period}/{g.quota} {period} · {state}"

    def _show(self, result) -> None:
        grid, rows = result
        if grid != self.grid:
            return                                  # the user moved on; a newer result is coming
        self.rows = rows
        columns = rows + ([dashboard.total(rows, translate("DashboardPage", "Total"))] if len(rows) > 1 else [])
        labels = self._row_labels()
        self.table.clear()
        self.table.setRowCount(len(labels))
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels([g.name for g in columns])
        self.table.setVerticalHeaderLabels([label for label, _ in labels])
        for col, g in enumerate(columns):
            for row, (_, getter) in enumerate(labels):
                item = QTableWidgetItem(str(getter(g)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.heading.setText(translate("DashboardPage", "Grid figures: %1 grids").replace("%1", str(len(rows))))
