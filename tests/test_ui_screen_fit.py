"""The window fits a 1366x768 laptop at 100% and 125% scaling: every page, with the status bar and 同步 on screen.

Each size runs in a child process: the screen (Qt's offscreen platform, given a 1366x768 screen)
and QT_SCALE_FACTOR are fixed when the QApplication is made.
"""
import json
import os
import subprocess
import sys
import textwrap

import pytest

CHECK = textwrap.dedent("""
    import json, sys, tempfile
    from pathlib import Path
    from PySide6.QtCore import QPoint, QRect
    from desktop.services import Ledger
    from desktop.services.demo import create_demo
    from desktop.store import open_store
    from desktop.ui.app import create_application
    from desktop.ui.main_window import MainWindow

    app = create_application(lang="zh_CN")
    store = open_store(Path(tempfile.mkdtemp()))
    create_demo(store)
    window = MainWindow(Ledger(store), poll_ms=10 ** 9)
    window.show()
    screen = app.primaryScreen().availableGeometry()
    report = {"screen": [screen.width(), screen.height()], "pages": {}}

    def on_screen(widget):
        top_left = widget.mapToGlobal(QPoint(0, 0))
        box = QRect(top_left, widget.size())
        return widget.isVisible() and screen.contains(box)

    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        for _ in range(20):
            app.processEvents()
        report["pages"][window.tabs.tabText(index)] = {
            "window": screen.contains(window.frameGeometry()),
            "status_bar": on_screen(window.statusBar()),
            "sync_button": on_screen(window.sync_bar.sync_button),
            "pending": on_screen(window.sync_bar.pending_label),
        }
    print(json.dumps(report, ensure_ascii=False))
""")


@pytest.mark.parametrize("scale", ["1", "1.25"])
def test_every_page_fits_a_1366x768_screen(tmp_path, scale):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": scale}
    child = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=180, env=env)
    assert child.returncode == 0, child.stderr[-2000:]
    report = json.loads(child.stdout.strip().splitlines()[-1])
    assert report["screen"] == ([1366, 768] if scale == "1" else [1093, 614])
    assert len(report["pages"]) >= 8
    for page, seen in report["pages"].items():
        assert all(seen.values()), (page, seen)
