"""The incidents page records a step and shows the history and status; the reports page prints Chinese to PDF."""
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from desktop.services.incident_photos import CasePhotos
from desktop.services.incidents import Incidents
from desktop.ui.app import create_application
from desktop.ui.incident_page import IncidentPage
from desktop.ui.report_page import ReportPage, write_pdf
from tests.conftest import GRID


@pytest.fixture
def page(qtbot, ledger):
    create_application(lang="zh_CN")
    page = IncidentPage(ledger)
    qtbot.addWidget(page)
    return page


def select(qtbot, page, incident_id: str) -> None:
    qtbot.waitUntil(lambda: page.model.row_of(incident_id) >= 0)
    page.view.selectRow(page.model.row_of(incident_id))


def choose(box, value) -> None:
    box.setCurrentIndex(box.findData(value))


def test_recording_a_step_through_the_page_updates_history_and_status(qtbot, page, ledger, tmp_path):
    case_id = Incidents(ledger.store).report({"grid_code": GRID, "category": "dispute", "title": "邻里噪音纠纷"})
    page.reload()
    select(qtbot, page, case_id)
    assert page.history.rowCount() == 1 and "已上报" in page.state_label.text()
    assert f"幸福村第三网格（{GRID}）" in page.state_label.text()         # the unit by its name, code beside
    choose(page.step_box, "register")
    page.notes.setText("已登记入册")
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert page.history.rowCount() == 2
    assert page.history.item(1, 1).text() == "登记" and page.history.item(1, 6).text() == "已登记入册"
    assert "已登记" in page.state_label.text() and page.error_label.text() == ""
    offered = [page.step_box.itemData(i) for i in range(page.step_box.count())]
    assert "close" not in offered                           # not before handling and feedback
    assert "supervise" not in offered and "return" not in offered     # not a village worker's steps
    choose(page.step_box, "dispatch")
    page.record_button.click()                              # a dispatch names who takes it
    assert page.history.rowCount() == 2
    assert page.error_label.text() == "分办须写明承办单位或人员。"
    page.assignee.setText("村调委会")
    page.record_button.click()
    assert page.history.rowCount() == 3 and "村调委会" in page.state_label.text()
    assert Incidents(ledger.store).case(case_id).state.status == "dispatched"
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo")
    page.add_photo_file(photo)
    assert page.photo_label.text() == "1 张照片"
    assert CasePhotos(Incidents(ledger.store)).of(case_id)[0]["caption"] == "现场"


def test_the_inbox_filter_shows_cases_held_at_my_level(qtbot, page, ledger):
    service = Incidents(ledger.store)
    mine = service.report({"grid_code": GRID, "category": "livelihood", "title": "路灯损坏"})
    up = service.report({"grid_code": GRID, "category": "dispute", "title": "土地纠纷"})
    service.record(up, "escalate")
    page.inbox_only.setChecked(True)
    qtbot.waitUntil(lambda: page.model.row_of(mine) >= 0)
    assert page.model.row_of(up) < 0                        # at the township now: not a village worker's


def test_a_report_prints_to_pdf_with_chinese_headings(qtbot, ledger, tmp_path):
    create_application(lang="zh_CN")
    service = Incidents(ledger.store)
    case_id = service.report({"grid_code": GRID, "category": "dispute", "title": "宅基地纠纷"})
    service.record(case_id, "handle", agreement="重新划界", outcome="success")
    page = ReportPage(ledger)
    qtbot.addWidget(page)
    page.compute()
    assert page.report["reported"] == 1 and page.report["mediation_success"] == 1
    assert "调解成功率" in page.view.toPlainText()
    pdf = page.export_to(tmp_path / "报表.pdf")
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    for heading in ("事件办理统计", "上报事件数", "办结率", "调解成功率", "超期预警（五色亮灯）", "网格员履职"):
        assert heading in text.replace(" ", "")
    assert "幸福村第三网格" in "".join(text.split())                  # units by name (wrapped in its cell)
    assert page.export_to(tmp_path / "r.xlsx").stat().st_size > 0
    assert page.export_to(tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith("事件办理统计")
    english = write_pdf(page.report, tmp_path / "en.pdf", "en")
    assert "Case report" in " ".join(PdfReader(english).pages[0].extract_text().split())


def test_the_case_list_is_lit_by_each_cases_derived_colour(qtbot, ledger):
    import time

    from desktop.services.incidents import Incidents
    from desktop.ui.incident_page import IncidentPage
    from desktop.ui.table_model import LIGHTS
    day = 24 * 3600 * 1000
    ten_days_ago = Incidents(ledger.store, clock=lambda: int(time.time() * 1000) - 10 * day)
    late = ten_days_ago.report({"grid_code": GRID, "category": "safety_hazard", "title": "燃气泄漏"})
    fresh = Incidents(ledger.store).report({"grid_code": GRID, "category": "dispute", "title": "邻里纠纷"})
    page = IncidentPage(ledger)
    qtbot.addWidget(page)
    row = page.model.row_of(late)
    assert row >= 0
    colour = page.model.data(page.model.index(row, 0), Qt.ItemDataRole.BackgroundRole)
    assert colour == LIGHTS["red"]          # ten days past a one-day deadline
    calm = page.model.data(page.model.index(page.model.row_of(fresh), 0), Qt.ItemDataRole.BackgroundRole)
    assert calm is None                      # three days to go: no light
