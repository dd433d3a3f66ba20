"""The visits page (重点人群走访): who is overdue or due in the selected grid, a resident's history, a new visit."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.visits import Visits
from desktop.store.repository import StorageFullError
from sync import incidents, messages, records, sensitive
from sync.validation import ValidationError

from .i18n import translate, value_label

STATUS_COLOURS = {"overdue": QColor("#f1948a"), "due": QColor("#fff3b0")}


def day(ms: int | None) -> str:
    return incidents.ms_iso(ms)[:10] if ms is not None else translate("VisitsPage", "never")


def table(columns: list[str], parent) -> QTableWidget:
    view = QTableWidget(0, len(columns), parent)
    view.setHorizontalHeaderLabels(columns)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def fill(view: QTableWidget, rows: list[list[str]], colours: list[QColor | None] | None = None) -> None:
    view.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if colours and colours[r] is not None:
                item.setBackground(QBrush(colours[r]))
            view.setItem(r, c, item)
    view.resizeColumnsToContents()


def history_rows(visits: list[dict]) -> list[list[str]]:
    return [[str(v["visited_at"])[:16].replace("T", " "), value_label(v["method"]), v["visitor"],
             v.get("findings") or "", v.get("needs") or "", "、".join(c["title"] for c in v.get("cases", [])),
             translate("VisitsPage", "yes") if v.get("photo_sha256") else ""] for v in visits]


def history_columns() -> list[str]:
    return [translate("VisitsPage", "When"), translate("VisitsPage", "How"), translate("VisitsPage", "Visited by"),
            translate("VisitsPage", "Findings"), translate("VisitsPage", "Needs raised"),
            translate("VisitsPage", "Cases raised"), translate("VisitsPage", "Photo")]


class VisitDialog(QDialog):
    """Record a visit to one resident; a need raised may become a case at once."""

    def __init__(self, service: Visits, person: dict, parent=None):
        super().__init__(parent)
        self.service, self.person = service, person
        self.saved_id: str | None = None
        self.case_id: str | None = None
        self.setObjectName("visit_dialog")
        self.setWindowTitle(translate("VisitDialog", "Visit to %1").replace("%1", person["name"]))
        form = QFormLayout(self)
        self.method = QComboBox(self)
        self.method.setObjectName("method")
        for method in records.VISIT_METHODS:
            self.method.addItem(value_label(method), method)
        self.findings = QPlainTextEdit(self)
        self.findings.setObjectName("findings")
        self.needs = QPlainTextEdit(self)
        self.needs.setObjectName("needs")
        self.make_case = QCheckBox(translate("VisitDialog", "Raise a case from the needs"), self)
        self.make_case.setObjectName("make_case")
        self.case_title = QLineEdit(self)
        self.case_title.setObjectName("case_title")
        self.case_title.setPlaceholderText(translate("VisitDialog", "Title of the case"))
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c0392b;")
        self.photo: bytes | None = None
        self.photo_button = QPushButton(translate("VisitDialog", "Add a photo…"), self)
        self.photo_button.setObjectName("add_photo")
        self.photo_button.clicked.connect(self.ask_photo)
        form.addRow(translate("VisitDialog", "How"), self.method)
        form.addRow(translate("VisitDialog", "Findings"), self.findings)
        form.addRow(translate("VisitDialog", "Needs raised"), self.needs)
        form.addRow(self.make_case, self.case_title)
        form.addRow(translate("VisitDialog", "Photo"), self.photo_button)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(translate("VisitDialog", "Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("VisitDialog", "Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def ask_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("VisitDialog", "Add a photo…"), "",
                                              "Images (*.jpg *.jpeg *.png)")
        if path:
            self.attach(path)

    def attach(self, path) -> None:
        try:
            self.photo = Path(path).read_bytes()
        except OSError as exc:
            self.error.setText(str(exc))
            return
        self.photo_button.setText(Path(path).name)

    def save(self) -> bool:
        title = self.case_title.text().strip()
        if self.make_case.isChecked() and not title:
            self.error.setText(translate("VisitDialog", "A case needs a title."))
            return False
        try:
            self.saved_id, self.case_id = self.service.record_with_case(
                self.person["id"], title if self.make_case.isChecked() else None, self.photo,
                method=self.method.currentData(),
                findings=self.findings.toPlainText().strip() or None, needs=self.needs.toPlainText().strip() or None)
        except (ValidationError, StorageFullError) as exc:
            self.error.setText(exc.message() if isinstance(exc, ValidationError) else messages.render("storage_full"))
            return False
        self.accept()
        return True


class VisitsPage(QWidget):
    def __init__(self, ledger, runner=None, parent=None):
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.service = Visits(ledger.store)
        self.grid: str | None = None
        self.due: list = []
        self.setObjectName("page_visits")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.heading = QLabel(self)
        self.heading.setObjectName("visits_heading")
        self.show_all = QCheckBox(translate("VisitsPage", "Everyone followed up, not only due"), self)
        self.show_all.setObjectName("show_all")
        self.show_all.toggled.connect(lambda *_: self.refresh())
        self.record_button = QPushButton(translate("VisitsPage", "Record a visit…"), self)
        self.record_button.setObjectName("record_visit")
        self.record_button.clicked.connect(self.record_visit)
        for widget in (self.heading, self.show_all, self.record_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = table([translate("VisitsPage", "Status"), translate("VisitsPage", "Resident"),
                            translate("VisitsPage", "Key groups"), translate("VisitsPage", "Every (days)"),
                            translate("VisitsPage", "Last visit"), translate("VisitsPage", "Due")], self)
        self.table.setObjectName("due_table")
        self.table.itemSelectionChanged.connect(self.show_history)
        self.table.doubleClicked.connect(lambda *_: self.record_visit())
        self.history = table(history_columns(), self)
        self.history.setObjectName("visit_history")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.history)
        layout.addWidget(splitter, 1)

    def set_grid(self, grid: str | None) -> None:
        self.grid = grid
        self.refresh()

    def refresh(self) -> None:
        grid, everyone = self.grid, self.show_all.isChecked()
        if self.runner is None:
            self._show((grid, self.service.due(grid, everyone)))
        else:
            self.runner.run(lambda: (grid, self.service.due(grid, everyone)), self._show,
                            lambda exc: self.heading.setText(str(exc)))

    def _show(self, result) -> None:
        grid, due = result
        if grid != self.grid:
            return
        self.due = due
        rows = [[value_label(d.status) if d.status != "ok" else "", d.person["name"],
                 "、".join(value_label(t) for t in sensitive.masked(d.rule_tags)), str(d.interval_days),
                 day(d.last_ms), day(d.due_ms) if d.due_ms is not None else translate("VisitsPage", "now")]
                for d in due]
        fill(self.table, rows, [STATUS_COLOURS.get(d.status) for d in due])
        overdue = sum(1 for d in due if d.status == "overdue")
        self.heading.setText(translate("VisitsPage", "%1 overdue, %2 due soon")
                             .replace("%1", str(overdue)).replace("%2", str(sum(d.status == "due" for d in due))))
        self.show_history()

    def selected(self):
        row = self.table.currentRow()
        return self.due[row] if 0 <= row < len(self.due) else None

    def show_history(self) -> None:
        chosen = self.selected()
        fill(self.history, history_rows(self.service.history(chosen.person["id"])) if chosen else [])

    def record_visit(self) -> None:
        chosen = self.selected()
        if chosen is None:
            QMessageBox.information(self, translate("VisitsPage", "Record a visit"),
                                    translate("VisitsPage", "Choose a resident in the list first."))
            return
        dialog = VisitDialog(self.service, chosen.person, self)
        dialog.finished.connect(lambda *_: self.refresh() if dialog.saved_id else None)
        dialog.open()
