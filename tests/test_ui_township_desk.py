"""A township account signs in to the desktop and gets its desk: inbox steps, conflicts side by side, laptops."""
import requests

from desktop.services.incidents import Incidents
from desktop.services.township import Laptop
from desktop.syncing import SyncEngine
from desktop.ui.app import create_application
from desktop.ui.main_window import MainWindow
from sync import protocol
from sync.ids import new_id
from tests.conftest import GRID
from tests.station_support import PASSWORD, household, new_account

TOWNSHIP = "420704100"


def township_window(qtbot, ledger, station):
    station.add_user("zhen", PASSWORD, role="township", grids=(TOWNSHIP,))
    engine = SyncEngine(ledger.store, timeout=(2, 10), retries=0)
    engine.login(station.url, "zhen", PASSWORD)
    create_application(lang="zh_CN")
    window = MainWindow(ledger, engine, poll_ms=10 ** 9)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_a_township_account_gets_its_desk_and_resolves_a_conflict_in_one_click(qtbot, ledger, station):
    a, b = new_account(station), new_account(station)
    hid, fields = household()
    a.push([a.change("household", hid, fields)])
    seen = b.pull_all()[("household", hid)]["c"]
    base = {**seen, "*": max(seen.values())}
    a.push([a.change("household", hid, {"phone": "13800000001"}, base=base)])
    b.push([b.change("household", hid, {"phone": "13800000002"}, base=base)])
    window = township_window(qtbot, ledger, station)
    desk = window.desk
    assert desk is not None and window.tabs.currentWidget() is desk and window.tabs.tabText(0) == "乡镇工作台"
    qtbot.waitUntil(lambda: desk.conflicts.rowCount() == 1, timeout=10_000)
    cells = [desk.conflicts.item(0, c).text() for c in range(desk.conflicts.columnCount())]
    assert cells[0].startswith("户") and cells[1] == "联系电话"          # the record by its kind's name, in Chinese
    assert cells[2] == "13800000002" and cells[4] == "13800000001"
    assert cells[3].startswith(b.user + " · 20") and cells[5].startswith(a.user + " · 20")
    desk.tabs.setCurrentIndex(1)
    desk.take_button.click()
    qtbot.waitUntil(lambda: desk.conflicts.rowCount() == 0, timeout=10_000)
    listed = requests.get(station.url + "/v1/conflicts?all=true", timeout=5,
                          headers={**protocol.version_headers(),
                                   "Authorization": f"Bearer {ledger_token(window)}"}).json()["conflicts"]
    assert [c["resolution"] for c in listed if c["record_id"] == hid] != [None]
    users = [desk.laptops.item(r, 0).text() for r in range(desk.laptops.rowCount())]
    assert a.user in users and b.user in users and "zhen" in users


def test_a_resident_registered_twice_is_reviewed_on_the_desk_and_merged_into_one(qtbot, ledger, station):
    a, b = new_account(station), new_account(station)
    people = []
    for device, number, extra in ((a, 1, {}), (b, 2, {"phone": "13800138000"})):
        hid, fields = household(address=f"幸福村3组{number}号")
        pid = new_id()
        device.push([device.change("household", hid, fields),
                     device.change("person", pid, {"id": pid, "household_id": hid, "name": "王秀英",
                                                   "id_number": "42070419900101001X", **extra})])
        people.append(pid)
    window = township_window(qtbot, ledger, station)
    desk = window.desk
    desk.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: desk.conflicts.rowCount() == 1, timeout=10_000)
    cells = [desk.conflicts.item(0, c).text() for c in range(desk.conflicts.columnCount())]
    assert cells[0].startswith("人口") and cells[1] == "重复登记（身份证号相同）"
    assert "王秀英" in cells[2] and "王秀英" in cells[4]
    assert desk.merge_button.isEnabled() and not desk.take_button.isEnabled()
    assert desk.keep_button.text() == "确是两个人，都保留"
    desk.merge_button.click()
    qtbot.waitUntil(lambda: desk.conflicts.rowCount() == 0, timeout=10_000)
    rows = a.pull_all()
    first, second = rows[("person", people[0])]["f"], rows[("person", people[1])]["f"]
    assert second.get("deleted") is True and first["phone"] == "13800138000"      # one person, nothing lost


def ledger_token(window) -> str:
    return window.engine._require_token()


def test_the_inbox_offers_the_townships_steps_and_records_them(qtbot, ledger, station):
    window = township_window(qtbot, ledger, station)
    service = Incidents(ledger.store)
    case = service.report({"grid_code": GRID, "category": "dispute", "title": "宅基地纠纷"})
    service.record(case, "escalate")                                   # now held at the township
    desk = window.desk
    desk.refresh_inbox()
    assert desk.inbox.rowCount() == 1 and desk.inbox.item(0, 1).text() == "宅基地纠纷"
    assert desk.inbox.item(0, 3).text() == "幸福村第三网格"          # names, not codes
    desk.inbox.selectRow(0)
    enabled = {step for step, button in desk.step_buttons.items() if button.isEnabled()}
    assert {"dispatch", "supervise", "escalate", "return"} <= enabled and "close" not in enabled
    desk.step_buttons["return"].click()                                 # a return needs an instruction
    assert desk.message.text() == "退回须写明办理意见。"
    desk.notes.setText("请村里先调解")
    desk.step_buttons["supervise"].click()
    assert service.case(case).state.supervised and "督办" in desk.message.text()
    desk.inbox.selectRow(0)
    desk.assignee.setEditText("幸福村调委会")
    desk.step_buttons["dispatch"].click()
    assert service.case(case).state.assignee == "幸福村调委会"


def test_a_laptop_not_seen_for_days_is_marked(qtbot, ledger, station):
    window = township_window(qtbot, ledger, station)
    now = 1_700_000_000_000
    day = 24 * 3600 * 1000
    window.desk._show_laptops([
        Laptop("d1", "村委电脑", "wang", [GRID], 12, now - day, now - 30 * day, False, now),
        Laptop("d2", "笔记本", "li", [GRID], 3, now - 5 * day, now - 30 * day, False, now)])
    table = window.desk.laptops
    assert table.item(0, 2).text() == "幸福村第三网格"
    assert table.item(0, 5).text() == "已同步" and table.item(1, 5).text() == "已 5 天未同步"
    assert table.item(1, 0).background().color().name() != table.item(0, 0).background().color().name()


def test_logging_out_takes_the_desk_away(qtbot, ledger, station):
    window = township_window(qtbot, ledger, station)
    window.logout_action.trigger()
    assert window.desk is None and ledger.store.get_meta("user") is None
    assert window.tabs.tabText(0) == "工作台"
