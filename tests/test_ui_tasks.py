"""The task list page marks an overdue item done with a note, a township account publishes one there, and the
dashboard's duty card counts what is overdue today."""
import datetime as dt

from desktop.services import duty_summary
from desktop.services.tasks import Tasks
from desktop.ui.app import create_application
from desktop.ui.dashboard_page import DashboardPage
from desktop.ui.tasks_page import DoneDialog, PublishDialog, TasksPage
from sync import tasks
from tests.conftest import GRID, VILLAGE

CHINA = dt.timezone(dt.timedelta(hours=8))


def item(store, title: str, **fields) -> str:
    """An item as the station publishes it (the worker's laptop only receives them)."""
    return store.put("task_item", {"id": tasks.item_id(VILLAGE, title), "grid_code": VILLAGE, "title": title,
                                   "owner_role": "worker", **fields})


def test_an_overdue_item_is_marked_done_with_a_note(qtbot, ledger):
    create_application(lang="zh_CN")
    yesterday = (dt.datetime.now(CHINA) - dt.timedelta(days=1)).isoformat(timespec="seconds")
    late = item(ledger.store, "汛前排查", frequency="once", deadline=yesterday, done_when="排查表签字")
    item(ledger.store, "每周走访汇总", frequency="weekly", starts_on=dt.date.today().isoformat())
    page = TasksPage(ledger)
    qtbot.addWidget(page)
    page.set_grid(GRID)
    assert page.publish_button.isHidden()                       # a worker does not publish
    assert page.table.rowCount() == 2 and page.table.item(0, 2).text() == "汛前排查"
    assert page.table.item(0, 0).text() == "已超期" and "1 项超期" in page.heading.text()
    page.table.selectRow(0)
    page.mark_done()
    dialog = page.findChild(DoneDialog, "task_done_dialog")
    dialog.note.setPlainText("已完成排查，全组签字")
    assert dialog.save()
    qtbot.waitUntil(lambda: page.table.item(1, 2).text() == "汛前排查")
    assert page.table.item(1, 0).text() == "已完成" and page.table.item(1, 7).text() == "已完成排查，全组签字"
    assert [d["task_id"] for d in ledger.store.list("task_done")] == [late]


def test_a_township_account_publishes_an_item_from_the_page(qtbot, ledger):
    create_application(lang="zh_CN")
    ledger.store.set_meta(role="township")
    page = TasksPage(ledger)
    qtbot.addWidget(page)
    page.set_grid(None)
    assert not page.publish_button.isHidden()
    page.publish()
    dialog = page.findChild(PublishDialog, "task_publish_dialog")
    dialog.unit.setCurrentIndex(dialog.unit.findData(VILLAGE))
    assert dialog.save() is False and dialog.error.text()          # an item needs its title
    dialog.title.setText("春耕安全提示")
    assert dialog.save(), dialog.error.text()
    published = ledger.store.get("task_item", tasks.item_id(VILLAGE, "春耕安全提示"))
    assert published["frequency"] == "once" and published["deadline"].endswith("+08:00")
    assert Tasks(ledger.store).board(GRID)[0].item["title"] == "春耕安全提示"


def test_the_workbench_cards_count_overdue_visits_and_items(qtbot, ledger):
    create_application(lang="zh_CN")
    home = ledger.put("household", {"grid_code": GRID, "address": "幸福村3组9号", "head_name": "周婆婆"})
    ledger.put("person", {"name": "周婆婆", "household_id": home, "tags": ["elderly_alone"]})
    item(ledger.store, "消防检查", frequency="once", deadline="2020-01-01T00:00:00+08:00")
    found = duty_summary.summary(ledger.store, GRID)
    assert (found.visits_overdue, found.tasks_overdue, found.patrol_target) == (1, 1, 3.0)
    page = DashboardPage(ledger)
    qtbot.addWidget(page)
    page.set_grid(GRID)
    visits, items = page.cards["visits"], page.cards["tasks"]
    assert (visits.value.text(), items.value.text()) == ("1", "1")
    assert "走访超期" in visits.title.text() and "事务" in items.title.text()
