"""The task list page (网格事务清单): each item per grid, overdue first; mark one done with a note; a township
account publishes items for its units here too."""
from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.tasks import Tasks
from sync import incidents, records, tasks

from .i18n import translate, value_label
from .record_dialog import RecordDialog
from .visits_page import fill, table

STATUS_COLOURS = {"overdue": QColor("#f1948a"), "open": QColor("#fff3b0"), "done": QColor("#d5f5e3")}


def _day(ms: int | None) -> str:
    return incidents.ms_iso(ms)[:16].replace("T", " ") if ms is not None else ""


class DoneDialog(RecordDialog):
    def __init__(self, service: Tasks, standing, parent=None):
        super().__init__(translate("TasksPage", "Done: %1").replace("%1", standing.item["title"]), parent)
        self.service, self.standing = service, standing
        self.setObjectName("task_done_dialog")
        self.period = QComboBox(self)
        self.period.setObjectName("period")
        for instance in (standing.overdue, standing.current):
            if instance is not None:
                self.period.addItem(instance.period, instance.period)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("note")
        if standing.item.get("done_when"):
            self.form.addRow(translate("TasksPage", "Counts as done"), QLabel(standing.item["done_when"], self))
        self.form.addRow(translate("TasksPage", "Period"), self.period)
        self.form.addRow(translate("TasksPage", "Note"), self.note)
        self.finish_form()

    def write(self) -> str:
        return self.service.mark_done(self.standing.item["id"], self.standing.grid_code,
                                      self.note.toPlainText().strip() or None, self.period.currentData())


class PublishDialog(RecordDialog):
    def __init__(self, service: Tasks, units: list[dict], parent=None):
        super().__init__(translate("TasksPage", "Publish a task item"), parent)
        self.service = service
        self.setObjectName("task_publish_dialog")
        self.unit = QComboBox(self)
        for unit in units:
            self.unit.addItem(f"{unit['name']}（{unit['code']}）", unit["code"])
        self.title = QLineEdit(self)
        self.title.setObjectName("title")
        self.done_when = QLineEdit(self)
        self.owner = QComboBox(self)
        for owner in records.TASK_OWNERS:
            self.owner.addItem(value_label(owner), owner)
        self.frequency = QComboBox(self)
        self.frequency.setObjectName("frequency")
        for frequency in records.TASK_FREQUENCIES:
            self.frequency.addItem(value_label(frequency), frequency)
        self.deadline = QDateTimeEdit(QDateTime(QDate.currentDate().addDays(7), QTime(17, 0)), self)
        self.deadline.setObjectName("deadline")
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.frequency.currentIndexChanged.connect(
            lambda *_: self.deadline.setEnabled(self.frequency.currentData() == "once"))
        for label, widget in ((translate("TasksPage", "Applies to"), self.unit),
                              (translate("TasksPage", "Item"), self.title),
                              (translate("TasksPage", "Counts as done"), self.done_when),
                              (translate("TasksPage", "Owner"), self.owner),
                              (translate("TasksPage", "Frequency"), self.frequency),
                              (translate("TasksPage", "Deadline (one-off items)"), self.deadline)):
            self.form.addRow(label, widget)
        self.finish_form()

    def write(self) -> str:
        return self.service.publish(self.unit.currentData(), self.title.text().strip(),
                                    done_when=self.done_when.text().strip() or None,
                                    owner_role=self.owner.currentData(), frequency=self.frequency.currentData(),
                                    deadline=self.deadline_text() if self.frequency.currentData() == "once" else None)

    def deadline_text(self) -> str:
        moment = self.deadline.dateTime().toPython().replace(tzinfo=tasks.CHINA)     # China time, as the periods
        return moment.isoformat(timespec="seconds")


class TasksPage(QWidget):
    def __init__(self, ledger, runner=None, parent=None):
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.service = Tasks(ledger.store)
        self.grid: str | None = None
        self.rows: list = []
        self.setObjectName("page_tasks")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.heading = QLabel(self)
        self.heading.setObjectName("tasks_heading")
        self.done_button = QPushButton(translate("TasksPage", "Mark done…"), self)
        self.done_button.setObjectName("mark_done")
        self.done_button.clicked.connect(self.mark_done)
        self.publish_button = QPushButton(translate("TasksPage", "Publish an item…"), self)
        self.publish_button.setObjectName("publish")
        self.publish_button.clicked.connect(self.publish)
        for widget in (self.heading, self.done_button, self.publish_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = table([translate("TasksPage", "Status"), translate("TasksPage", "Grid"),
                            translate("TasksPage", "Item"), translate("TasksPage", "Frequency"),
                            translate("TasksPage", "Period"), translate("TasksPage", "Due"),
                            translate("TasksPage", "Counts as done"), translate("TasksPage", "Note")], self)
        self.table.setObjectName("task_table")
        self.table.doubleClicked.connect(lambda *_: self.mark_done())
        layout.addWidget(self.table, 1)

    def set_grid(self, grid: str | None) -> None:
        self.grid = grid
        self.refresh()

    def refresh(self) -> None:
        self.publish_button.setVisible(self.service.can_publish())
        grid = self.grid
        if self.runner is None:
            self._show((grid, self.service.board(grid)))
        else:
            self.runner.run(lambda: (grid, self.service.board(grid)), self._show,
                            lambda exc: self.heading.setText(str(exc)))

    def _show(self, result) -> None:
        grid, rows = result
        if grid != self.grid:
            return
        self.rows = rows
        names = {g["code"]: g["name"] for g in self.ledger.hierarchy()}
        lines = []
        for s in rows:
            shown = s.overdue or s.current
            lines.append([value_label(s.status), names.get(s.grid_code, s.grid_code), s.item["title"],
                          value_label(s.item["frequency"]), shown.period if shown else "",
                          _day(shown.due_ms) if shown else "", s.item.get("done_when") or "",
                          ((shown.done or {}).get("note") or "") if shown else ""])
        fill(self.table, lines, [STATUS_COLOURS.get(s.status) for s in rows])
        overdue = sum(1 for s in rows if s.status == "overdue")
        self.heading.setText(translate("TasksPage", "%1 items, %2 overdue").replace("%1", str(len(rows)))
                             .replace("%2", str(overdue)))

    def mark_done(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            self.heading.setText(translate("TasksPage", "Choose an item in the list first."))
            return
        dialog = DoneDialog(self.service, self.rows[row], self)
        dialog.finished.connect(lambda *_: self.refresh() if dialog.saved else None)
        dialog.open()

    def publish(self) -> None:
        units = [g for g in self.ledger.hierarchy() if g["level"] in ("township", "village", "grid")]
        dialog = PublishDialog(self.service, units, self)
        dialog.finished.connect(lambda *_: self.refresh() if dialog.saved else None)
        dialog.open()
