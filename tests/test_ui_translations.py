"""Chinese first: every UI string has a finished zh_CN translation, the .qm is current, Qt's own loads."""
import re
import xml.etree.ElementTree as ET

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox

from desktop.ui import translations
from desktop.ui.app import create_application, install_language

PLACEHOLDER = re.compile(r"%\d")


def messages(ts_file):
    for context in ET.parse(ts_file).getroot().iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name"), message.findtext("source"), message.find("translation")


def test_every_source_string_has_a_finished_translation_keeping_its_placeholders():
    found = list(messages(translations.TS_FILE))
    assert len(found) > 50
    problems = [(ctx, src) for ctx, src, tr in found
                if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete") or not (tr.text or "").strip()
                or sorted(PLACEHOLDER.findall(src)) != sorted(PLACEHOLDER.findall(tr.text or ""))]
    assert problems == []


def test_the_ts_file_holds_every_string_of_the_sources(tmp_path):
    """Run lupdate on a copy: a tr() string added to the code without a translation fails here."""
    copy = tmp_path / "gridbook_zh_CN.ts"
    copy.write_bytes(translations.TS_FILE.read_bytes())
    translations.update(copy)
    committed = {(c, s) for c, s, _ in messages(translations.TS_FILE)}
    current = {(c, s) for c, s, _ in messages(copy)}
    assert current - committed == set(), "run `make translations` and translate the new strings"


def test_the_built_qm_translates_and_qt_dialogs_speak_chinese(qtbot):
    assert translations.TS_FILE.with_suffix(".qm").stat().st_mtime >= translations.TS_FILE.stat().st_mtime - 1
    app = create_application(lang="zh_CN")
    assert QCoreApplication.translate("MainWindow", "Households") == "住户"
    assert QCoreApplication.translate("SyncStatusBar", "Online") == "在线"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"      # qtbase_zh_CN.qm
    install_language(app, "en")
    assert QCoreApplication.translate("MainWindow", "Households") == "Households"
    install_language(app, "zh_CN")
