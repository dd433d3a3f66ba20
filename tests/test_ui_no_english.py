"""No English shows through in zh_CN: every page, form and dialog is walked for ASCII words that are not codes."""
import re

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)

from desktop.services.demo import create_demo
from desktop.services.township import Laptop
from desktop.syncing.transport import describe
from desktop.ui.app import create_application
from desktop.ui.first_run import LoginDialog
from desktop.ui.forms import RecordForm
from desktop.ui.main_window import PAGE_TYPES, MainWindow
from desktop.ui.report_page import ReportPage
from desktop.ui.sync_status import SetAsideDialog
from desktop.ui.township_desk import TownshipDesk
from sync import messages
from sync.validation import ValidationError, clean_record, id_check_char

# Words that are names, formats or units, not English prose.
ALLOWED = {"gridbook", "pdf", "excel", "csv", "xlsx", "xls", "json", "http", "https", "pem", "crt", "english",
           "jpg", "jpeg", "png", "id", "ok", "wps", "sqlite", "cst", "utc"}
WORD = re.compile(r"[A-Za-z]{2,}")


def english(text: str) -> list[str]:
    text = re.sub(r"https?://\S+|[\w.-]+@[\w.-]+|\*\.\w+|\(\*\)|[/\\][\w./\\-]*", " ", text or "")
    return [w for w in WORD.findall(text) if w.lower() not in ALLOWED]


def texts_of(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything a person reads in `root` (visible or on a tab a click away)."""
    found = [(root.objectName() or type(root).__name__, root.windowTitle())]
    for widget in [root, *root.findChildren(QWidget)]:
        name = f"{type(widget).__name__}:{widget.objectName()}"
        if isinstance(widget, (QLabel, QAbstractButton)):
            found.append((name, widget.text()))
        if isinstance(widget, QGroupBox):
            found.append((name, widget.title()))
        if isinstance(widget, QLineEdit):
            found.append((name, widget.placeholderText()))
        if isinstance(widget, QComboBox) and not widget.isEditable():
            found += [(name, widget.itemText(i)) for i in range(widget.count())]
        if isinstance(widget, QTabWidget):
            found += [(name, widget.tabText(i)) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:                              # a list model: no header
                columns = 0
            found += [(name, str(model.headerData(c, Qt.Orientation.Horizontal) or "")) for c in range(columns)]
        if widget.toolTip():
            found.append((name, widget.toolTip()))
    return found


def assert_chinese(root: QWidget) -> None:
    leaks = [(where, text) for where, text in texts_of(root) if english(text)]
    assert not leaks, leaks


@pytest.fixture
def demo_window(qtbot, ledger):
    create_application(lang="zh_CN")
    create_demo(ledger.store)
    window = MainWindow(ledger, poll_ms=10 ** 9)
    qtbot.addWidget(window)
    window.show()
    return window


def test_every_page_and_menu_of_the_workbench_reads_in_chinese(qtbot, demo_window):
    window = demo_window
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(20)
    window.dashboard.refresh()
    qtbot.waitUntil(lambda: window.dashboard.day is not None)
    assert_chinese(window)
    for menu_action in window.menuBar().actions():
        assert not english(menu_action.text().replace("&", "")), menu_action.text()
        for action in menu_action.menu().actions():
            assert not english(action.text()), action.text()


@pytest.mark.parametrize("record_type", PAGE_TYPES)
def test_every_form_reads_in_chinese(qtbot, ledger, record_type):
    create_application(lang="zh_CN")
    form = RecordForm(ledger, record_type)
    qtbot.addWidget(form)
    assert_chinese(form)


def test_the_dialogs_read_in_chinese(qtbot, ledger):
    create_application(lang="zh_CN")
    for dialog in (LoginDialog(None, first_run=True), LoginDialog(None), SetAsideDialog(ledger)):
        qtbot.addWidget(dialog)
        assert_chinese(dialog)
    files = QFileDialog(None, "保存报表", "", "Excel (*.xlsx)")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)      # Qt's own dialog, as offscreen and on Linux
    qtbot.addWidget(files)
    assert_chinese(files)


def test_the_township_desk_reads_in_chinese(qtbot, ledger):
    create_application(lang="zh_CN")
    desk = TownshipDesk(ledger, None, None)
    qtbot.addWidget(desk)
    desk.refresh_inbox()
    desk._show_laptops([Laptop("d", "电脑", "wang", ["420704100201-03"], 1, None, 0, False, 10 ** 12)])
    assert_chinese(desk)


def test_messages_name_values_and_network_failures_in_chinese(ledger):
    with pytest.raises(ValidationError) as caught:
        female = "42070419800101002"                       # 17th digit even: a woman
        clean_record("person", {"household_id": "h", "name": "张三", "id_number": female + id_check_char(female),
                                "gender": "male"})
    text = caught.value.message()
    assert "女" in text and not english(text), text
    for reason in (ConnectionRefusedError("Connection refused"), OSError("Name or service not known")):
        assert not english(describe(reason)), describe(reason)
    assert messages.language() == "zh_CN"


def test_a_report_is_saved_under_its_unit_and_date_by_default(qtbot, ledger):
    create_application(lang="zh_CN")
    page = ReportPage(ledger)
    qtbot.addWidget(page)
    page.unit.setCurrentIndex(page.unit.findData("420704100201-03"))
    day = page.end.date().toString("yyyy-MM-dd")
    assert page.file_name("xlsx") == f"报表-幸福村第三网格-{day}.xlsx"
