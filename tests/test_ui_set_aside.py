"""Set-aside changes are the worker's to handle: listed by the record's name with the station's
reason, fixed by opening the record (the fix goes as a new change), or discarded after a
confirmation, the record going back to what the station holds."""
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox, QTableWidget

from desktop.services import Ledger
from desktop.ui.app import create_application
from desktop.ui.forms import RecordForm
from desktop.ui.sync_status import SetAsideDialog
from tests.support.clients import (
    GRID,
    OTHER_GRID,
    Client,
    household,
    local_grids,
    new_user,
    station_records,
)

pytestmark = pytest.mark.usefixtures("file_tokens")


def select_rows(table: QTableWidget, rows) -> None:
    table.clearSelection()
    for row in rows:
        table.selectionModel().select(table.model().index(row, 0), QItemSelectionModel.SelectionFlag.Select
                                      | QItemSelectionModel.SelectionFlag.Rows)


def row_of(table: QTableWidget, text: str) -> int:
    return next(r for r in range(table.rowCount()) if text in table.item(r, 1).text())


def test_the_worker_fixes_one_refused_change_and_discards_two(qtbot, sync_station, tmp_path):
    laptop = Client(tmp_path / "laptop")
    try:
        local_grids(laptop, GRID, OTHER_GRID)
        laptop.login(sync_station.url, new_user(sync_station))
        kept = laptop.put("household", household(1, head_name="张三"))
        laptop.sync()
        laptop.put("household", {"id": kept, "grid_code": OTHER_GRID})      # not this worker's grid: refused
        stray = laptop.put("household", household(2, grid=OTHER_GRID, head_name="李四"))
        fixme = laptop.put("household", household(3, grid=OTHER_GRID, head_name="王五"))
        assert laptop.sync().set_aside == 3

        create_application(lang="zh_CN")
        changed = []
        dialog = SetAsideDialog(Ledger(laptop.store), on_changed=lambda: changed.append(1))
        qtbot.addWidget(dialog)
        dialog.show()
        table = dialog.table
        assert table.rowCount() == 3
        labels = [table.item(r, 1).text() for r in range(3)]
        assert sorted(labels) == ["张三 · 幸福村3组1号", "李四 · 幸福村3组2号", "王五 · 幸福村3组3号"]
        assert all(kept not in label and stray not in label for label in labels)
        assert all(table.item(r, 2).text() for r in range(3))              # the station's reason

        # fix: open 王五's household, put it in the worker's grid, save
        select_rows(table, [row_of(table, "王五")])
        dialog.open_button.click()
        form = dialog.findChild(RecordForm)
        qtbot.waitUntil(lambda: form is not None and form.isVisible())
        grid_box = form.editors["grid_code"].widget
        grid_box.setCurrentIndex(grid_box.findData(GRID))
        assert form.save()
        qtbot.waitUntil(lambda: table.rowCount() == 2)
        assert changed

        # discard the other two, after saying yes
        select_rows(table, [0, 1])
        dialog.discard_button.click()
        box = dialog.findChild(QMessageBox, "confirm_discard")
        assert box is not None and "2" in box.text()
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: table.rowCount() == 0)
        assert laptop.store.get("household", kept)["grid_code"] == GRID       # back to what the station holds
        assert laptop.store.get("household", stray) is None                    # the station never had it
        assert laptop.store.search("李四") == []

        result = laptop.sync()
        assert result.set_aside == 0 and laptop.pending() == 0
        at_station = station_records(sync_station, "household", [kept, stray, fixme])
        assert at_station[kept]["grid_code"] == GRID and stray not in at_station
        assert at_station[fixme]["grid_code"] == GRID and at_station[fixme]["head_name"] == "王五"
        dialog.close()
    finally:
        laptop.close()


def test_a_discard_can_be_called_off(qtbot, ledger):
    from desktop.store import replication
    hid = ledger.put("household", household(5, head_name="赵六"))
    seq = replication.next_batch(ledger.store)[0]["seq"]
    replication.set_aside(ledger.store, {seq: "网格不在您的负责范围内"})
    create_application(lang="zh_CN")
    dialog = SetAsideDialog(ledger)
    qtbot.addWidget(dialog)
    dialog.show()
    select_rows(dialog.table, [0])
    dialog.discard_button.click()
    box = dialog.findChild(QMessageBox, "confirm_discard")
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1 and ledger.get("household", hid) is not None
    assert dialog.table.item(0, 1).text() == "赵六 · 幸福村3组5号"
