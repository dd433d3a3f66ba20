"""The workbench forms on real widgets and a real store: households with members, validation, derived fields."""
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import event

from desktop.store import replication
from desktop.ui.app import create_application
from desktop.ui.forms import RecordForm
from desktop.ui.household_form import MEMBER_COLUMNS, HouseholdForm
from desktop.ui.main_window import MainWindow
from sync.validation import id_check_char
from tests.conftest import GRID

HEAD_ID = "11010519491231002X"


def type_text(qtbot, widget, text: str) -> None:
    """Type as a worker does: ASCII key by key, Chinese committed by the input method (IME)."""
    for chunk in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def valid_id(first17: str) -> str:
    return first17 + id_check_char(first17)


@pytest.fixture
def window(qtbot, ledger):
    create_application(lang="zh_CN")
    window = MainWindow(ledger)
    qtbot.addWidget(window)
    window.show()
    return window


def open_new_form(qtbot, window, page_name: str):
    window.show_page(page_name)
    window.new_action.trigger()                     # Ctrl+N
    form = window.findChild(RecordForm)
    qtbot.waitUntil(lambda: form is not None and form.isVisible())
    return form


def set_member(form: HouseholdForm, row: int, **values) -> None:
    for name, value in values.items():
        form.table.item(row, MEMBER_COLUMNS.index(name)).setText(value)


def test_household_with_two_members_is_saved_found_in_the_table_and_by_pinyin(qtbot, window, ledger):
    form = open_new_form(qtbot, window, "household")
    assert isinstance(form, HouseholdForm)
    type_text(qtbot, form.editors["address"].widget, "幸福村3组12号")
    type_text(qtbot, form.editors["head_name"].widget, "张三")
    qtbot.keyClicks(form.editors["head_id_number"].widget, HEAD_ID)
    form.add_member()
    set_member(form, 0, name="张三", id_number=HEAD_ID)
    form.table.cellWidget(0, MEMBER_COLUMNS.index("relation_to_head")).setCurrentText("户主")
    spouse_id = valid_id("11010519520315002")
    form.add_member()
    set_member(form, 1, name="李四", id_number=spouse_id)
    # derived as typed: birth date and gender follow from the ID number
    assert form.table.item(1, MEMBER_COLUMNS.index("birth_date")).text() == "1952-03-15"
    assert form.table.item(1, MEMBER_COLUMNS.index("gender")).text() == "女"
    qtbot.keyClick(form.editors["head_name"].widget, Qt.Key.Key_Return)     # Enter saves
    qtbot.waitUntil(lambda: not form.isVisible())
    assert form.saved_id

    household = ledger.get("household", form.saved_id)
    assert household["head_name"] == "张三" and household["grid_code"] == GRID
    members = ledger.members(form.saved_id)
    assert [m["name"] for m in members] == ["张三", "李四"]
    assert members[1]["birth_date"] == "1952-03-15" and members[1]["gender"] == "female"

    page = window.pages["household"]
    qtbot.waitUntil(lambda: page.model.row_of(form.saved_id) >= 0)    # the page reloads off the GUI thread
    row = page.model.row_of(form.saved_id)
    assert page.view.currentIndex().row() == row                       # and selects what was saved
    assert page.model.data(page.model.index(row, 1)) == "110105********002X"     # masked in lists
    qtbot.keyClicks(page.search, "zs")                                           # pinyin initials
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.record(0)["id"] == form.saved_id)
    residents = window.pages["person"]
    qtbot.keyClicks(residents.search, "lisi")
    qtbot.waitUntil(lambda: residents.model.rowCount() == 1 and residents.model.record(0)["name"] == "李四")


def test_an_invalid_id_number_shows_the_error_and_saves_nothing(qtbot, window, ledger):
    before = (ledger.store.count("household"), replication.pending_count(ledger.store))
    form = open_new_form(qtbot, window, "household")
    type_text(qtbot, form.editors["address"].widget, "幸福村3组12号")
    type_text(qtbot, form.editors["head_name"].widget, "张三")
    qtbot.keyClicks(form.editors["head_id_number"].widget, "110105194912310021")   # wrong check digit
    error = form.errors["head_id_number"]
    qtbot.waitUntil(error.isVisible)
    assert "校验位" in error.text() and "X" in error.text()
    qtbot.keyClick(form.editors["head_name"].widget, Qt.Key.Key_Return)
    assert form.isVisible() and form.saved_id is None
    assert (ledger.store.count("household"), replication.pending_count(ledger.store)) == before
    form.dirty = False
    form.reject()


def test_a_bad_member_keeps_the_whole_household_unsaved(qtbot, window, ledger):
    form = open_new_form(qtbot, window, "household")
    type_text(qtbot, form.editors["address"].widget, "幸福村3组12号")
    type_text(qtbot, form.editors["head_name"].widget, "王五")
    form.add_member()
    set_member(form, 0, name="王小五", id_number="12345")
    assert not form.save()
    assert "第 1 位成员" in form.member_errors.text()
    assert ledger.store.count("household") == 0 and ledger.store.count("person") == 0
    form.dirty = False
    form.reject()


def test_person_form_derives_birth_date_and_gender_and_asks_before_losing_edits(qtbot, window, ledger):
    form = open_new_form(qtbot, window, "person")
    type_text(qtbot, form.editors["name"].widget, "赵六")
    qtbot.keyClicks(form.editors["id_number"].widget, valid_id("42070419800101001"))
    assert form.editors["birth_date"].value() == "1980-01-01"
    assert form.editors["gender"].value() == "male"
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard])
    form.ask_unsaved = lambda: next(answers)
    qtbot.keyClick(form.editors["name"].widget, Qt.Key.Key_Escape)       # Esc: asks, Cancel keeps the form
    assert form.isVisible()
    form.reject()                                                        # Discard closes it
    assert not form.isVisible() and ledger.store.count("person") == 0


def test_a_full_disk_keeps_the_form_open_with_what_was_typed(qtbot, window, ledger, monkeypatch):
    store = ledger.store
    with store.reading() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    store.engine.dispose()
    # SQLite's own cap on the file size: a real SQLITE_FULL, as on a full disk.
    event.listen(store.engine, "connect", lambda c, _r: c.execute(f"PRAGMA max_page_count = {pages}"))
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    form = open_new_form(qtbot, window, "incident")
    type_text(qtbot, form.editors["title"].widget, "楼道堆放杂物" * 300)
    form.editors["title"].widget.setText("楼道堆放杂物")
    type_text(qtbot, form.editors["description"].widget, "三楼楼道堆放大量纸箱，存在火灾隐患。" * 80)
    assert not form.save()
    assert shown and "磁盘已满" in shown[0]
    assert form.isVisible() and form.editors["title"].value() == "楼道堆放杂物"
    form.dirty = False
    form.reject()


def test_a_resident_form_chooses_the_household_by_pinyin(qtbot, window, ledger):
    home = ledger.put("household", {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三"})
    form = open_new_form(qtbot, window, "person")
    picker = form.editors["household_id"].widget
    qtbot.keyClicks(picker.lineEdit(), "zs")
    qtbot.waitUntil(lambda: picker.count() == 1)          # found by the head's pinyin initials
    assert "张三" in picker.itemText(0)
    picker.setCurrentIndex(0)
    type_text(qtbot, form.editors["name"].widget, "张小明")
    qtbot.keyClick(form.editors["name"].widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible())
    assert ledger.get("person", form.saved_id)["household_id"] == home
    assert sorted(m["name"] for m in ledger.members(home)) == ["张三", "张小明"]      # the head came with it


def test_a_household_takes_one_head_and_a_new_member_is_not_another(qtbot, window, ledger):
    form = open_new_form(qtbot, window, "household")
    type_text(qtbot, form.editors["address"].widget, "幸福村3组16号")
    type_text(qtbot, form.editors["head_name"].widget, "张三")
    relation = MEMBER_COLUMNS.index("relation_to_head")
    form.add_member()
    set_member(form, 0, name="张三")
    assert form.table.cellWidget(0, relation).currentText() == "户主"          # the first member heads it
    form.add_member()
    set_member(form, 1, name="李四")
    assert form.table.cellWidget(1, relation).currentText() == ""              # the next one does not
    form.table.cellWidget(1, relation).setCurrentText("户主")                  # two heads: refused, nothing saved
    before = ledger.store.count("household")
    qtbot.keyClick(form.editors["head_name"].widget, Qt.Key.Key_Return)
    assert form.isVisible() and ledger.store.count("household") == before
    form.table.cellWidget(1, relation).setCurrentText("配偶")
    qtbot.keyClick(form.editors["head_name"].widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible())
    members = {m["name"]: m["relation_to_head"] for m in ledger.members(form.saved_id)}
    assert members == {"张三": "户主", "李四": "配偶"}
