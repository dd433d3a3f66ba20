"""Print HTML to an A4 PDF with a Chinese font: Qt's own PDF writer, used by forms and reports."""
from __future__ import annotations

import os
import sys
from pathlib import Path

CJK_FONTS = ("Microsoft YaHei", "SimSun", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
             "PingFang SC")


def ensure_application():
    """Fonts need an application; make the widgets kind so windows opened later still work."""
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")      # the command line on a server
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication([])


def html_to_pdf(html: str, path: str | Path, point_size: int = 10) -> None:
    """Render `html` to `path` as A4 pages; page breaks follow the blocks' page-break style."""
    ensure_application()
    from PySide6.QtGui import QFont, QFontDatabase, QPageSize, QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(150)
    document = QTextDocument()
    families = set(QFontDatabase.families())
    family = next((f for f in CJK_FONTS if f in families), None)
    if family:
        document.setDefaultFont(QFont(family, point_size))
    document.setHtml(html)
    document.print_(writer)


def household_forms_pdf(ledger, path: str | Path, grid: str | None = None, household_ids=None,
                        lang: str | None = None, include_sensitive: bool = False) -> int:
    """一户一表 as PDF; returns the number of households printed."""
    from desktop.services import exporting

    html = exporting.household_forms_html(ledger, grid, household_ids, lang, include_sensitive)
    html_to_pdf(html, path)
    return html.count("<h2")
