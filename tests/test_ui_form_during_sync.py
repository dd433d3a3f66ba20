"""A form left open while a sync pulls another laptop's edit: the save keeps what was pulled,
and where both changed the same field the worker is told and the station keeps a conflict."""
import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.store import replication
from desktop.ui.app import create_application
from desktop.ui.forms import open_form
from sync import clock
from tests.support.clients import (
    Client,
    household,
    local_grids,
    new_user,
    station_records,
)
from tests.test_ui_forms import type_text

OTHER_DEVICE = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"


def open_household_form(qtbot, ledger, household_id):
    create_application(lang="zh_CN")
    form = open_form(ledger, "household", ledger.get("household", household_id))
    qtbot.addWidget(form)
    form.show()
    return form


def pulled_phone(store, household_id, phone):
    """What a pull brings: another laptop's newer stamp on the phone field."""
    stamp = clock.stamp(store.clock.now() + 1000, OTHER_DEVICE)
    replication.apply_remote(store, [{"type": "household", "id": household_id,
                                      "f": {"phone": phone}, "c": {"phone": stamp}}])
    return stamp


def last_change(store):
    return replication.next_batch(store, limit=10_000, after=0)[-1]


def test_a_pulled_value_survives_a_save_of_another_field(qtbot, ledger):
    store = ledger.store
    hid = ledger.put("household", household(1, phone="13800138000"))
    opened = dict(store.get("household", hid)["clocks"])
    form = open_household_form(qtbot, ledger, hid)
    pulled_phone(store, hid, "13900139000")             # a background sync, while the form is open
    address = form.editors["address"].widget
    address.clear()
    type_text(qtbot, address, "幸福村3组99号")
    assert form.save()
    row = store.get("household", hid)
    assert row["phone"] == "13900139000" and row["address"] == "幸福村3组99号"
    change = last_change(store)
    assert set(change["fields"]) == {"address"}
    # the base is what the worker saw when the form opened
    assert change["base"]["address"] == opened["address"]
    assert change["base"]["*"] == max(opened.values())


def test_a_member_pulled_while_the_form_is_open_keeps_its_new_value(qtbot, ledger):
    store = ledger.store
    hid = ledger.put("household", household(2))
    pid = ledger.put("person", {"household_id": hid, "name": "张三", "id_number": "11010519491231002X"})
    form = open_household_form(qtbot, ledger, hid)
    stamp = clock.stamp(store.clock.now() + 1000, OTHER_DEVICE)
    replication.apply_remote(store, [{"type": "person", "id": pid, "f": {"phone": "13700137000"},
                                      "c": {"phone": stamp}}])
    head = form.editors["head_name"].widget
    head.clear()
    type_text(qtbot, head, "李四")
    assert form.save()
    assert store.get("person", pid)["phone"] == "13700137000"
    assert store.get("household", hid)["head_name"] == "李四"


@pytest.mark.usefixtures("file_tokens")
def test_the_same_field_changed_on_both_laptops_is_told_and_kept_as_a_conflict(qtbot, sync_station, tmp_path,
                                                                              monkeypatch):
    from desktop.services import Ledger
    user = new_user(sync_station)
    here, there = Client(tmp_path / "here"), Client(tmp_path / "there")
    try:
        for laptop in (here, there):
            local_grids(laptop)
            laptop.login(sync_station.url, user)
        hid = here.put("household", household(3, phone="13800138000"))
        here.sync()
        there.sync()
        ledger = Ledger(here.store)
        form = open_household_form(qtbot, ledger, hid)
        there.put("household", {"id": hid, "phone": "13900139000"})      # the other laptop changes the phone
        there.sync()
        here.sync()                                                       # pulled while the form is open
        told = []
        monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: told.append(text))
        phone = form.editors["phone"].widget
        phone.clear()
        qtbot.keyClicks(phone, "13700137000")
        assert form.save()
        assert len(told) == 1
        assert "电话" in told[0] and "13900139000" in told[0] and "13700137000" in told[0]
        assert here.store.get("household", hid)["phone"] == "13700137000"
        here.sync()
        assert station_records(sync_station, "household", [hid])[hid]["phone"] == "13700137000"
        from sqlalchemy import select

        from sync.station import tables
        engine = sync_station.engine()
        with engine.connect() as conn:
            found = conn.execute(select(tables.conflict).where(tables.conflict.c.record_id == hid)).mappings().all()
        engine.dispose()
        hard = [c for c in found if c["kind"] == "hard"]
        assert [(c["field"], c["kept_value"], c["lost_value"]) for c in hard] == \
            [("phone", "13700137000", "13900139000")]
    finally:
        here.close()
        there.close()


@pytest.mark.parametrize("lang", ["en"])
def test_the_overlap_message_is_in_english_too(qtbot, ledger, monkeypatch, lang):
    store = ledger.store
    hid = ledger.put("household", household(4, phone="13800138000"))
    create_application(lang=lang)
    try:
        form = open_form(ledger, "household", ledger.get("household", hid))
        qtbot.addWidget(form)
        form.show()
        pulled_phone(store, hid, "13900139000")
        told = []
        monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: told.append(text))
        phone = form.editors["phone"].widget
        phone.clear()
        qtbot.keyClicks(phone, "13700137000")
        assert form.save()
        assert told and "phone" in told[0] and "13900139000" in told[0] and "kept" in told[0]
    finally:
        create_application(lang="zh_CN")
