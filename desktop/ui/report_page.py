"""The reports page: a unit and a date range, the computed tables, and export to XLSX, CSV or PDF.

The numbers come from desktop.services.reports (the computation the station uses);
this page only lays them out. The PDF is Qt's own (desktop/ui/printing.py: a
QTextDocument on a QPdfWriter with a CJK font), the same as the household forms.
"""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.services.reports import Reports
from sync import messages, report_files, reports

from .i18n import translate
from .printing import html_to_pdf


def report_html(report: dict, lang: str | None = None) -> str:
    """The report as HTML tables with headings in `lang` (the screen and the PDF share it)."""
    parts = [f"<html><body><h2>{html.escape(report_files.title(report, lang))}</h2>"]
    for heading, columns, rows in report_files.sections(report, lang):
        parts.append(f"<h3>{html.escape(heading)}</h3><table border='1' cellspacing='0' cellpadding='4'><tr>")
        parts += [f"<th>{html.escape(str(c))}</th>" for c in columns]
        parts.append("</tr>")
        for row in rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def write_pdf(report: dict, path: str | Path, lang: str | None = None) -> Path:
    html_to_pdf(report_html(report, lang), path)
    return Path(path)


class ReportPage(QWidget):
    def __init__(self, ledger, runner=None, parent=None):
        super().__init__(parent)
        self.service, self.runner = Reports(ledger.store), runner
        self.report: dict | None = None
        self.setObjectName("page_reports")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        today = QDate(dt.datetime.now(reports.CHINA).date())     # days are counted in China time
        self.start = QDateEdit(QDate(today.year(), today.month(), 1), self, calendarPopup=True)
        self.start.setObjectName("start")
        self.end = QDateEdit(today, self, calendarPopup=True)
        self.end.setObjectName("end")
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
        self.unit = QComboBox(self)
        self.unit.setObjectName("unit")
        self.compute_button = QPushButton(translate("ReportPage", "Compute"), self)
        self.compute_button.setObjectName("compute")
        self.compute_button.clicked.connect(self.compute)
        self.export_buttons = []
        for label, suffix in ((translate("ReportPage", "Export XLSX…"), "xlsx"),
                              (translate("ReportPage", "Export CSV…"), "csv"),
                              (translate("ReportPage", "Print to PDF…"), "pdf")):
            button = QPushButton(label, self)
            button.setObjectName(f"export_{suffix}")
            button.setEnabled(False)
            button.clicked.connect(lambda *_, s=suffix: self.ask_export(s))
            self.export_buttons.append(button)
        self.preview_button = QPushButton(translate("ReportPage", "Print preview…"), self)
        self.preview_button.setObjectName("print_preview")
        self.preview_button.setEnabled(False)
        self.preview_button.clicked.connect(lambda *_: self.print_preview())
        self.export_buttons.append(self.preview_button)
        for widget in (QLabel(translate("ReportPage", "From"), self), self.start,
                       QLabel(translate("ReportPage", "To"), self), self.end,
                       QLabel(translate("ReportPage", "Unit"), self), self.unit, self.compute_button,
                       *self.export_buttons):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.view = QTextBrowser(self)
        self.view.setObjectName("report_view")
        layout.addWidget(self.view, 1)
        self.reload()

    def reload(self) -> None:
        """Refill the units from the local hierarchy."""
        current = self.unit.currentData()
        self.unit.clear()
        self.unit.addItem(translate("ReportPage", "All my units"), None)
        for grid in self.service.units():
            self.unit.addItem(f"{grid['name']} ({grid['code']})", grid["code"])
        index = self.unit.findData(current)
        self.unit.setCurrentIndex(max(index, 0))

    def compute(self) -> None:
        start, end, unit = self.start.date().toPython(), self.end.date().toPython(), self.unit.currentData()
        if self.runner is None:
            self.show_report(self.service.compute(start, end, unit))
        else:
            self.runner.run(lambda: self.service.compute(start, end, unit), self.show_report,
                            lambda exc: self.view.setPlainText(str(exc)))

    def show_report(self, report: dict) -> None:
        self.report = report
        self.view.setHtml(report_html(report, messages.language()))
        for button in self.export_buttons:
            button.setEnabled(True)

    def ask_export(self, suffix: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, translate("ReportPage", "Save the report"),
                                              self.file_name(suffix), f"*.{suffix}")
        if path:
            self.export_to(path)

    def print_preview(self):
        from .print_preview import preview, report_document
        if self.report is None:
            return None
        return preview(self, report_document(self.report, messages.language()),
                       report_files.title(self.report, messages.language()))

    def file_name(self, suffix: str) -> str:
        """报表-<unit>-<end date>.<suffix>: the unit by its name, as people file it."""
        unit = self.unit.currentData()
        name = next((g["name"] for g in self.service.units() if g["code"] == unit), None) if unit else None
        name = name or translate("ReportPage", "all units")
        report = translate("ReportPage", "Report")
        return f"{report}-{name}-{self.end.date().toString('yyyy-MM-dd')}.{suffix}"

    def export_to(self, path: str | Path) -> Path:
        path = Path(path)
        if path.suffix.lower() == ".pdf":                # with its chart, as the preview shows it
            from .print_preview import report_document, to_pdf
            return to_pdf(report_document(self.report, messages.language()), path)
        return self.service.export(self.report, path, messages.language())
