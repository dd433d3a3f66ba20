"""A full disk while saving the household form (一户一表): a clear 磁盘已满 message, the form stays open with
everything typed (household and members), nothing half-written, the file sound; with space freed, the same
form saves, once."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import event

from desktop.store import replication
from desktop.ui.app import create_application
from desktop.ui.forms import RecordForm
from desktop.ui.household_form import MEMBER_COLUMNS, HouseholdForm
from desktop.ui.main_window import MainWindow
from sync.validation import id_check_char
from tests.support import keyed

HEAD_ID = "11010519491231002X"
SPOUSE_ID = "11010519520315002" + id_check_char("11010519520315002")
NOTES = ("户主常年在外务工，家中老人独居，需每周走访一次。" * 80)[:1990]     # near the limit: new pages needed


@pytest.fixture
def window(qtbot, ledger):
    create_application(lang="zh_CN")
    shown = MainWindow(ledger)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def cap_the_file(store) -> object:
    """SQLite's own limit on the file size: the next page it needs is a real SQLITE_FULL, as on a full disk."""
    with store.reading() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    def cap(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")
    store.engine.dispose()
    event.listen(store.engine, "connect", cap)
    return cap


def fill_the_form(qtbot, window) -> HouseholdForm:
    window.show_page("household")
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(RecordForm) is not None and window.findChild(RecordForm).isVisible())
    form = window.findChild(RecordForm)
    assert isinstance(form, HouseholdForm)
    form.editors["address"].set_value("幸福村3组12号")
    form.editors["head_name"].set_value("张三")
    form.editors["head_id_number"].set_value(HEAD_ID)
    form.editors["phone"].set_value("13800138000")
    form.editors["notes"].set_value(NOTES)
    for row, (name, number) in enumerate((("张三", HEAD_ID), ("李四", SPOUSE_ID))):
        form.add_member()
        form.table.item(row, MEMBER_COLUMNS.index("name")).setText(name)
        form.table.item(row, MEMBER_COLUMNS.index("id_number")).setText(number)
    form.dirty = True
    return form


def typed(form: HouseholdForm) -> tuple:
    fields = {name: form.editors[name].value() for name in ("address", "head_name", "head_id_number", "phone", "notes")}
    members = [(form.table.item(r, MEMBER_COLUMNS.index("name")).text(),
                form.table.item(r, MEMBER_COLUMNS.index("id_number")).text()) for r in range(form.table.rowCount())]
    return fields, members


# SQLITE_FULL rolls back the whole transaction, so the savepoint of a nested Store.atomic() is gone:
# its ROLLBACK TO SAVEPOINT fails with "no such savepoint", which the outer atomic() does not turn into
# StorageFullError, and a raw OperationalError escapes the form. Strict: remove this mark once fixed.
def test_a_full_disk_keeps_the_household_form_and_its_members_then_saves_once(qtbot, window, ledger, monkeypatch):
    store = ledger.store
    before = (store.count("household"), store.count("person"), replication.pending_count(store))
    alerts = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: alerts.append(text))
    cap = cap_the_file(store)
    form = fill_the_form(qtbot, window)
    what_was_typed = typed(form)

    assert form.save() is False
    assert alerts and "磁盘已满" in alerts[0] and "Traceback" not in alerts[0]
    assert form.isVisible() and typed(form) == what_was_typed and form.saved_id is None
    # one transaction for the household and its members: none of it, and no change to send
    assert (store.count("household"), store.count("person"), replication.pending_count(store)) == before
    with keyed.connect(store.path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    event.remove(store.engine, "connect", cap)          # the worker freed some space
    store.engine.dispose()
    assert form.save() is True and len(alerts) == 1
    saved = ledger.get("household", form.saved_id)
    assert saved["notes"] == NOTES and saved["head_name"] == "张三"
    assert sorted(m["name"] for m in ledger.members(form.saved_id)) == ["张三", "李四"]
    assert store.count("household") == before[0] + 1 and store.count("person") == before[1] + 2
    assert replication.pending_count(store) == before[2] + 3          # the household and two members, once
