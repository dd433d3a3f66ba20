"""The assessment page (考核): the station's sheets per worker and period (off the GUI thread), or this laptop's
own sheet when the station cannot be reached; a supervisor records the final grade; sheets print to PDF."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.services.assessments import Assessments
from sync import assessment_files, messages, records

from .i18n import translate, value_label
from .printing import html_to_pdf
from .record_dialog import RecordDialog
from .visits_page import fill, table


def periods(today: dt.date) -> list[str]:
    """The periods offered: this year and the last, their halves, quarters and months up to now."""
    out = []
    for year in (today.year, today.year - 1):
        out.append(str(year))
        out += [f"{year}-H{h}" for h in (1, 2) if year < today.year or (h - 1) * 6 < today.month]
        out += [f"{year}-Q{q}" for q in range(1, 5) if year < today.year or (q - 1) * 3 < today.month]
        out += [f"{year}-{m:02d}" for m in range(1, 13) if year < today.year or m <= today.month]
    return out


class GradeDialog(RecordDialog):
    def __init__(self, service: Assessments, sheet: dict, parent=None):
        super().__init__(translate("AssessmentPage", "Grade %1 for %2").replace("%1", sheet["worker"])
                         .replace("%2", sheet["period"]), parent)
        self.service, self.sheet = service, sheet
        self.setObjectName("grade_dialog")
        self.grade = QComboBox(self)
        self.grade.setObjectName("grade")
        for grade in records.GRADES:
            self.grade.addItem(value_label(grade), grade)
        if sheet.get("suggested"):
            self.grade.setCurrentIndex(self.grade.findData(sheet["suggested"]))
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("reason")
        self.form.addRow(translate("AssessmentPage", "Grade"), self.grade)
        self.form.addRow(translate("AssessmentPage", "Reason"), self.reason)
        self.finish_form()

    def write(self) -> str:
        return self.service.grade(self.sheet, self.grade.currentData(), self.reason.toPlainText().strip())


class AssessmentPage(QWidget):
    def __init__(self, ledger, runner=None, parent=None, engine=None):
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.service = Assessments(ledger.store, engine.assessments if engine is not None else None)
        self.sheets: list[dict] = []
        self.setObjectName("page_assessment")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.period = QComboBox(self)
        self.period.setObjectName("period")
        for key in periods(dt.date.today()):
            self.period.addItem(key, key)
        self.compute_button = QPushButton(translate("AssessmentPage", "Compute"), self)
        self.compute_button.setObjectName("compute")
        self.compute_button.clicked.connect(self.compute)
        self.grade_button = QPushButton(translate("AssessmentPage", "Record the grade…"), self)
        self.grade_button.setObjectName("grade")
        self.grade_button.clicked.connect(self.ask_grade)
        self.print_button = QPushButton(translate("AssessmentPage", "Print…"), self)
        self.print_button.setObjectName("print")
        self.print_button.clicked.connect(self.ask_print)
        self.note = QLabel(self)
        self.note.setObjectName("assessment_note")
        self.note.setWordWrap(True)
        for widget in (QLabel(translate("AssessmentPage", "Period"), self), self.period, self.compute_button,
                       self.grade_button, self.print_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout.addLayout(bar)
        layout.addWidget(self.note)
        self.table = table([translate("AssessmentPage", "Worker"), translate("AssessmentPage", "Grids"),
                            translate("AssessmentPage", "Score"), translate("AssessmentPage", "Suggested"),
                            translate("AssessmentPage", "Final grade"), translate("AssessmentPage", "Reason")], self)
        self.table.setObjectName("sheet_table")
        self.table.itemSelectionChanged.connect(self.show_inputs)
        self.inputs = table([translate("AssessmentPage", "Input"), translate("AssessmentPage", "Rate"),
                             translate("AssessmentPage", "Weight")], self)
        self.inputs.setObjectName("sheet_inputs")
        splitter = QSplitter(self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.inputs)
        layout.addWidget(splitter, 1)
        self.grade_button.setVisible(self.service.can_grade())

    def set_grid(self, _grid) -> None:
        pass                                   # sheets are per worker, not per grid

    def refresh(self) -> None:
        self.grade_button.setVisible(self.service.can_grade())

    def compute(self) -> None:
        key = self.period.currentData()

        def work():
            try:
                return self.service.from_station(key), None
            except Exception as exc:           # offline, not logged in, refused: this laptop's own sheet
                return [self.service.own_sheet(key)], exc

        if self.runner is None:
            self.show_sheets(work())
        else:
            self.runner.run(work, self.show_sheets, lambda exc: self.note.setText(str(exc)))

    def show_sheets(self, result) -> None:
        self.sheets, problem = result
        self.note.setText(translate("AssessmentPage", "The township station could not be asked; this is your own "
                                                      "sheet, measured from this laptop's records.")
                          if problem is not None else "")
        fill(self.table, [[s["worker"], ", ".join(s["grids"]), "—" if s["score"] is None else f"{s['score']:.1f}",
                           value_label(s["suggested"]) if s["suggested"] else "—",
                           value_label((s.get("final") or {}).get("grade")) if s.get("final") else "",
                           (s.get("final") or {}).get("reason", "")] for s in self.sheets])
        if self.sheets:
            self.table.selectRow(0)
        self.show_inputs()

    def selected(self) -> dict | None:
        row = self.table.currentRow()
        return self.sheets[row] if 0 <= row < len(self.sheets) else None

    def show_inputs(self) -> None:
        sheet = self.selected()
        fill(self.inputs, assessment_files.rows(sheet, messages.language()) if sheet else [])

    def ask_grade(self) -> None:
        sheet = self.selected()
        if sheet is None:
            return
        dialog = GradeDialog(self.service, sheet, self)
        dialog.finished.connect(lambda *_: self._graded(sheet) if dialog.saved else None)
        dialog.open()

    def _graded(self, sheet: dict) -> None:
        sheet["final"] = self.service.final(sheet["worker"], sheet["period"])
        self.show_sheets((self.sheets, None))

    def ask_print(self) -> None:
        if not self.sheets:
            return
        path, _ = QFileDialog.getSaveFileName(self, translate("AssessmentPage", "Print"), "考核表.pdf", "*.pdf")
        if path:
            self.print_to(path)

    def print_to(self, path: str | Path) -> Path:
        """The selected worker's sheet (or every sheet shown) as PDF, one worker per page."""
        chosen = self.selected()
        html_to_pdf(self.service.html([chosen] if chosen else self.sheets, messages.language()), path)
        return Path(path)
