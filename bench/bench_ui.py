"""The desktop: the residents page over 200,000 rows (first paint, memory) and cold start to the first window.

Each measurement runs in a fresh process (`python -m bench.bench_ui page FOLDER`), offscreen, so
imports and memory are the program's alone. References in the same run: the same page over 1,000
residents (a lazy page should not care how many rows the table holds), and for the cold start a
bare PySide6 window (QApplication + QMainWindow shown) and the import of PySide6.QtWidgets alone,
the floor no Qt program starts under.
"""
from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from .common import GRID, Figure, households, residents

ROOT = Path(__file__).resolve().parents[1]
RESIDENTS, QUICK_RESIDENTS, REFERENCE_RESIDENTS = 200_000, 20_000, 1_000
RUNS = 3
BARE_WINDOW = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 800)
window.show()
while not (window.windowHandle() and window.windowHandle().isExposed()):
    app.processEvents()
    time.sleep(0.005)
print("main window shown", flush=True)
"""


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def fill(folder: Path, n: int) -> None:
    from desktop.store import open_store
    rng = random.Random(7)
    store = open_store(folder)
    store.put("grid", {"code": GRID[:12], "name": "幸福村", "level": "village"})
    store.put("grid", {"code": GRID, "name": "幸福村第三网格", "level": "grid", "parent_code": GRID[:12]})
    homes: list[str] = []
    for start in range(0, max(n // 3, 1), 20_000):
        homes += store.put_many("household", households(min(20_000, n // 3 - start) or 1, rng))
    for start in range(0, n, 50_000):
        store.put_many("person", residents(min(50_000, n - start), homes, rng))
    store.engine.dispose()


def measure_page(folder: str) -> dict:
    """In this (fresh) process: open the main window on the residents page; ms to the first paint with rows."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject

    from desktop.services import Ledger
    from desktop.store import open_store
    from desktop.ui.app import create_application
    from desktop.ui.main_window import MainWindow

    store = open_store(folder)
    ledger = Ledger(store)
    app = create_application(sys.argv[:1], lang="zh_CN")
    before = rss_mb()
    painted: dict = {}

    class PaintWatch(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and "at" not in painted and page.model.rowCount() > 0:
                painted["at"] = time.perf_counter()
            return False

    started = time.perf_counter()
    window = MainWindow(ledger)
    page = window.pages["person"]
    watch = PaintWatch()
    page.view.viewport().installEventFilter(watch)
    window.resize(1280, 800)
    window.show()
    window.show_page("person")
    deadline = started + 60
    while "at" not in painted and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    after = rss_mb()
    result = {"first_paint_ms": (painted.get("at", float("nan")) - started) * 1000, "rss_delta_mb": after - before,
              "rss_mb": after, "rows_loaded": page.model.rowCount(), "total": store.count("person")}
    window.close()
    store.engine.dispose()
    return result


def page_in_a_process(folder: Path) -> dict:
    """The run with the median first paint of RUNS fresh processes."""
    runs = sorted((one_page_process(folder) for _ in range(RUNS)), key=lambda r: r["first_paint_ms"])
    return runs[len(runs) // 2]


def one_page_process(folder: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.bench_ui", "page", str(folder)], capture_output=True,
                         text=True, cwd=ROOT, timeout=300, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if out.returncode != 0:
        raise RuntimeError(f"bench_ui page failed: {out.stderr[-2000:]}")
    return orjson.loads(out.stdout.strip().splitlines()[-1])


def until_line(command: list[str], line: str | None, timeout: float = 120) -> float:
    """Seconds from spawning `command` to `line` on its stdout (to its exit if `line` is None)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
                               env=env)
    try:
        if line is None:
            process.wait(timeout)
            return time.perf_counter() - started
        for text in process.stdout:
            if line in text:
                return time.perf_counter() - started
        raise RuntimeError(f"{' '.join(command)} ended without printing {line!r}")
    finally:
        process.kill()
        process.wait()


def median_of(command: list[str], line: str | None) -> float:
    return statistics.median(until_line(command, line) for _ in range(RUNS))


def run(quick: bool = False) -> list[Figure]:
    n = QUICK_RESIDENTS if quick else RESIDENTS
    with tempfile.TemporaryDirectory(prefix="gridbook-ui-") as tmp:
        fill(Path(tmp) / "big", n)
        fill(Path(tmp) / "small", REFERENCE_RESIDENTS)
        big, small = page_in_a_process(Path(tmp) / "big"), page_in_a_process(Path(tmp) / "small")
    py = sys.executable
    cold = median_of([py, "-m", "desktop", "--selftest"], "main window shown")
    bare = median_of([py, "-c", BARE_WINDOW], "main window shown")
    imports = median_of([py, "-c", "import PySide6.QtWidgets"], None)
    return [
        Figure(f"residents page over {big['total']:,} rows: window opened to first paint with rows (median of {RUNS})",
               big["first_paint_ms"], "ms", f"same page over {small['total']:,} rows: {small['first_paint_ms']:.0f} ms",
               big["first_paint_ms"] / small["first_paint_ms"], "", None),
        Figure(f"residents page over {big['total']:,} rows: memory (RSS) added by the window",
               big["rss_delta_mb"], "MB", f"over {small['total']:,} rows: {small['rss_delta_mb']:.0f} MB "
               f"({big['rows_loaded']:,} rows loaded, process {big['rss_mb']:.0f} MB)",
               big["rss_delta_mb"] / max(small["rss_delta_mb"], 0.1), "", None),
        Figure(f"cold start, unbundled: `python -m desktop --selftest` to first window (median of {RUNS})",
               cold, "s", f"bare PySide6 window {bare:.2f} s; `import PySide6.QtWidgets` {imports:.2f} s",
               cold / bare, "", None),
    ]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "page":
        print(orjson.dumps(measure_page(sys.argv[2])).decode())
    else:
        from .common import table
        print(table(run(quick="--quick" in sys.argv)))
