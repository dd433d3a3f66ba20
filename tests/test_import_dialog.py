"""The import dialog on real widgets: file, mapping, preview with errors, import off the GUI thread."""
import threading

import pytest
from PySide6.QtCore import QTimer

from desktop.services import importing
from desktop.ui.app import create_application
from desktop.ui.import_dialog import ImportDialog
from desktop.ui.main_window import MainWindow
from tests.conftest import GRID
from tests.import_samples import id_number, messy_workbook, resident_rows


@pytest.fixture
def window(qtbot, ledger):
    create_application(lang="zh_CN")
    window = MainWindow(ledger)
    qtbot.addWidget(window)
    window.show()
    return window


def test_dialog_imports_with_progress_and_keeps_the_window_responsive(qtbot, window, ledger, tmp_path,
                                                                       monkeypatch):
    rows = resident_rows()
    rows[4][5] = float(id_number("19700909", 53))          # one bad row: goes to the error sheet
    path = messy_workbook(tmp_path / "人口.xlsx", rows)
    worker_threads = set()
    commit = importing.commit

    def recording_commit(store, plan, progress=None):
        worker_threads.add(threading.get_ident())
        return commit(store, plan, progress)

    monkeypatch.setattr(importing, "commit", recording_commit)
    ticks = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)

    dialog = ImportDialog(ledger, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path_edit.setText(str(path))
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("person"))
    dialog.grid_combo.setCurrentIndex(dialog.grid_combo.findData(GRID))
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10_000)
    assert dialog.mapping()["公民身份号码"] == "id_number" and dialog.mapping()["户号"] == "_household_no"

    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=10_000)
    assert dialog.preview_table.rowCount() == 5
    assert "末位已丢失" in dialog.preview_table.item(0, dialog.preview_table.columnCount() - 1).text()

    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 3, timeout=10_000)
    assert dialog.progress.isVisible() and dialog.progress.value() == dialog.progress.maximum() > 0
    assert worker_threads and threading.get_ident() not in worker_threads     # the work ran off the GUI thread
    assert ticks                                                                 # the event loop kept running
    assert dialog.report.imported == 4 and dialog.report.failed == 1 and dialog.report.error_path.exists()
    assert str(dialog.report.error_path) in dialog.summary_label.text()
    assert ledger.store.count("person") == 4 and ledger.store.count("household") == 2


def test_menu_entry_opens_the_dialog(qtbot, window):
    assert window.import_action.isEnabled()
    window.import_action.trigger()
    dialog = window.findChild(ImportDialog)
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    dialog.reject()


@pytest.mark.parametrize("what, name", [("household_forms", "一户一表.pdf"), ("household_forms", "一户一表.xlsx"),
                                        ("person", "人口.xlsx")])
def test_export_dialog_writes_the_file(qtbot, window, ledger, tmp_path, what, name):
    from desktop.ui.export_dialog import ExportDialog

    importing.import_file(ledger.store, messy_workbook(tmp_path / "r.xlsx"), "person", GRID)
    dialog = ExportDialog(ledger, window)
    qtbot.addWidget(dialog)
    dialog.what_combo.setCurrentIndex(dialog.what_combo.findData(what))
    dialog.grid_combo.setCurrentIndex(dialog.grid_combo.findData(GRID))
    dialog.path_edit.setText(str(tmp_path / name))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=10_000)
    assert (tmp_path / name).stat().st_size > 0
    assert ("2" if what == "household_forms" else "5") in dialog.status.text()


def _open(qtbot, window, ledger, path):
    dialog = ImportDialog(ledger, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path_edit.setText(str(path))
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("person"))
    dialog.grid_combo.setCurrentIndex(dialog.grid_combo.findData(GRID))
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10_000)
    return dialog


def test_dialog_reads_an_old_excel_file_with_a_merged_two_row_header(qtbot, window, ledger, tmp_path):
    from tests import ledger_variants as lv

    dialog = _open(qtbot, window, ledger, lv.write(lv.issue_two_row_header(), tmp_path / "人口.xls"))
    mapping = dialog.mapping()
    assert (mapping["户号"], mapping["身份证号码"], mapping["手机号"], mapping["居住地址"]) == (
        "_household_no", "id_number", "phone", "_address")
    assert "人口信息" in dialog.layout_label.text() and "1–2" in dialog.layout_label.text()
    assert "序号" in dialog.layout_label.text() and "年龄" in dialog.layout_label.text()     # not imported, and said
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=10_000)
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 3, timeout=10_000)
    assert dialog.report.imported == 5 and dialog.report.failed == 0
    assert all(p["id_number"] and p["phone"] for p in ledger.store.list("person"))


def test_dialog_asks_before_importing_without_a_phone_column(qtbot, window, ledger, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from tests import ledger_variants as lv

    header = ["户号", "姓名", "与户主关系", "公民身份号码", "现住址"]
    rows = [[r[0], r[1], r[2], r[3], r[5]] for r in lv._plain_rows()]
    dialog = _open(qtbot, window, ledger, lv.write(lv.Layout([lv.Sheet("人口", [header, *rows])]), tmp_path / "p.xlsx"))
    assert "联系电话" in dialog.layout_label.text()
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.missing_box is not None and dialog.missing_box.isVisible())
    assert "联系电话" in dialog.missing_box.text()
    dialog.missing_box.button(QMessageBox.StandardButton.No).click()          # go back and map one
    qtbot.waitUntil(lambda: not dialog.missing_box.isVisible())
    assert dialog.pages.currentIndex() == 1 and ledger.store.count("person") == 0
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.missing_box.isVisible())
    dialog.missing_box.button(QMessageBox.StandardButton.Yes).click()         # go on knowingly
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=10_000)
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 3, timeout=10_000)
    assert dialog.report.imported == 5 and "联系电话" in dialog.summary_label.text()


def test_dialog_gives_households_the_default_address(qtbot, window, ledger, tmp_path):
    from tests import ledger_variants as lv

    dialog = ImportDialog(ledger, window)
    qtbot.addWidget(dialog)
    dialog.address_edit.setText("幸福村3组")
    dialog.show()
    dialog.path_edit.setText(str(lv.write(lv.no_address_column(), tmp_path / "无地址.xlsx")))
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("person"))
    dialog.grid_combo.setCurrentIndex(dialog.grid_combo.findData(GRID))
    for page in (1, 2, 3):
        dialog.next_button.click()
        qtbot.waitUntil(lambda page=page: dialog.pages.currentIndex() == page, timeout=10_000)
    assert {h["address"] for h in ledger.store.list("household")} == {"幸福村3组"}
