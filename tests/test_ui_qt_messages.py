"""Two ways the Qt layer killed whole test runs (and would kill a long day's session), kept shut.

1. A Qt warning on a pool thread (libjpeg on a truncated photo) while the message handler is set
   back to None: PySide's trampoline looks the Python handler up only after it has the GIL, finds
   NULL and segfaults. pytest-qt sets it back after every test; tests/test_incident_ui.py died so
   about 1 run in 10. The workbench keeps one handler for the process's life (qt_messages), so
   whoever swaps handlers puts a callable back, never None.
2. PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a method that returns
   nothing: after a few thousand setEnabled()s the interpreter aborts ("deallocating None").
   The lock pins 6.11.3 until a release without it.
Each check runs in a child process, so a crash fails the test instead of ending the run.
"""
import os
import subprocess
import sys
import textwrap

from desktop.ui import qt_messages


def run_child(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script), *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_the_workbench_keeps_a_python_message_handler_so_a_swap_never_leaves_none():
    child = run_child("""
        from PySide6.QtCore import qInstallMessageHandler
        from desktop.ui.app import create_application

        create_application(lang="zh_CN")
        previous = qInstallMessageHandler(lambda kind, context, message: None)   # what pytest-qt does
        qInstallMessageHandler(previous)                                         # ... and undoes
        print(getattr(previous, "__qualname__", repr(previous)))
    """)
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.split() == ["forward"]


def test_pytest_qt_puts_back_the_workbench_handler_after_each_test(request):
    # conftest installs it at import, so the handler pytest-qt saved for this test (and restores
    # after it) is the workbench's, not None
    assert request.node.qt_log_capture._previous_handler is qt_messages.forward


def test_qt_warnings_from_a_pool_thread_reach_the_log(tmp_path):
    child = run_child("""
        import logging, sys
        from PySide6.QtCore import QSize
        from desktop.store import open_store, photo_blobs
        from desktop.ui.app import create_application
        from desktop.ui.photo_strip import read_image
        from desktop.ui.tasks import TaskRunner

        logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format="%(name)s %(message)s")
        app = create_application(lang="zh_CN")
        store = open_store(sys.argv[1])              # photos are sealed in their data folder
        sha256, _size = photo_blobs.keep(store, b"\\xff\\xd8\\xff photo")   # a photo cut short in transfer
        photo = photo_blobs.path_of(store, sha256)
        runner = TaskRunner()
        runner.run(lambda: read_image(photo, QSize(96, 96)), lambda image: app.quit(), lambda exc: app.exit(3))
        app.exec()
        runner.shutdown()
    """, str(tmp_path / "data"))
    assert child.returncode == 0, child.stderr[-2000:]
    assert "qt qt.gui.imageio.jpeg:" in child.stdout


def test_a_day_of_void_calls_does_not_use_up_none():
    child = run_child("""
        from PySide6.QtWidgets import QApplication, QCheckBox
        app = QApplication([])
        box = QCheckBox()
        for _ in range(50_000):              # a long day of clicks; None has ~5000 references
            box.setEnabled(True)
        print("alive")
    """)
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.strip() == "alive"
