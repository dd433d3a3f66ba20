"""The visits page lists who is overdue, records a visit (and the case its needs raise); the resident's form
shows the history; lists and forms of an account not allowed mask the sensitive key groups and keep them."""
import pytest
from PySide6.QtWidgets import QLabel

from desktop.services.visits import Visits
from desktop.ui.app import create_application
from desktop.ui.forms import open_form
from desktop.ui.table_model import display
from desktop.ui.visits_page import VisitDialog, VisitsPage
from tests.conftest import GRID


@pytest.fixture
def people(ledger):
    home = ledger.put("household", {"grid_code": GRID, "address": "幸福村3组8号", "head_name": "刘大爷"})
    elder = next(m["id"] for m in ledger.members(home) if m["relation_to_head"] == "户主")   # made with it
    ledger.put("person", {"id": elder, "tags": ["elderly_alone"]})
    son = ledger.put("person", {"name": "刘小", "household_id": home, "relation_to_head": "子",
                                "tags": ["released_prisoner", "low_income"]})
    return home, elder, son


def test_the_page_lists_overdue_residents_and_records_a_visit_with_its_case(qtbot, ledger, people, tmp_path):
    create_application(lang="zh_CN")
    _home, elder, _son = people
    page = VisitsPage(ledger)
    qtbot.addWidget(page)
    page.set_grid(GRID)
    names = [page.table.item(r, 1).text() for r in range(page.table.rowCount())]
    assert sorted(names) == ["刘大爷", "刘小"] and page.table.item(0, 0).text() == "已超期"
    tags = {page.table.item(r, 1).text(): page.table.item(r, 2).text() for r in range(page.table.rowCount())}
    assert tags["刘小"] == "低保、重点关注（受保护）"            # masked in the list
    page.table.selectRow(names.index("刘大爷"))
    page.record_visit()
    dialog = page.findChild(VisitDialog, "visit_dialog")
    dialog.method.setCurrentIndex(dialog.method.findData("phone"))
    dialog.needs.setPlainText("家中水管冻裂")
    dialog.make_case.setChecked(True)
    assert dialog.save() is False and "标题" in dialog.error.text()       # a case needs a title
    dialog.case_title.setText("水管冻裂维修")
    picture = tmp_path / "水管.jpg"
    picture.write_bytes(b"\xff\xd8\xff a photo of the pipe")
    dialog.attach(picture)
    assert dialog.photo_button.text() == "水管.jpg"
    assert dialog.save()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 1).text() == "刘小"
    history = Visits(ledger.store).history(elder)
    assert history[0]["method"] == "phone" and history[0]["cases"][0]["title"] == "水管冻裂维修"
    page.show_all.setChecked(True)
    qtbot.waitUntil(lambda: page.table.rowCount() == 2)
    row = [page.table.item(r, 1).text() for r in range(2)].index("刘大爷")
    page.table.selectRow(row)
    assert page.history.item(0, 1).text() == "电话" and page.history.item(0, 5).text() == "水管冻裂维修"
    assert page.history.item(0, 6).text() == "有" and history[0]["photo_size"] == picture.stat().st_size


def test_the_residents_form_shows_visits_and_keeps_protected_groups_hidden(qtbot, ledger, people):
    create_application(lang="zh_CN")
    _home, elder, son = people
    Visits(ledger.store).record(elder, findings="精神尚好")
    form = open_form(ledger, "person", ledger.get("person", elder))
    qtbot.addWidget(form)
    assert form.visits.rowCount() == 1 and form.visits.item(0, 3).text() == "精神尚好"
    form.reject()
    form = open_form(ledger, "person", ledger.get("person", son))
    qtbot.addWidget(form)
    tags = form.editors["tags"].widget
    assert tags.boxes["released_prisoner"].isHidden() and not tags.boxes["low_income"].isHidden()
    assert tags.findChild(QLabel, "protected_note") is not None
    tags.boxes["low_income"].setChecked(False)
    form.editors["tags"].edited.emit("tags")
    assert form.save()
    assert ledger.get("person", son)["tags"] == ["released_prisoner"]      # kept, though not shown
    assert display("tags", ["released_prisoner"]) == "重点关注（受保护）"


def test_an_allowed_role_sees_and_edits_the_protected_groups(qtbot, ledger, people):
    create_application(lang="zh_CN")
    _home, _elder, son = people
    ledger.store.set_meta(role="township")                 # the default setting lets townships see them
    form = open_form(ledger, "person", ledger.get("person", son))
    qtbot.addWidget(form)
    box = form.editors["tags"].widget.boxes["released_prisoner"]
    assert not box.isHidden() and box.isChecked()
    box.setChecked(False)
    form.editors["tags"].edited.emit("tags")
    assert form.save()
    assert ledger.get("person", son)["tags"] == ["low_income"]


@pytest.mark.parametrize("role", ["worker", "township"])
def test_the_export_dialog_offers_the_protected_groups_only_to_an_allowed_role(qtbot, ledger, people, tmp_path,
                                                                                 role):
    from openpyxl import load_workbook

    from desktop.ui.export_dialog import ExportDialog

    create_application(lang="zh_CN")
    ledger.store.set_meta(role=role)
    dialog = ExportDialog(ledger)
    qtbot.addWidget(dialog)
    assert dialog.sensitive_box.isHidden() == (role == "worker")
    dialog.sensitive_box.setChecked(True)                  # ticked, but hidden for the worker: not asked for
    dialog.what_combo.setCurrentIndex(dialog.what_combo.findData("person"))
    dialog.path_edit.setText(str(tmp_path / "人口.xlsx"))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=10_000)
    cells = {c.value for row in load_workbook(tmp_path / "人口.xlsx").active.iter_rows() for c in row}
    assert ("刑满释放人员、低保" in cells) == (role == "township") and ("低保" in cells) == (role == "worker")


@pytest.mark.parametrize("role, offered", [("worker", False), ("township", True)])
def test_the_key_group_filter_offers_the_protected_groups_only_to_an_allowed_role(qtbot, ledger, role, offered):
    from desktop.ui.pages import make_page

    create_application(lang="zh_CN")
    ledger.store.set_meta(role=role)
    page = make_page(ledger, "person")
    qtbot.addWidget(page)
    choices = [page.tag_filter.itemData(i) for i in range(page.tag_filter.count())]
    assert "elderly_alone" in choices and ("drug_user" in choices) == offered
