"""The patrols page: start the timer, see it again after the page is made anew (a restart), report a hazard
on the running patrol, end it; today's hours against the target."""
from PySide6.QtCore import Qt

from desktop.services.patrols import Patrols
from desktop.ui.app import create_application
from desktop.ui.pages import make_page
from desktop.ui.patrol_page import HazardDialog, PatrolPage
from tests.conftest import GRID


def test_the_timer_runs_across_a_restart_and_a_hazard_becomes_a_linked_case(qtbot, ledger):
    create_application(lang="zh_CN")
    page = make_page(ledger, "patrol")
    assert isinstance(page, PatrolPage)
    qtbot.addWidget(page)
    page.set_grid(GRID)
    assert page.timer_label.text() == "当前没有巡查" and not page.stop_button.isEnabled()
    assert page.today_label.text() == "今日巡查 0.0 / 3 小时 · 未达标"
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.timer_label.text().startswith("巡查中 0:00:0") and not page.start_button.isEnabled()
    patrol = Patrols(ledger.store).current()
    page.close()

    again = PatrolPage(ledger)                      # the program started again: the timer is still running
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.timer_label.text().startswith("巡查中"))
    assert again.stop_button.isEnabled()
    again.report_hazard()
    dialog = again.findChild(HazardDialog, "hazard_dialog")
    assert dialog.save() is False and dialog.error.text()           # a case needs its title
    dialog.title.setText("路面塌陷")
    assert dialog.save()
    qtbot.waitUntil(lambda: again.hazards.rowCount() == 1)
    assert again.hazards.item(0, 0).text() == "路面塌陷" and again.hazards.item(0, 1).text() == "安全隐患"
    again.stop_button.click()
    assert again.timer_label.text() == "当前没有巡查" and again.start_button.isEnabled()
    assert ledger.get("patrol", patrol["id"])["ended_at"]
