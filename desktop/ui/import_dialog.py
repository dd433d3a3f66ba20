"""导入台账: choose a file, correct the column mapping, preview per-row errors, import with a progress bar.

Reading, checking and writing run on a pool thread (desktop.ui.tasks); the dialog only
shows what the importing service returns, so the window stays responsive. The mapping
page says which sheet and header rows were read and which columns go nowhere; with no
column for the ID number or the phone it asks before going on.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services import importing
from desktop.services.importing import headers as h

from .i18n import field_label, translate, value_label
from .tasks import TaskRunner

PREVIEW_ROWS = 200
ERROR_COLOUR = QColor("#fde2e1")
FLAG_COLOUR = QColor("#fff2cc")


def type_names() -> dict[str, str]:
    return {"person": translate("ImportDialog", "Residents"),
            "household": translate("ImportDialog", "Households"),
            "building": translate("ImportDialog", "Buildings"),
            "organisation": translate("ImportDialog", "Organisations")}


def extra_names() -> dict[str, str]:
    names = {h.HOUSEHOLD_NUMBER: translate("ImportDialog", "Household number"),
             h.HEAD_NAME: translate("ImportDialog", "Head of household's name"),
             h.ADDRESS: translate("ImportDialog", "Current address"),
             h.REGISTERED_ADDRESS: translate("ImportDialog", "Registered address"),
             h.IS_HEAD: translate("ImportDialog", "Head of household? (yes/no)"),
             h.RELATION: translate("ImportDialog", "Relation to head (only the heads' rows are households)")}
    for field in h.EXTRA_FIELDS["person"]:
        if field.startswith(h.YES_TAG):
            names[field] = translate("ImportDialog", "%1? (yes adds the tag)").replace(
                "%1", value_label(field[len(h.YES_TAG):]))
    return names


class _Progress(QObject):
    # Emitted on the pool thread; the bar lives on the GUI thread, so delivery is queued there.
    changed = Signal(int, int)


class ImportDialog(QDialog):
    def __init__(self, ledger, parent=None):
        super().__init__(parent)
        self.ledger = ledger
        self.tasks = TaskRunner(self, threads=1)
        self.table: importing.Table | None = None
        self.plan: importing.ImportPlan | None = None
        self.report: importing.ImportReport | None = None
        self.missing_box: QMessageBox | None = None     # asks before importing without ID numbers or phones
        self.progress_signal = _Progress(self)
        self.setWindowTitle(translate("ImportDialog", "Import ledger"))
        self.resize(900, 600)
        self.pages = QStackedWidget(self)
        for build in (self._choose_page, self._mapping_page, self._preview_page, self._summary_page):
            self.pages.addWidget(build())
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.progress_signal.changed.connect(self._on_progress)
        self.back_button = QPushButton(translate("ImportDialog", "Back"), self)
        self.next_button = QPushButton(translate("ImportDialog", "Next"), self)
        self.close_button = QPushButton(translate("ImportDialog", "Close"), self)
        self.back_button.clicked.connect(lambda: self._go(self.pages.currentIndex() - 1))
        self.next_button.clicked.connect(self._next)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        for button in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._go(0)

    # -- pages ------------------------------------------------------------------------
    def _choose_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.path_edit = QLineEdit(page)
        browse = QPushButton(translate("ImportDialog", "Browse…"), page)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow(translate("ImportDialog", "File (.xlsx, .xls, .ods or .csv)"), row)
        self.type_combo = QComboBox(page)
        for code, label in type_names().items():
            self.type_combo.addItem(label, code)
        form.addRow(translate("ImportDialog", "Records in the file"), self.type_combo)
        self.grid_combo = QComboBox(page)
        for grid in self.ledger.list("grid"):
            self.grid_combo.addItem(f"{grid['name']} {grid['code']}", grid["code"])
        first_grid = next((i for i, g in enumerate(self.ledger.list("grid")) if g["level"] == "grid"), 0)
        self.grid_combo.setCurrentIndex(first_grid)
        form.addRow(translate("ImportDialog", "Grid"), self.grid_combo)
        self.duplicate_combo = QComboBox(page)
        self.duplicate_combo.addItem(translate("ImportDialog", "Update the existing record (merge)"), "merge")
        self.duplicate_combo.addItem(translate("ImportDialog", "Leave the existing record as it is (skip)"), "skip")
        form.addRow(translate("ImportDialog", "A record already in the ledger"), self.duplicate_combo)
        self.address_edit = QLineEdit(page)
        self.address_edit.setPlaceholderText(translate("ImportDialog", "Left empty and marked 地址待补充"))
        form.addRow(translate("ImportDialog", "Address of households the file gives none for"), self.address_edit)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        hint = translate("ImportDialog", "Check which field each column goes to; correct any that were guessed wrong.")
        layout.addWidget(QLabel(hint, page))
        self.layout_label = QLabel(page)          # sheet, header rows, columns not imported
        self.layout_label.setWordWrap(True)
        layout.addWidget(self.layout_label)
        self.mapping_table = QTableWidget(0, 3, page)
        self.mapping_table.setHorizontalHeaderLabels(
            [translate("ImportDialog", "Column"), translate("ImportDialog", "First value"),
             translate("ImportDialog", "Field")])
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.mapping_table, 1)
        row = QHBoxLayout()
        load = QPushButton(translate("ImportDialog", "Load mapping…"), page)
        save = QPushButton(translate("ImportDialog", "Save mapping…"), page)
        load.clicked.connect(self._load_mapping)
        save.clicked.connect(self._save_mapping)
        row.addWidget(load)
        row.addWidget(save)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.preview_summary = QLabel(page)
        self.preview_summary.setWordWrap(True)
        layout.addWidget(self.preview_summary)
        self.preview_table = QTableWidget(0, 0, page)
        self.preview_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.preview_table, 1)
        return page

    def _summary_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.summary_label = QLabel(page)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary_label)
        layout.addStretch(1)
        return page

    # -- navigation -------------------------------------------------------------------
    def _go(self, index: int) -> None:
        self.pages.setCurrentIndex(max(0, index))
        index = self.pages.currentIndex()
        self.back_button.setEnabled(index in (1, 2))
        self.next_button.setVisible(index < 3)
        next_text = translate("ImportDialog", "Import") if index == 2 else translate("ImportDialog", "Next")
        close_text = translate("ImportDialog", "Close") if index == 3 else translate("ImportDialog", "Cancel")
        self.next_button.setText(next_text)
        self.close_button.setText(close_text)

    def _next(self) -> None:
        index = self.pages.currentIndex()
        if index == 0:
            self._read()
        elif index == 1:
            self._analyse()
        elif index == 2:
            self._commit()

    def _busy(self, busy: bool) -> None:
        self.next_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy and self.pages.currentIndex() in (1, 2))
        self.progress.setVisible(busy or self.pages.currentIndex() == 3)
        if busy:
            self.progress.setRange(0, 0)        # busy until the first progress report

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, exc: Exception) -> None:
        self._busy(False)
        if isinstance(exc, importing.BadFile):
            if str(exc) == "no header":
                text = translate("ImportDialog",
                                 "No header row (column names such as 姓名, 身份证号) was found in this file.")
            else:
                text = translate("ImportDialog", "This file cannot be read as a table: %1").replace("%1", str(exc))
        elif isinstance(exc, importing.BadMapping):
            text = translate("ImportDialog", "No column is mapped to a field: check the mapping.")
        elif hasattr(exc, "message"):
            text = exc.message()              # a ValidationError: nothing was written
        else:
            text = translate("ImportDialog", "The import failed and nothing was written: %1").replace("%1", str(exc))
        QMessageBox.warning(self, translate("ImportDialog", "Import ledger"), text)

    # -- steps (each runs off the GUI thread) -----------------------------------------
    @property
    def record_type(self) -> str:
        return self.type_combo.currentData()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("ImportDialog", "Choose a ledger"), "",
                                              translate("ImportDialog", "Spreadsheets (*.xlsx *.xls *.ods *.csv)"))
        if path:
            self.path_edit.setText(path)

    def _read(self) -> None:
        path = self.path_edit.text().strip()
        if not path or not Path(path).is_file():
            text = translate("ImportDialog", "Choose an existing .xlsx, .xls, .ods or .csv file.")
            QMessageBox.warning(self, translate("ImportDialog", "Import ledger"), text)
            return
        self._busy(True)
        self.tasks.run(lambda: importing.read_table(path), self._show_mapping, self._failed)

    def _show_mapping(self, table: importing.Table) -> None:
        self._busy(False)
        self.table = table
        self._fill_mapping(importing.guess_mapping(table.headers, self.record_type))
        self._go(1)

    def _show_layout(self) -> None:
        """Which sheet and rows the header came from, and the columns that go nowhere."""
        report = importing.layout_of(self.table, self.mapping(), self.record_type)
        lines = []
        if report.sheet is not None:
            lines.append(translate("ImportDialog", "Sheet read: %1 (of %2: %3).").replace("%1", report.sheet)
                         .replace("%2", str(len(report.sheets))).replace("%3", "、".join(report.sheets)))
        first, last = report.header_rows
        lines.append(translate("ImportDialog", "Header rows: %1–%2.").replace("%1", str(first)).replace("%2", str(last))
                     if last > first else translate("ImportDialog", "Header row: %1.").replace("%1", str(first)))
        if report.ignored:
            shown = [translate("ImportDialog", "%1 (yes/no)").replace("%1", c) if c in report.yes_no else c
                     for c in report.ignored]
            lines.append(translate("ImportDialog", "Not imported: %1").replace("%1", "、".join(shown)))
        if report.missing:
            lines.append(translate("ImportDialog", "No column gives: %1").replace(
                "%1", "、".join(field_label(f, self.record_type) for f in report.missing)))
        self.layout_label.setText("\n".join(lines))

    def _fill_mapping(self, mapping: dict) -> None:
        table, record_type = self.table, self.record_type
        first = table.rows[0][1] if table.rows else []
        choices = [(None, translate("ImportDialog", "— not imported —"))] + [
            (f, extra_names().get(f) or field_label(f, record_type)) for f in importing.allowed_fields(record_type)]
        self.mapping_table.setRowCount(len(table.headers))
        for row, header in enumerate(table.headers):
            self.mapping_table.setItem(row, 0, QTableWidgetItem(header))
            sample = first[row] if row < len(first) else None
            self.mapping_table.setItem(row, 1, QTableWidgetItem("" if sample is None else str(sample)))
            combo = QComboBox(self.mapping_table)
            for field, label in choices:
                combo.addItem(label, field)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(header))))
            combo.currentIndexChanged.connect(self._show_layout)
            self.mapping_table.setCellWidget(row, 2, combo)
        self._show_layout()

    def mapping(self) -> dict:
        return {self.table.headers[row]: self.mapping_table.cellWidget(row, 2).currentData()
                for row in range(self.mapping_table.rowCount())}

    def _load_mapping(self) -> None:
        title, kinds = translate("ImportDialog", "Load mapping"), translate("ImportDialog", "Mappings (*.json)")
        path, _ = QFileDialog.getOpenFileName(self, title, "", kinds)
        if path:
            try:
                self._fill_mapping(importing.load_mapping(path, self.record_type))
            except (OSError, ValueError) as exc:
                text = translate("ImportDialog", "This mapping cannot be used: %1").replace("%1", str(exc))
                QMessageBox.warning(self, title, text)

    def _save_mapping(self) -> None:
        title, kinds = translate("ImportDialog", "Save mapping"), translate("ImportDialog", "Mappings (*.json)")
        path, _ = QFileDialog.getSaveFileName(self, title, "mapping.json", kinds)
        if path:
            importing.save_mapping(path, self.mapping(), self.record_type)

    def _analyse(self) -> None:
        missing = importing.missing_key_fields(self.mapping(), self.record_type)
        if missing:
            self._ask_about_missing(missing)
            return
        self._start_analysis()

    def _ask_about_missing(self, missing: list[str]) -> None:
        """No column gives the ID number (or the phone): say so, and go on only if the worker says so."""
        names = "、".join(field_label(f, self.record_type) for f in missing)
        text = translate("ImportDialog", "No column gives the %1: the records imported would have none. "
                                         "Import anyway? (No: go back and choose the column.)").replace("%1", names)
        box = QMessageBox(QMessageBox.Icon.Question, translate("ImportDialog", "Import ledger"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda _: self._missing_answered(box))
        self.missing_box = box
        box.open()

    def _missing_answered(self, box: QMessageBox) -> None:
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            self._start_analysis()

    def _start_analysis(self) -> None:
        store, table, mapping = self.ledger.store, self.table, self.mapping()
        record_type, grid = self.record_type, self.grid_combo.currentData()
        duplicate, address = self.duplicate_combo.currentData(), self.address_edit.text().strip() or None
        self._busy(True)
        self.tasks.run(lambda: importing.analyse(store, table, record_type, grid, mapping, duplicate,
                                                 self.progress_signal.changed.emit, address),
                       self._show_preview, self._failed)

    def _show_preview(self, plan: importing.ImportPlan) -> None:
        self._busy(False)
        self.plan = plan
        report = importing.report_of(plan)
        self.preview_summary.setText("\n".join([translate("ImportDialog", "To do: %1").replace("%1", report.summary()),
                                                 *report.detail_lines()]))
        columns = [name for name in plan.table.headers if plan.mapping.get(name)]
        indexes = [plan.table.headers.index(name) for name in columns]
        self.preview_table.setColumnCount(len(columns) + 3)
        self.preview_table.setHorizontalHeaderLabels(
            [translate("ImportDialog", "Row"), translate("ImportDialog", "Action"), *columns,
             translate("ImportDialog", "Problems")])
        actions = {"new": translate("ImportDialog", "new"), "merge": translate("ImportDialog", "merge"),
                   "unchanged": translate("ImportDialog", "unchanged"), "skip": translate("ImportDialog", "skip"),
                   "failed": translate("ImportDialog", "error")}
        shown = sorted(plan.rows, key=lambda r: (r.ok, not r.flag))[:PREVIEW_ROWS]   # problems first
        self.preview_table.setRowCount(len(shown))
        for line, row in enumerate(shown):
            problems = "；".join(e.message() for e in row.errors) or (row.flag or "")
            cells = [row.number, actions.get(row.action, row.action)] + \
                [row.cells[i] if i < len(row.cells) else None for i in indexes] + [problems]
            for column, value in enumerate(cells):
                item = QTableWidgetItem("" if value is None else str(value))
                if not row.ok or row.flag:
                    item.setBackground(ERROR_COLOUR if not row.ok else FLAG_COLOUR)
                self.preview_table.setItem(line, column, item)
        self.preview_table.resizeColumnsToContents()
        self._go(2)

    def _commit(self) -> None:
        store, plan, source = self.ledger.store, self.plan, Path(self.path_edit.text().strip())

        def work():
            error_path = None
            importing.commit(store, plan, self.progress_signal.changed.emit)
            if plan.failed:
                try:
                    error_path = importing.write_error_workbook(importing.default_error_path(source), plan)
                except OSError:          # the file's folder may be read-only (a USB stick): use the data folder
                    target = store.path.parent / "imports" / importing.default_error_path(source).name
                    error_path = importing.write_error_workbook(target, plan)
            return importing.report_of(plan, error_path=error_path)

        self._busy(True)
        self.tasks.run(work, self._show_summary, self._failed)

    def _show_summary(self, report: importing.ImportReport) -> None:
        self.report = report
        self._go(3)
        self._busy(False)
        if self.progress.maximum() == 0:        # nothing to write: show the bar full, not busy
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
        lines = [translate("ImportDialog", "Imported: %1").replace("%1", report.summary())]
        if report.error_path:
            text = translate("ImportDialog", "%1 rows were not imported. Fix them in %2 and import that file again.")
            lines.append(text.replace("%1", str(report.failed)).replace("%2", str(report.error_path)))
        lines += report.detail_lines()
        lines += report.flags[:20]
        self.summary_label.setText("\n".join(lines))

    def reject(self) -> None:
        if self.tasks.busy():            # an import in progress finishes; it is one transaction either way
            return
        self.tasks.shutdown()
        super().reject()
