"""The workbench (工作台): the day's work of the selected grid as cards and small charts, each opening its list.

Figures come from desktop.services.workday, computed off the GUI thread. `open_list(page, criterion)`
asks the main window to show a list: ("incident", {"light": "red"}), ("person", {"tag": "disabled"}),
("patrol", {}), ("set_aside", {}), ("sync", {}).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services import Ledger, dashboard, duty_summary, workday
from sync import messages, records

from . import lights
from .charts import BarChart, StackedWeeks
from .i18n import translate, value_label
from .workbench_cards import Card


def status_label(status: str) -> str:
    return messages.value_label(status, field="status", record_type="incident")


class DashboardPage(QWidget):
    open_list = Signal(str, dict)

    def __init__(self, ledger: Ledger, runner=None, parent=None):
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.grid: str | None = None
        self.rows: list[dashboard.GridFigures] = []
        self.day: workday.Workday | None = None
        self.sees_protected = False            # this account sees the protected key groups (read with the figures)
        self.setObjectName("page_dashboard")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        self.heading = QLabel(body)
        self.heading.setObjectName("dashboard_heading")
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        layout.addWidget(self.heading)
        layout.addLayout(self._cards(body))
        layout.addWidget(self._legend(body))
        layout.addLayout(self._charts(body))
        self.table = QTableWidget(0, 0, body)
        self.table.setObjectName("dashboard_table")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(260)
        layout.addWidget(self.table, 1)
        quota = translate("DashboardPage", "Reporting quota: urban grids at least one item a day, "
                                           "rural grids at least one a week. Patrol target: 3 hours a day.")
        self.note = QLabel(quota, body)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

    # -- building -------------------------------------------------------------------------
    def _cards(self, parent) -> QHBoxLayout:
        row = QHBoxLayout()
        self.cards = {
            "overdue": Card("overdue", translate("DashboardPage", "Overdue cases"), parent),
            "patrol": Card("patrol", translate("DashboardPage", "Patrol today"), parent),
            "quota": Card("quota", translate("DashboardPage", "Reporting quota"), parent),
            "visits": Card("visits", translate("DashboardPage", "Visits overdue"), parent),
            "tasks": Card("tasks", translate("DashboardPage", "Task items overdue"), parent),
            "pending": Card("pending", translate("DashboardPage", "Changes to send"), parent),
            "set_aside": Card("set_aside", translate("DashboardPage", "Changes set aside"), parent),
        }
        targets = {"overdue": ("incident", {"light": "overdue"}), "patrol": ("patrol", {}),
                   "quota": ("incident", {}), "visits": ("visits", {}), "tasks": ("tasks", {}),
                   "pending": ("sync", {}), "set_aside": ("set_aside", {})}
        for name, card in self.cards.items():
            page, criterion = targets[name]
            card.clicked.connect(lambda page=page, criterion=criterion: self.open_list.emit(page, criterion))
            row.addWidget(card, 1)
        return row

    def _legend(self, parent) -> QWidget:
        legend = QWidget(parent)
        legend.setObjectName("lights_legend")
        row = QHBoxLayout(legend)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(translate("DashboardPage", "Five-colour lights:"), legend))
        for colour, text in lights.legend_items():
            swatch = QLabel(legend)
            swatch.setPixmap(lights.icon(colour).pixmap(14, 14))
            row.addWidget(swatch)
            label = QLabel(text, legend)
            label.setObjectName(f"legend_{colour}")
            row.addWidget(label)
        row.addStretch(1)
        return legend

    def _charts(self, parent) -> QGridLayout:
        grid = QGridLayout()
        self.lights_chart = BarChart(translate("DashboardPage", "Open cases by light"), parent)
        self.lights_chart.setObjectName("chart_lights")
        self.lights_chart.bar_clicked.connect(lambda c: self.open_list.emit("incident", {"light": c}))
        self.status_chart = BarChart(translate("DashboardPage", "Cases by status"), parent)
        self.status_chart.setObjectName("chart_status")
        self.status_chart.bar_clicked.connect(lambda s: self.open_list.emit("incident", {"status": s}))
        self.weeks_chart = StackedWeeks(translate("DashboardPage", "Cases reported by category, last 8 weeks"),
                                        parent)
        self.weeks_chart.setObjectName("chart_weeks")
        self.people_chart = BarChart(translate("DashboardPage", "Residents by residence and key group"), parent)
        self.people_chart.setObjectName("chart_people")
        self.people_chart.bar_clicked.connect(lambda t: self.open_list.emit("person", {"tag": t}))
        for n, chart in enumerate((self.lights_chart, self.status_chart, self.weeks_chart, self.people_chart)):
            chart.setMinimumHeight(190)
            grid.addWidget(chart, n // 2, n % 2)
        return grid

    # -- data ----------------------------------------------------------------------------
    def set_grid(self, grid: str | None) -> None:
        self.grid = grid
        self.refresh()

    def refresh(self) -> None:
        """Compute on a worker thread (aggregates over every resident), show when done."""
        grid, ledger = self.grid, self.ledger
        self.heading.setText(translate("DashboardPage", "Computing…"))

        def compute():
            return grid, workday.workday(ledger, grid), duty_summary.summary(ledger.store, grid), ledger.full_view()

        if self.runner is None:
            self._show(compute())
        else:
            self.runner.run(compute, self._show, lambda exc: self.heading.setText(
                translate("DashboardPage", "The figures cannot be computed: %1").replace("%1", str(exc))))

    def _show(self, result) -> None:
        grid, day, duty, sees_protected = result
        if grid != self.grid:
            return                                  # the user moved on; a newer result is coming
        self.day, self.rows, self.sees_protected = day, day.grids, sees_protected
        names = {g["code"]: g["name"] for g in self.ledger.hierarchy()}
        place = names.get(grid, translate("DashboardPage", "all grids")) if grid else \
            translate("DashboardPage", "all grids")
        self.heading.setText(translate("DashboardPage", "Today's work: %1 (%2 grids)")
                             .replace("%1", place).replace("%2", str(len(day.grids))))
        self._fill_cards(day)
        self._fill_duty_cards(duty)
        self._fill_charts(day)
        self._fill_table(day.grids)

    def _fill_cards(self, day: workday.Workday) -> None:
        parts = [f"{lights.name(c)} {day.lights.get(c, 0)}" for c in lights.COLOURS if day.lights.get(c)]
        self.cards["overdue"].set(str(day.overdue), "  ".join(parts) or translate("DashboardPage", "no lights"),
                                  "bad" if day.overdue else "warn" if day.lights else "ok")
        hours, target = day.total.patrol_hours_today, day.patrol_target
        self.cards["patrol"].set(translate("DashboardPage", "%1 / %2 h").replace("%1", f"{hours:.1f}")
                                 .replace("%2", f"{target:g}"),
                                 translate("DashboardPage", "%1 h this week").replace(
                                     "%1", f"{day.total.patrol_hours_week:.1f}"),
                                 "ok" if hours >= target else "warn")
        total = day.total
        met = sum(1 for g in day.grids if g.quota_met)
        self.cards["quota"].set(f"{total.reports_in_period} / {total.quota}",
                                translate("DashboardPage", "%1 of %2 grids met (rural: a week, urban: a day)")
                                .replace("%1", str(met)).replace("%2", str(len(day.grids))),
                                "ok" if met == len(day.grids) else "warn")
        self.cards["pending"].set(str(day.pending), translate("DashboardPage", "click to sync now"),
                                  "warn" if day.pending else "ok")
        self.cards["set_aside"].set(str(day.set_aside), translate("DashboardPage", "refused by the station")
                                    if day.set_aside else translate("DashboardPage", "none"),
                                    "bad" if day.set_aside else "ok")

    def _fill_duty_cards(self, duty: duty_summary.DutySummary) -> None:
        self.cards["visits"].set(str(duty.visits_overdue), translate("DashboardPage", "%1 due soon")
                                 .replace("%1", str(duty.visits_due)),
                                 "bad" if duty.visits_overdue else "warn" if duty.visits_due else "ok")
        self.cards["tasks"].set(str(duty.tasks_overdue), translate("DashboardPage", "%1 still to do")
                                .replace("%1", str(duty.tasks_open)),
                                "bad" if duty.tasks_overdue else "warn" if duty.tasks_open else "ok")
        if duty.patrolling:
            self.cards["patrol"].detail.setText(self.cards["patrol"].detail.text()
                                                + translate("DashboardPage", " · on patrol now"))

    def _fill_charts(self, day: workday.Workday) -> None:
        self.lights_chart.set_items([(c, lights.name(c), day.lights.get(c, 0), lights.SOLID[c])
                                     for c in lights.COLOURS])
        self.status_chart.set_items([(s, status_label(s), day.by_status.get(s, 0), None)
                                     for s in records.INCIDENT_STATUSES if day.by_status.get(s)])
        self.weeks_chart.set_data([(f"{m.month}/{m.day}", counts) for m, counts in day.weeks],
                                  [(c, value_label(c)) for c in records.INCIDENT_CATEGORIES])
        people = [(r, value_label(r), day.total.residents.get(r, 0), None) for r in records.RESIDENCES]
        people += [(t, value_label(t), day.total.key_groups.get(t, 0), "#7f7f7f") for t in self._key_groups()]
        self.people_chart.set_items(people)

    def _key_groups(self) -> list[str]:
        """The key groups counted on the workbench: "floating" once, as a residence; the protected groups only
        for an account the township allows (in a small grid even a count says who)."""
        hidden = () if self.sees_protected else records.SENSITIVE_TAGS
        return [t for t in records.PERSON_TAGS if t not in records.RESIDENCES and t not in hidden]

    def _row_labels(self) -> list[tuple[str, callable]]:
        rows = [(translate("DashboardPage", "Households"), lambda g: g.households),
                (translate("DashboardPage", "Residents"), lambda g: g.resident_total)]
        rows += [(value_label(r), lambda g, r=r: g.residents.get(r, 0)) for r in records.RESIDENCES]
        rows += [(value_label(tag), lambda g, tag=tag: g.key_groups.get(tag, 0)) for tag in self._key_groups()]
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

    def _fill_table(self, rows: list[dashboard.GridFigures]) -> None:
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
