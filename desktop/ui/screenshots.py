"""`python -m desktop.ui.screenshots DIR`: a walkthrough at 1366x768 in zh_CN, as a worker and as a township, to PNGs.

`make screenshots` runs it under Xvfb (a real X server, 1366x768); without a display it renders
offscreen. The township half starts the demo station on loopback (sync.station.demo), signs a
worker's laptop and the township's desk in to it and syncs, so the desk shows what a township sees.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGES = ("dashboard", "household", "person", "building", "organisation", "incident", "patrol", "reports")
GRID = "420704100201-03"
# the duty cycle's pages, after the household form (09): 10-visits, 11-tasks, …
DUTY_PAGES = ("visits", "tasks", "defence", "assessment", "map")
SIZE = (1366, 768)


def _wait(app, condition, timeout_ms: int = 10_000) -> None:
    from PySide6.QtCore import QDeadlineTimer, QThread
    deadline = QDeadlineTimer(timeout_ms)
    while not condition() and not deadline.hasExpired():
        app.processEvents()
        QThread.msleep(20)


def _window(ledger, engine=None):
    from .main_window import MainWindow
    window = MainWindow(ledger, engine, poll_ms=10 ** 9)
    window.resize(*SIZE)
    window.show()
    return window


def _shoot(app, widget, path: Path, written: list[Path]) -> None:
    _wait(app, lambda: False, 400)
    widget.grab().save(str(path))
    written.append(path)


def worker_pages(app, out_dir: Path, written: list[Path]) -> None:
    from desktop.services import Ledger
    from desktop.services.demo import create_demo
    from desktop.store import open_store

    from .forms import open_form

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(folder, passphrase="a throwaway folder for screenshots")
        create_demo(store)
        ledger = Ledger(store)
        window = _window(ledger)
        window.tree.select_code(GRID)
        for n, name in enumerate(PAGES, 1):
            if name == "reports":
                window.tabs.setCurrentWidget(window.reports)
                window.reports.compute()
                _wait(app, lambda: window.reports.report is not None)
            else:
                window.show_page(name)
            if name == "dashboard":
                _wait(app, lambda: window.dashboard.day is not None)
            elif name != "reports":
                _wait(app, lambda page=window.pages[name]: page.model.rowCount() > 0)
            if name in ("household", "incident"):
                window.pages[name].view.selectRow(0)
            _shoot(app, window, out_dir / f"{n:02d}-{name}.png", written)
        form = open_form(ledger, "household", window.pages["household"].model.record(0), window)
        form.show()
        _shoot(app, form, out_dir / f"{len(PAGES) + 1:02d}-household-form.png", written)
        form.dirty = False
        form.close()
        _duty_pages(app, window, out_dir, written)
        window.close()
        store.engine.dispose()


def _duty_pages(app, window, out_dir: Path, written: list[Path]) -> None:
    for number, name in enumerate(DUTY_PAGES, start=len(PAGES) + 2):
        page = window.duty_pages[name]
        window.tabs.setCurrentWidget(page)
        if name in ("visits", "tasks"):
            _wait(app, lambda p=page: p.table.rowCount() > 0)
            page.table.selectRow(0)
        elif name == "defence":
            page.refresh()
            page.table.selectRow(0)
        elif name == "assessment":
            page.compute()
            _wait(app, lambda p=page: p.table.rowCount() > 0)
        elif name == "map":
            _wait(app, lambda: False, 200)
            page.refresh()
        _shoot(app, window, out_dir / f"{number:02d}-{name}.png", written)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def township_pages(app, out_dir: Path, written: list[Path]) -> None:
    import requests

    from desktop.services import Ledger
    from desktop.services.demo import create_demo
    from desktop.services.incidents import Incidents
    from desktop.store import open_store
    from desktop.syncing import SyncEngine

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        port = _free_port()
        station = subprocess.Popen([sys.executable, "-m", "sync.station.demo", "--port", str(port),
                                    "--data", str(root / "station")], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if requests.get(url + "/health", timeout=1).status_code == 200:
                        break
                except requests.ConnectionError:
                    time.sleep(0.1)
            worker_store = open_store(root / "worker", passphrase="a throwaway folder for screenshots")
            create_demo(worker_store, households=60)
            worker_store.set_meta(demo=None)          # this walkthrough's loopback demo station may have it
            cases = Incidents(worker_store)
            for row in cases.cases(GRID, open_only=True)[:3]:
                if row.state.level == "village" and "escalate" in cases.steps_offered(row.state):
                    cases.record(row.incident["id"], "escalate", notes="需镇里协调")
            worker = SyncEngine(worker_store, timeout=(2, 30), retries=0)
            worker.login(url, "worker", "demo-worker-2024")
            worker.sync()
            store = open_store(root / "township", passphrase="a throwaway folder for screenshots")
            engine = SyncEngine(store, timeout=(2, 30), retries=0)
            engine.login(url, "admin", "demo-admin-2024")
            engine.sync()
            # one household's phone changed at the township and on the worker's laptop at once: a conflict
            home = next(h for h in worker_store.list("household") if h["grid_code"] == GRID)
            Ledger(worker_store).put("household", {"id": home["id"], "phone": "13900001111"})
            worker.sync()
            Ledger(store).put("household", {"id": home["id"], "phone": "13900002222"})
            engine.sync()
            window = _window(Ledger(store), engine)
            desk = window.desk
            _wait(app, lambda: desk is not None and "台" in desk.message.text())
            for n, tab in enumerate(("inbox", "conflicts", "laptops"), 1):
                desk.tabs.setCurrentIndex(n - 1)
                if tab == "inbox" and desk.inbox.rowCount():
                    desk.inbox.selectRow(0)
                _shoot(app, window, out_dir / f"2{n}-township-{tab}.png", written)
            window.tree.select_code("420704100")
            window.tabs.setCurrentWidget(window.dashboard)
            _wait(app, lambda: window.dashboard.day is not None and window.dashboard.grid == "420704100")
            _shoot(app, window, out_dir / "24-township-dashboard.png", written)
            window.tabs.setCurrentWidget(window.reports)
            window.reports.compute()
            _shoot(app, window, out_dir / "25-township-reports.png", written)
            window.close()
        finally:
            station.terminate()
            station.wait(10)


def render(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":          # offscreen: a 1366x768 screen too
        screen = Path(tempfile.gettempdir()) / "gridbook-screen-1366x768.json"
        screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": SIZE[0],
                                                    "height": SIZE[1], "logicalDpi": 96, "logicalBaseDpi": 96,
                                                    "dpr": 1}]}))
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    from .app import create_application

    app = create_application(sys.argv[:1], lang="zh_CN")
    written: list[Path] = []
    worker_pages(app, out_dir, written)
    township_pages(app, out_dir, written)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in render(Path(args[0] if args else "docs/screenshots")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
