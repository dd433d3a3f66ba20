"""The workbench (工作台): the grid's day as cards and charts, each a click from its list; lights at a glance."""
import datetime as dt
import time

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop.services.incidents import Incidents
from desktop.ui.app import create_application
from desktop.ui.dashboard_page import DashboardPage
from desktop.ui.main_window import MainWindow
from tests.conftest import GRID, VILLAGE

DAY_MS = 24 * 3600 * 1000
CHINA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def day(ledger):
    """A late safety hazard (red), a fresh dispute (no light), a closed case, 1.5 h of patrol today."""
    create_application(lang="zh_CN")
    past = Incidents(ledger.store, clock=lambda: int(time.time() * 1000) - 10 * DAY_MS)
    late = past.report({"grid_code": GRID, "category": "safety_hazard", "title": "燃气泄漏"})
    fresh = Incidents(ledger.store).report({"grid_code": GRID, "category": "dispute", "title": "邻里纠纷"})
    done = past.report({"grid_code": GRID, "category": "livelihood", "title": "路灯损坏"})
    for step in ("handle", "feedback", "close"):
        Incidents(ledger.store).record(done, step)
    now = dt.datetime.now(CHINA)
    start = max(now.replace(hour=0, minute=0, second=0, microsecond=0), now - dt.timedelta(hours=1.5))
    ledger.store.put("patrol", {"grid_code": GRID, "worker": "王", "started_at": start.isoformat(),
                                "ended_at": now.isoformat()})
    ledger.save_household({"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三"},
                          [{"name": "张三", "residence": "registered", "tags": ["disabled"]}])
    return {"late": late, "fresh": fresh, "done": done, "patrol_hours": (now - start).total_seconds() / 3600}


def test_cards_show_the_grids_day(qtbot, ledger, day):
    page = DashboardPage(ledger)
    qtbot.addWidget(page)
    page.set_grid(GRID)
    cards = page.cards
    assert cards["overdue"].value.text() == "1" and "红灯 1" in cards["overdue"].detail.text()
    assert cards["patrol"].value.text() == f"{day['patrol_hours']:.1f} / 3 小时"
    assert cards["quota"].value.text() == "1 / 1"        # one reported this week: a rural grid has met it
    assert cards["pending"].value.text() == str(ledger.status().pending) != "0"
    assert cards["set_aside"].value.text() == "0"
    assert page.heading.text() == "今日工作：幸福村第三网格（1 个网格）"
    assert ("red", "红灯", 1) in [item[:3] for item in page.lights_chart.items]
    assert ("closed", "已销号", 1) in [item[:3] for item in page.status_chart.items]
    assert sum(sum(c.values()) for _, c in page.weeks_chart.weeks) == 3
    assert ("disabled", "残疾人", 1) in [item[:3] for item in page.people_chart.items]
    legend = page.findChild(type(page.heading), "legend_red")
    assert legend.text() == "红灯：超期三天以上"


def test_the_protected_groups_are_counted_only_for_an_account_allowed_to_see_them(qtbot, ledger, day):
    ledger.save_household({"grid_code": GRID, "address": "幸福村3组13号", "head_name": "李四"},
                          [{"name": "李四", "residence": "registered", "tags": ["drug_user"]}])
    page = DashboardPage(ledger)
    qtbot.addWidget(page)
    page.set_grid(GRID)
    shown = [item[0] for item in page.people_chart.items]
    rows = [page.table.verticalHeaderItem(r).text() for r in range(page.table.rowCount())]
    assert "disabled" in shown and "drug_user" not in shown and "吸毒人员" not in rows     # a worker's laptop
    ledger.store.set_meta(role="township")                      # the default setting lets a township see them
    page.refresh()
    assert ("drug_user", "吸毒人员", 1) in [item[:3] for item in page.people_chart.items]


def test_a_village_sums_its_grids(qtbot, ledger, day):
    page = DashboardPage(ledger)
    qtbot.addWidget(page)
    page.set_grid(VILLAGE)
    assert page.cards["overdue"].value.text() == "1"             # the village covers its grids' cases
    assert "幸福村" in page.heading.text()


def test_clicking_a_card_or_a_bar_opens_its_list(qtbot, ledger, day):
    window = MainWindow(ledger, poll_ms=10 ** 9)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.tree.select_code(GRID)
    window.set_grid(GRID)
    qtbot.waitUntil(lambda: window.dashboard.cards["overdue"].value.text() == "1")
    qtbot.mouseClick(window.dashboard.cards["overdue"], Qt.MouseButton.LeftButton)
    incidents = window.pages["incident"]
    assert window.tabs.currentWidget() is incidents
    qtbot.waitUntil(lambda: incidents.model.rowCount() == 1)
    assert incidents.model.record(0)["id"] == day["late"]
    window.show_page("dashboard")
    chart = window.dashboard.people_chart
    chart.repaint()
    area = next(area for area, key in chart._bars if key == "disabled")
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(int(area.center().x()), int(area.center().y())))
    people = window.pages["person"]
    assert window.tabs.currentWidget() is people and people.tag_filter.currentData() == "disabled"


def test_the_case_list_names_each_light_counts_down_and_greys_closed_cases(qtbot, ledger, day):
    window = MainWindow(ledger, poll_ms=10 ** 9)
    qtbot.addWidget(window)
    page = window.pages["incident"]
    model = page.model
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    columns = model.columns
    late, fresh, done = (model.row_of(day[k]) for k in ("late", "fresh", "done"))

    def cell(row, field, role=Qt.ItemDataRole.DisplayRole):
        return model.data(model.index(row, columns.index(field)), role)

    assert model.headerData(0, Qt.Orientation.Horizontal) == "亮灯"
    assert cell(late, "_light") == "红灯" and cell(late, "_light", Qt.ItemDataRole.DecorationRole) is not None
    assert cell(late, "_light", Qt.ItemDataRole.ToolTipRole) == "超期三天以上"
    assert "已超期 9 天" in cell(late, "deadline")
    assert "还剩 2 天" in cell(fresh, "deadline") and cell(fresh, "_light") == ""
    assert cell(done, "status") == "已销号" and cell(done, "deadline") == "已销号"
    assert cell(done, "title", Qt.ItemDataRole.ForegroundRole).name() == "#8a8a8a"
    assert cell(done, "title", Qt.ItemDataRole.FontRole).italic()
    page.show_only(light="overdue")
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    page.show_only(status="closed")
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.record(0)["id"] == day["done"])


def test_import_and_export_start_from_the_grid_selected_in_the_tree(qtbot, ledger):
    create_application(lang="zh_CN")
    ledger.store.put("grid", {"code": VILLAGE + "-01", "name": "幸福村第一网格", "level": "grid",
                              "parent_code": VILLAGE})          # listed first: a dialog's own default
    window = MainWindow(ledger, poll_ms=10 ** 9)
    qtbot.addWidget(window)
    window.tree.select_code(GRID)
    for dialog in (window.open_export(), window.open_import()):
        qtbot.addWidget(dialog)
        assert dialog.grid_combo.currentData() == GRID
        dialog.reject()
