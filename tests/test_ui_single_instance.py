"""One workbench per data folder: a second start brings the first forward, or says why it cannot."""
import os
import signal
import subprocess
import sys
import time

from PySide6.QtWidgets import QMessageBox

from desktop.ui.app import create_application
from desktop.ui.single_instance import LOCK_FILE, SingleInstance, already_open
from tests.support.cli_process import ROOT


def start_workbench(folder) -> subprocess.Popen:
    """`gridbook --data FOLDER` as its own process, offscreen, past the first-run dialog."""
    (folder / "gridbook.ini").write_text("[General]\nfirst_run_done=true\nlanguage=zh_CN\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, "-m", "desktop", "--data", str(folder)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.kill()
    out, _ = process.communicate(timeout=30)
    return out.decode("utf-8", "replace")


def test_a_second_start_on_the_same_folder_brings_the_first_forward_and_exits(qtbot, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    create_application(lang="zh_CN")
    first = SingleInstance(folder)
    assert first.acquire()
    second = start_workbench(folder)
    try:
        with qtbot.waitSignal(first.activated, timeout=30_000):
            pass
        assert second.wait(30) == 0
    finally:
        output = stop(second)
        first.release()
    assert "Traceback" not in output


def test_a_folder_held_by_a_window_that_does_not_answer_is_refused_with_a_message(qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    create_application(lang="zh_CN")
    holder = SingleInstance(folder)
    assert holder.lock.tryLock(100)            # the folder is held, but nothing listens
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    try:
        assert already_open(SingleInstance(folder)) == 1
    finally:
        holder.lock.unlock()
    assert len(shown) == 1 and "已经打开" in shown[0] and str(folder) in shown[0]


def test_the_lock_of_a_workbench_that_was_killed_does_not_keep_the_folder(qtbot, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    create_application(lang="zh_CN")
    first = start_workbench(folder)
    try:
        deadline = time.monotonic() + 30
        while not (folder / LOCK_FILE).exists() and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.05)
        assert (folder / LOCK_FILE).exists(), stop(first)
        guard = SingleInstance(folder)
        assert not guard.acquire()                 # held while the first one runs
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert guard.acquire()                     # its process is gone: the lock is stale
        guard.release()
    finally:
        stop(first)
