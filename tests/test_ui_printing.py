"""Print preview from the page: 一户一表, a case sheet, a report with its chart and unit names (PDF via QPrinter)."""
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintPreviewDialog

from desktop.services.incidents import Incidents
from desktop.ui.app import create_application
from desktop.ui.incident_page import IncidentPage
from desktop.ui.pages import make_page
from desktop.ui.print_preview import to_pdf
from desktop.ui.report_page import ReportPage
from tests.conftest import GRID


def pdf_text(path) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_a_household_form_previews_and_prints_from_its_page(qtbot, ledger, tmp_path):
    create_application(lang="zh_CN")
    ledger.save_household({"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三"},
                          [{"name": "张三", "residence": "registered"}, {"name": "张小三", "residence": "left"}])
    page = make_page(ledger, "household")
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.view.selectRow(0)
    assert page.print_button.text() == "打印一户一表…"
    dialog = page.print_current()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, QPrintPreviewDialog) and dialog.isVisible()
    text = pdf_text(to_pdf(page.print_document(), tmp_path / "一户一表.pdf"))
    assert "张三" in text and "张小三" in text and "幸福村3组12号" in text


def test_a_case_sheet_has_its_steps_and_the_unit_by_name(qtbot, ledger, tmp_path):
    create_application(lang="zh_CN")
    service = Incidents(ledger.store)
    case = service.report({"grid_code": GRID, "category": "dispute", "title": "宅基地纠纷"})
    service.record(case, "register", notes="已登记入册")
    page = IncidentPage(ledger)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.row_of(case) >= 0)
    page.view.selectRow(page.model.row_of(case))
    dialog = page.print_current()
    qtbot.addWidget(dialog)
    text = pdf_text(to_pdf(page.print_document(), tmp_path / "办理单.pdf"))
    for expected in ("事件办理单", "宅基地纠纷", "矛盾纠纷", "幸福村第三网格", "登记", "已登记入册"):
        assert expected in text, expected


def test_a_report_pdf_carries_its_chart_and_unit_names(qtbot, ledger, tmp_path):
    create_application(lang="zh_CN")
    Incidents(ledger.store).report({"grid_code": GRID, "category": "dispute", "title": "纠纷"})
    page = ReportPage(ledger)
    qtbot.addWidget(page)
    page.compute()
    assert page.preview_button.isEnabled()
    dialog = page.print_preview()
    qtbot.addWidget(dialog)
    pdf = page.export_to(tmp_path / "报表.pdf")
    text = pdf_text(pdf)
    assert "事件办理统计" in text and "幸福村第三网格" in text
    reader = PdfReader(pdf)
    assert any(page.images for page in reader.pages)                  # the chart, as a picture
