"""The assessment page: without a station it shows this laptop's own sheet and says so; a supervisor records the
grade there (it waits in the change log for the next sync); the sheet prints to PDF."""
from pypdf import PdfReader

from desktop.services.assessments import Assessments
from desktop.ui.app import create_application
from desktop.ui.assessment_page import AssessmentPage, GradeDialog, periods
from tests.conftest import GRID


def test_offline_the_page_shows_the_own_sheet_and_a_supervisor_grades_it(qtbot, ledger, tmp_path):
    create_application(lang="zh_CN")
    ledger.put("household", {"grid_code": GRID, "address": "幸福村3组1号", "head_name": "甲", "phone": "13800138000"})
    page = AssessmentPage(ledger)
    qtbot.addWidget(page)
    assert page.grade_button.isHidden()                  # a worker's laptop does not grade
    page.compute()
    assert page.note.text().startswith("无法向乡镇站查询")
    assert page.table.rowCount() == 1 and page.table.item(0, 1).text() == GRID
    rates = {page.inputs.item(r, 0).text(): page.inputs.item(r, 1).text() for r in range(page.inputs.rowCount())}
    # phone yes, building no, and its 户主 (a resident made with it) has no ID number: 1 of 3
    assert rates["基础信息完整"] == "33.3%" and rates["事件按期办结"] == "—"
    ledger.store.set_meta(role="township")
    page.refresh()
    assert not page.grade_button.isHidden()
    page.ask_grade()
    dialog = page.findChild(GradeDialog, "grade_dialog")
    assert dialog.save() is False and dialog.error.text()              # a reason is required
    dialog.grade.setCurrentIndex(dialog.grade.findData("competent"))
    dialog.reason.setPlainText("基础信息待完善")
    assert dialog.save()
    qtbot.waitUntil(lambda: page.table.item(0, 4).text() == "称职")
    sheet = page.sheets[0]
    assert Assessments(ledger.store).final(sheet["worker"], sheet["period"])["reason"] == "基础信息待完善"
    assert len(PdfReader(page.print_to(tmp_path / "考核.pdf")).pages) == 1


def test_the_periods_offered_stop_at_today():
    import datetime as dt

    offered = periods(dt.date(2026, 5, 20))
    assert offered[:4] == ["2026", "2026-H1", "2026-Q1", "2026-Q2"] and "2026-06" not in offered
    assert "2025-12" in offered and "2026-H2" not in offered
