"""Calendar pickers in Shanghai time, stored as before; Enter saves a form; the login dialog reads in order."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QLabel, QLineEdit, QPushButton

from desktop.services.incidents import Incidents
from desktop.ui.app import create_application
from desktop.ui.first_run import LoginDialog
from desktop.ui.forms import RecordForm
from desktop.ui.incident_page import IncidentPage
from desktop.ui.local_time import local_minute
from tests.conftest import GRID


@pytest.fixture(autouse=True)
def app():
    return create_application(lang="zh_CN")


def test_a_patrol_is_entered_with_pickers_in_shanghai_time_and_stored_as_iso(qtbot, ledger):
    form = RecordForm(ledger, "patrol")
    qtbot.addWidget(form)
    started, ended = form.editors["started_at"], form.editors["ended_at"]
    assert isinstance(started.widget, QDateTimeEdit) and started.widget.calendarPopup()
    assert ended.value() is None and ended.widget.text() == "（未填）"
    started.set_value("2024-03-01T00:30:00+00:00")                    # stored in UTC by another tool
    assert started.widget.text() == "2024-03-01 08:30"                  # shown in Shanghai time
    ended.set_value("2024-03-01T11:30:00+08:00")
    form.editors["worker"].widget.setText("王")
    form.show()
    qtbot.waitExposed(form)
    qtbot.keyClick(form.editors["worker"].widget, Qt.Key.Key_Return)     # Enter in a field saves the form
    assert form.saved_id is not None
    saved = ledger.store.get("patrol", form.saved_id)
    assert saved["started_at"] == "2024-03-01T08:30:00+08:00" and saved["ended_at"] == "2024-03-01T11:30:00+08:00"


def test_a_birth_date_has_a_date_picker(qtbot, ledger):
    form = RecordForm(ledger, "person")
    qtbot.addWidget(form)
    birth = form.editors["birth_date"]
    assert isinstance(birth.widget, QDateEdit) and birth.widget.calendarPopup() and birth.value() is None
    birth.set_value("1980-01-01")
    assert birth.value() == "1980-01-01" and birth.widget.text() == "1980-01-01"


def test_one_time_zone_in_a_cases_history(qtbot, ledger):
    service = Incidents(ledger.store)
    case = service.report({"grid_code": GRID, "category": "dispute", "title": "纠纷"})
    event = next(e for e in ledger.store.list("incident_event") if e["incident_id"] == case)
    page = IncidentPage(ledger)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.row_of(case) >= 0)
    page.view.selectRow(page.model.row_of(case))
    assert page.history.item(0, 0).text() == local_minute(event["at"])
    assert local_minute("2024-03-01T00:30:00+00:00") == local_minute("2024-03-01T08:30:00+08:00") == "2024-03-01 08:30"


def test_enter_on_a_button_presses_that_button_not_save(qtbot, ledger):
    form = RecordForm(ledger, "patrol")
    qtbot.addWidget(form)
    cancel = form.buttons.button(form.buttons.StandardButton.Cancel)
    form.show()
    cancel.setFocus()
    form.dirty = False
    qtbot.keyClick(cancel, Qt.Key.Key_Return)
    assert form.saved_id is None and not form.isVisible()


@pytest.mark.parametrize("first_run", [True, False])
def test_the_login_dialog_labels_sit_beside_their_fields_and_tab_reads_in_order(qtbot, first_run):
    dialog = LoginDialog(None, first_run=first_run)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = [w for w in dialog.findChildren(QLabel) if w.isVisible() and w.buddy() is not None]
    fields = [w for kind in (QLineEdit, QPushButton) for w in dialog.findChildren(kind) if w.isVisible()] + \
        ([dialog.language_box] if first_run else [])
    for label in labels:
        for field in fields:
            assert not label.geometry().intersects(field.geometry()), (label.text(), field.objectName())
        assert label.geometry().top() > dialog.intro.geometry().top()
    assert dialog.labels[0].isVisible() == first_run                   # 语言 only where it can be chosen
    order, widget = [], dialog.language_box if first_run else dialog.station
    for _ in range(5):
        order.append(widget.objectName())
        widget = widget.nextInFocusChain()
        while not widget.isVisible() or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            widget = widget.nextInFocusChain()
    expected = ["station_url", "user", "password", "ca_bundle", "ca_browse"]
    assert order[-4:] == expected[:4] if first_run else order == expected
