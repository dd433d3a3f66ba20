"""The recovery-passphrase dialog, driven as a grid worker would: set it twice at the first run, encrypt an
old ledger, enter it when the keyring has no key; a wrong one says so in Chinese and changes nothing."""
import keyring
import pytest
from keyring.backends import fail

from desktop import paths
from desktop.store import keys, open_store
from desktop.store.keys import KeyUnavailable
from desktop.ui.app import create_application
from desktop.ui.passphrase_dialog import CREATE, ENCRYPT, UNLOCK, PassphraseDialog, mode_for
from tests.conftest import GRID
from tests.support import keyed

HOUSEHOLD = {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张秀英"}


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    yield
    keyring.set_keyring(previous)


def dialog_for(qtbot, folder, mode) -> PassphraseDialog:
    create_application(lang="zh_CN")
    dialog = PassphraseDialog(lambda passphrase: open_store(folder, passphrase=passphrase), mode)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_first_run_sets_the_passphrase_twice_with_a_plain_warning(qtbot, data_dir):
    dialog = dialog_for(qtbot, data_dir, CREATE)
    assert dialog.windowTitle() == "设置恢复口令"
    assert "无法找回" in dialog.warning.text() and dialog.warning.isVisible()
    qtbot.keyClicks(dialog.passphrase, "short")      # keyClicks types ASCII only: Chinese goes in by setText
    dialog.ok_button.click()
    assert dialog.message.text() == "恢复口令至少要 8 个字。" and not (data_dir / keys.KEY_FILE).exists()
    assert "至少 8 个字" in dialog.passphrase.placeholderText()
    dialog.passphrase.setText("幸福村第三网格 2026")
    dialog.confirm.setText("幸福村第三网格 2025")
    dialog.ok_button.click()
    assert "两次输入不一样" in dialog.message.text() and dialog.result() == 0
    dialog.confirm.setText("幸福村第三网格 2026")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.ok_button.click()
    assert dialog.store is not None and (data_dir / keys.KEY_FILE).exists()
    dialog.store.put("grid", {"code": GRID, "name": "第三网格", "level": "grid"})
    dialog.store.engine.dispose()


def test_a_wrong_passphrase_says_so_and_changes_nothing_then_the_right_one_opens(qtbot, data_dir):
    store = open_store(data_dir, passphrase="幸福村第三网格 2026")
    store.put("grid", {"code": GRID, "name": "第三网格", "level": "grid"})
    store.put("household", HOUSEHOLD)
    store.engine.dispose()
    keys.forget(data_dir)
    with pytest.raises(KeyUnavailable) as caught:
        open_store(data_dir)
    assert mode_for(caught.value.code, True) == UNLOCK
    before = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}
    dialog = dialog_for(qtbot, data_dir, UNLOCK)
    assert dialog.windowTitle() == "输入恢复口令" and not dialog.confirm.isVisible()
    dialog.passphrase.setText("幸福村第三网格 2025")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled())
    assert dialog.message.text().startswith("恢复口令不对，台账没有打开，什么也没有改动。")
    assert dialog.isVisible() and dialog.store is None and dialog.passphrase.hasSelectedText()
    assert {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()} == before
    dialog.passphrase.setText("幸福村第三网格 2026")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.ok_button.click()
    assert [h["head_name"] for h in dialog.store.list("household")] == ["张秀英"]
    dialog.store.engine.dispose()


def test_an_old_plain_ledger_is_encrypted_from_the_dialog(qtbot, data_dir, tmp_path):
    old = open_store(tmp_path / "old", passphrase="随便什么口令 2026")
    old.put("grid", {"code": GRID, "name": "第三网格", "level": "grid"})
    old.put("household", HOUSEHOLD)
    old.engine.dispose()
    with keyed.connect(old.path) as conn:              # the same ledger as an older build kept it: plain
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(paths.data_file(data_dir)),))
        conn.execute("SELECT sqlcipher_export('plain')")
    with pytest.raises(KeyUnavailable) as caught:
        open_store(data_dir)
    assert mode_for(caught.value.code, True) == ENCRYPT and mode_for(caught.value.code, False) == CREATE
    dialog = dialog_for(qtbot, data_dir, ENCRYPT)
    assert "先备份，再加密" in dialog.intro.text()
    dialog.passphrase.setText("幸福村第三网格 2026")
    dialog.confirm.setText("幸福村第三网格 2026")
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.ok_button.click()
    assert [h["head_name"] for h in dialog.store.list("household")] == ["张秀英"]
    assert "张秀英".encode() not in dialog.store.path.read_bytes()
    dialog.store.engine.dispose()


def test_a_missing_key_file_has_no_dialog_to_offer():
    assert mode_for("store_key_file_missing", True) is None and mode_for("store_unreadable", True) is None
    assert mode_for("store_wrong_passphrase", True) == UNLOCK          # a wrong GRIDBOOK_PASSPHRASE: ask


def answer_the_dialog(qtbot, passphrase: str, again: bool = False):
    """When the modal passphrase dialog is up, type into it and press the button (as the worker would)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def fill():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):
            QTimer.singleShot(50, fill)
            return
        dialog.passphrase.setText(passphrase)
        if again:
            dialog.confirm.setText(passphrase)
        dialog.ok_button.click()
    QTimer.singleShot(50, fill)


def test_the_program_start_asks_for_the_passphrase_when_the_keyring_has_no_key(qtbot, data_dir, monkeypatch):
    from desktop.__main__ import open_encrypted_store

    create_application(lang="zh_CN")
    answer_the_dialog(qtbot, "幸福村第三网格 2026", again=True)          # the first run: set it
    store = open_encrypted_store(data_dir)
    store.put("grid", {"code": GRID, "name": "第三网格", "level": "grid"})
    store.engine.dispose()
    keys.forget(data_dir)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "一个写错了的口令 2026")        # a wrong one in the environment: ask
    answer_the_dialog(qtbot, "幸福村第三网格 2026")
    reopened = open_encrypted_store(data_dir)
    assert [g["code"] for g in reopened.list("grid")] == [GRID]
    reopened.engine.dispose()
