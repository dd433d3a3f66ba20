"""The joint defence page: a group made by ticking the grid's households, a watch and an alert recorded (the
alert's case shown with it), coverage said, the contact sheet printed to PDF."""
from pypdf import PdfReader
from PySide6.QtCore import Qt

from desktop.ui.app import create_application
from desktop.ui.defence_page import ActivityDialog, DefencePage, GroupDialog
from tests.conftest import GRID


def test_a_group_is_made_recorded_alerted_and_printed(qtbot, ledger, tmp_path):
    create_application(lang="zh_CN")
    for n in range(1, 5):
        ledger.put("household", {"grid_code": GRID, "address": f"幸福村3组{n}号", "head_name": f"户主{n}",
                                 "phone": f"1370013700{n}"})
    page = DefencePage(ledger)
    qtbot.addWidget(page)
    page.set_grid(GRID)
    assert page.coverage.text() == "0 个联防组 · 4 户中 0 户入组 · 覆盖率 0.0%"
    page.new_group()
    dialog = page.findChild(GroupDialog, "group_dialog")
    dialog.name.setText("三组东片联防组")
    dialog.leader.setText("户主1")
    dialog.phone.setText("137-0013-7001")
    for row in range(3):
        dialog.households.item(row).setCheckState(Qt.CheckState.Checked)
    assert dialog.save()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 2).text() == "13700137001" and page.table.item(0, 3).text() == "3"
    assert page.coverage.text().endswith("4 户中 3 户入组 · 覆盖率 75.0%")
    page.table.selectRow(0)
    assert page.members.rowCount() == 3 and page.members.item(0, 0).text() == "户主1"
    page.record()
    watch = page.findChild(ActivityDialog, "activity_dialog")
    watch.notes.setPlainText("夜间轮值")
    assert watch.save()
    watch.deleteLater()
    qtbot.waitUntil(lambda: page.findChild(ActivityDialog, "activity_dialog") is None)
    page.table.selectRow(0)
    page.raise_alert()
    alert = page.findChild(ActivityDialog, "activity_dialog")
    alert.kind.setCurrentIndex(alert.kind.findData("theft"))
    assert alert.save() is False and alert.error.text()               # the case needs its title
    alert.title.setText("农机被盗")
    assert alert.save()
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.activities.rowCount() == 2)
    kinds = {page.activities.item(r, 1).text(): page.activities.item(r, 3).text() for r in range(2)}
    assert kinds == {"盗窃": "农机被盗", "巡防值守": ""}
    assert ledger.get("incident", alert.case_id)["source_type"] == "defence_activity"
    pdf = page.print_to(tmp_path / "联系表.pdf")
    assert len(PdfReader(pdf).pages) == 1
