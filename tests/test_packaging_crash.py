"""The crash hook: an unexpected exception is logged to the log file and shown as a friendly dialog."""
import logging
import sys
import threading

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import paths
from desktop.ui import crash


@pytest.fixture
def handler(data_dir, monkeypatch):
    """The hook as desktop/__main__ installs it, undone afterwards (other tests keep pytest's hooks)."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    installed = crash.install(data_dir)
    yield installed
    for dialog in installed.dialogs:
        dialog.close()
    for h in list(logging.getLogger().handlers):
        if getattr(h, "_gridbook", False):
            logging.getLogger().removeHandler(h)
            h.close()


def crash_dialogs() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "gridbook-crash-dialog" and w.isVisible()]


def raise_and_hook(hook, error: Exception) -> None:
    try:
        raise error
    except Exception:
        hook(*sys.exc_info())


def test_install_sets_both_hooks_and_logs_to_the_log_folder(handler, data_dir):
    assert sys.excepthook == handler.excepthook
    assert threading.excepthook == handler.threading_excepthook
    assert handler.log_path == paths.log_dir(data_dir) / "gridbook.log"
    assert "Gridbook starting" in handler.log_path.read_text(encoding="utf-8")


def test_an_exception_is_logged_with_its_traceback_and_shown_in_chinese(qtbot, handler):
    raise_and_hook(sys.excepthook, ValueError("户主姓名为空"))
    log = handler.log_path.read_text(encoding="utf-8")
    # the traceback is logged, its Chinese text masked (it may be a name); the dialog says it in full
    assert "Traceback" in log and "ValueError: ‹…›" in log and "户主姓名为空" not in log
    qtbot.waitUntil(lambda: len(crash_dialogs()) == 1)
    box = crash_dialogs()[0]
    assert box.windowTitle() == "网格台账出错了"
    assert "户主姓名为空" in box.text() and str(handler.log_path) in box.text()
    assert "Traceback" not in box.text()                 # the traceback is behind "Show details" only
    assert "ValueError" in box.detailedText()


def test_an_exception_in_a_worker_thread_reaches_the_gui_thread(qtbot, handler):
    worker = threading.Thread(target=lambda: 1 / 0, name="sync-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(crash_dialogs()) == 1)
    assert "ZeroDivisionError" in crash_dialogs()[0].text()
    assert "in thread sync-worker" in handler.log_path.read_text(encoding="utf-8")


def test_the_message_reads_in_english_too(tmp_path):
    title, text = crash.friendly_message(OSError("disk unplugged"), tmp_path / "gridbook.log", lang="en")
    assert title == "Gridbook ran into a problem"
    assert "OSError: disk unplugged" in text and str(tmp_path / "gridbook.log") in text
    assert "safe" in text


def test_logging_twice_does_not_double_every_line(data_dir):
    path = crash.setup_logging(data_dir)
    crash.setup_logging(data_dir)
    try:
        logging.getLogger("gridbook.test").warning("written once")
        assert path.read_text(encoding="utf-8").count("written once") == 1
    finally:
        for h in list(logging.getLogger().handlers):
            if getattr(h, "_gridbook", False):
                logging.getLogger().removeHandler(h)
                h.close()


def test_an_error_repeating_in_a_loop_opens_one_box_not_hundreds(qtbot, handler):
    for _ in range(20):
        raise_and_hook(sys.excepthook, RuntimeError("paint failed"))
    qtbot.waitUntil(lambda: len(crash_dialogs()) == 1)
    qtbot.wait(50)
    assert len(crash_dialogs()) == 1
    assert handler.log_path.read_text(encoding="utf-8").count("RuntimeError: paint failed") == 20
