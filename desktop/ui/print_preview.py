"""Print and print preview straight from a page: 一户一表, a case sheet, a report with its chart.

One QTextDocument per sheet, laid out on A4 with a Chinese font, goes to the preview, the printer
or a PDF alike (QPrinter in PdfFormat), so what the preview shows is what prints.
"""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, QUrl
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

from sync import messages

from . import lights
from .charts import BarChart
from .i18n import translate
from .local_time import local_minute
from .printing import CJK_FONTS

CHART_URL = "chart://lights"


def document(body: str, point_size: int = 10) -> QTextDocument:
    doc = QTextDocument()
    families = set(QFontDatabase.families())
    family = next((f for f in CJK_FONTS if f in families), None)
    if family:
        doc.setDefaultFont(QFont(family, point_size))
    doc.setHtml(body)
    return doc


def lights_chart_image(report: dict, width: int = 900, height: int = 260) -> QImage:
    """The report's open cases by light as a picture (drawn like the workbench's chart)."""
    chart = BarChart(translate("PrintPreview", "Overdue cases by light"))
    totals = report.get("overdue_total", {})
    chart.set_items([(c, lights.name(c), totals.get(c, 0), lights.SOLID[c]) for c in lights.COLOURS])
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    chart.paint_into(painter, QRectF(10, 8, width - 20, height - 16))
    painter.end()
    chart.deleteLater()
    return image


def report_document(report: dict, lang: str | None = None) -> QTextDocument:
    from .report_page import report_html
    body = report_html(report, lang).replace("</body>", f"<p><img src='{CHART_URL}' width='600'></p></body>")
    doc = document(body)
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(CHART_URL), lights_chart_image(report))
    doc.setHtml(body)                    # laid out again, now that the picture is there
    return doc


def case_sheet_html(case, names: dict[str, str]) -> str:
    """A case's sheet (事件办理单): what, where, its state, and every step with who and when."""
    incident, state = case.incident, case.state
    esc = lambda v: html.escape(str(v or ""))      # noqa: E731
    label = messages.field_label
    grid = incident.get("grid_code") or ""
    rows = [(label("title", "incident"), incident.get("title")),
            (label("category", "incident"), messages.value_label(state.category or "other")),
            (label("grid_code", "incident"), f"{names.get(grid, grid)}（{grid}）"),
            (label("location", "incident"), incident.get("location")),
            (label("parties", "incident"), incident.get("parties")),
            (label("description", "incident"), incident.get("description")),
            (label("reported_at", "incident"), local_minute(incident.get("reported_at"))),
            (label("status", "incident"), messages.value_label(state.status, field="status", record_type="incident")),
            (label("level", "incident"), messages.value_label(state.level))]
    heading, steps = translate("PrintPreview", "Case sheet"), translate("PrintPreview", "Steps")
    parts = [f"<html><body><h2>{esc(heading)}：{esc(incident.get('title'))}</h2>",
             "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"]
    parts += [f"<tr><th align='left' width='20%'>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows]
    parts.append(f"</table><h3>{esc(steps)}</h3>"
                 "<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>")
    columns = ("at", "step", "actor", "actor_level", "assignee", "notes")
    parts += [f"<th>{esc(label(c))}</th>" for c in columns]
    parts.append("</tr>")
    for step in case.steps:
        event = step.event
        cells = [local_minute(event.get("at")),
                 messages.value_label(event.get("step") or "", field="step", record_type="incident_event"),
                 event.get("actor"), messages.value_label(event.get("actor_level") or ""), event.get("assignee"),
                 event.get("notes")]
        parts.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    parts.append("</table></body></html>")
    return "".join(parts)


def to_pdf(doc: QTextDocument, path: str | Path) -> Path:
    """The sheet as an A4 PDF through the printer path (what the print dialog would send)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    doc.print_(printer)
    return Path(path)


def preview(parent, doc: QTextDocument, title: str) -> QPrintPreviewDialog:
    """Qt's print preview of `doc`, with its print button; non-modal so the page stays usable."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setObjectName("print_preview")
    dialog.setWindowTitle(title)
    dialog.paintRequested.connect(doc.print_)
    # The dialog does not own its printer or document: kept with it, or Python frees them under it.
    dialog._printer, dialog._document = printer, doc
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
