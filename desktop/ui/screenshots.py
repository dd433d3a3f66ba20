"""`python -m desktop.ui.screenshots DIR`: render the main pages offscreen in zh_CN to PNG files."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

PAGES = ("dashboard", "household", "person", "building", "organisation", "incident", "patrol")
# the duty cycle's pages, after the household form (08): 09-visits, 10-tasks, …
DUTY_PAGES = ("visits", "tasks", "defence", "assessment", "map")
GRID = "420704100201-02"


def _wait(app, condition, timeout_ms: int = 10_000) -> None:
    from PySide6.QtCore import QDeadlineTimer, QThread
    deadline = QDeadlineTimer(timeout_ms)
    while not condition() and not deadline.hasExpired():
        app.processEvents()
        QThread.msleep(20)


def render(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.services import Ledger
    from desktop.services.demo import create_demo
    from desktop.store import open_store

    from .app import create_application
    from .forms import open_form
    from .main_window import MainWindow

    out_dir.mkdir(parents=True, exist_ok=True)
    app = create_application(sys.argv[:1], lang="zh_CN")
    written = []
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(folder, passphrase="a throwaway folder for screenshots")
        create_demo(store)
        ledger = Ledger(store)
        window = MainWindow(ledger)
        window.resize(1280, 800)
        window.show()
        window.tree.select_code(GRID)
        for name in PAGES:
            window.show_page(name)
            if name == "dashboard":
                _wait(app, lambda: window.dashboard.table.rowCount() > 0)
            if name != "dashboard":
                _wait(app, lambda page=window.pages[name]: page.model.rowCount() > 0)
            if name == "household":
                window.pages[name].view.selectRow(0)
            _wait(app, lambda: False, 300)
            path = out_dir / f"{PAGES.index(name) + 1:02d}-{name}.png"
            window.grab().save(str(path))
            written.append(path)
        page = window.pages["household"]
        form = open_form(ledger, "household", page.model.record(0), window)
        form.show()
        _wait(app, lambda: False, 300)
        path = out_dir / "08-household-form.png"
        form.grab().save(str(path))
        written.append(path)
        form.dirty = False
        form.close()
        written += _duty_pages(app, window, out_dir)
        window.close()
        store.engine.dispose()
    return written


def _duty_pages(app, window, out_dir: Path) -> list[Path]:
    written = []
    for number, name in enumerate(DUTY_PAGES, start=9):
        page = window.duty_pages[name]
        window.tabs.setCurrentWidget(page)
        if name == "visits":
            _wait(app, lambda p=page: p.table.rowCount() > 0)
            page.table.selectRow(0)
        elif name == "tasks":
            _wait(app, lambda p=page: p.table.rowCount() > 0)
        elif name == "defence":
            page.refresh()
            page.table.selectRow(0)
        elif name == "assessment":
            page.compute()
            _wait(app, lambda p=page: p.table.rowCount() > 0)
        elif name == "map":
            _wait(app, lambda: False, 200)
            page.refresh()
        _wait(app, lambda: False, 300)
        path = out_dir / f"{number:02d}-{name}.png"
        window.grab().save(str(path))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in render(Path(args[0] if args else "docs/screenshots")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
