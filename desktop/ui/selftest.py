"""`gridbook --selftest`: open the main window offscreen on a scratch data folder, round-trip a record
through the real (encrypted) store, render a zh_CN screenshot; exit 0, or 1 with the reason.

It runs the same code in the unbundled program (tests) and in the PyInstaller bundle (make package),
so a file or module the bundle misses shows up here, not on a grid worker's laptop.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

GRID = "420704100201-03"
HEAD = "张三丰"
WAIT_FOR_WINDOW_S = 20


class SelfTestFailed(Exception):
    """One check failed; the message says which and why."""


def say(line: str) -> None:
    # A windowed Windows build has no stdout: the report file (and the exit code) still tell.
    if sys.stdout is not None:
        print(line, flush=True)


def check(condition, reason: str) -> None:
    if not condition:
        raise SelfTestFailed(reason)


def wait_until_exposed(app, window) -> float:
    """Process events until the window is on screen (exposed); the seconds it took."""
    started = time.perf_counter()
    while time.perf_counter() - started < WAIT_FOR_WINDOW_S:
        app.processEvents()
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            return time.perf_counter() - started
        time.sleep(0.005)
    raise SelfTestFailed(f"the main window was not shown within {WAIT_FOR_WINDOW_S} s")


def round_trip(ledger) -> None:
    """Create a grid and a household through the services and read them back from the store file."""
    ledger.add_grid(GRID[:12], "幸福村", "village")
    ledger.add_grid(GRID, "幸福村第三网格", "grid", GRID[:12])
    household = ledger.put("household", {"grid_code": GRID, "address": "幸福村3组12号",
                                         "head_name": HEAD, "phone": "13800138000"})
    back = ledger.get("household", household)
    check(back is not None, "the household just saved could not be read back")
    check(back["head_name"] == HEAD and back["grid_code"] == GRID,
          f"the household read back differs from what was saved: {back!r}")


def check_encrypted(store) -> None:
    """The bundled SQLCipher really encrypts: neither the data file nor its WAL shows the name just saved."""
    from ..store import unlock

    check(not unlock.is_plain_sqlite(store.path), f"{store.path.name} is a plain SQLite file: not encrypted")
    for path in (store.path, store.path.with_name(store.path.name + "-wal")):
        if path.exists():
            check(HEAD.encode() not in path.read_bytes(), f"{path.name} shows the name just saved in the clear")


def settle(app, seconds: float = 0.4) -> None:
    """Let the pages load their rows (they query off the GUI thread) before the screenshot."""
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        app.processEvents()
        time.sleep(0.01)


def non_blank(image) -> int:
    """How many distinct colours a sample of the image holds (a blank render has one or two)."""
    colours = set()
    step_x, step_y = max(1, image.width() // 64), max(1, image.height() // 64)
    for y in range(0, image.height(), step_y):
        for x in range(0, image.width(), step_x):
            colours.add(image.pixel(x, y))
    return len(colours)


def screenshot(window, target: Path) -> Path:
    pixmap = window.grab()
    check(not pixmap.isNull() and pixmap.width() > 100 and pixmap.height() > 100,
          f"the screenshot is empty ({pixmap.width()}x{pixmap.height()})")
    check(pixmap.save(str(target), "PNG"), f"the screenshot could not be saved to {target}")
    colours = non_blank(pixmap.toImage())
    check(colours >= 4, f"the screenshot looks blank ({colours} colours)")
    return target


def check_chinese(app, window) -> None:
    from PySide6.QtGui import QFontDatabase

    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    check(chinese, "no font with Chinese glyphs is available: Chinese would show as boxes")
    check(app.property("gridbook_language") in (None, "zh_CN"), "the interface is not set to zh_CN")
    from PySide6.QtCore import QLibraryInfo, QTranslator

    qt_dialogs = QTranslator()
    check(qt_dialogs.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
          "Qt's own Chinese translation (qtbase_zh_CN.qm) is missing: dialog buttons would be English")
    title = window.windowTitle() or app.applicationDisplayName()
    check(any("\u4e00" <= ch <= "\u9fff" for ch in title), f"the window title is not Chinese: {title!r}")


def check_photo_formats() -> None:
    """Case photos are JPEG (phones) or PNG: a bundle without Qt's image plugins would show none."""
    from PySide6.QtGui import QImageReader

    formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
    missing = {"jpeg", "png"} - formats
    check(not missing, f"Qt cannot read {', '.join(sorted(missing))} images: the imageformats plugins are missing")


def main_window_class():
    try:
        from .main_window import MainWindow
    except ModuleNotFoundError as exc:
        if exc.name != "desktop.ui.main_window":
            raise
        raise SelfTestFailed("desktop.ui.main_window is missing from this build") from exc
    return MainWindow


def run_checks(folder: Path, shot: Path, lang: str) -> None:
    from ..services import Ledger
    from ..store import open_store
    from . import crash
    from .app import create_application

    log_path = crash.setup_logging(folder)
    # a scratch folder gets a throwaway recovery passphrase; an existing one (bench) its own key or env
    scratch = not os.environ.get("GRIDBOOK_SELFTEST_DATA")
    store = open_store(folder, passphrase=secrets.token_urlsafe(16) if scratch else None)
    try:
        app = create_application(sys.argv[:1], lang=lang)
        window = main_window_class()(Ledger(store))
        window.show()
        shown = wait_until_exposed(app, window)
        # bench_package times process start -> this line: keep it right after the first show.
        say(f"selftest: main window shown ({shown * 1000:.0f} ms after show())")
        round_trip(Ledger(store))
        check_encrypted(store)
        if hasattr(window, "refresh"):
            window.refresh()
        settle(app)
        check_chinese(app, window)
        check_photo_formats()
        say(f"selftest: screenshot {screenshot(window, shot)}")
        crash.log.info("selftest passed")
        check(log_path.exists() and log_path.stat().st_size > 0, f"nothing was logged to {log_path}")
        window.close()
        app.processEvents()
    finally:
        store.engine.dispose()


def write_report(shot: Path, line: str) -> None:
    """selftest.txt beside the screenshot: what a windowed build (no console) has to say."""
    with contextlib.suppress(OSError):      # the exit code and stderr still carry the verdict
        shot.with_suffix(".txt").write_text(line + "\n", encoding="utf-8")


def run(screenshot_path: str | None = None, lang: str = "zh_CN") -> int:
    """The self-test; 0 when every check passed. A report is written beside the screenshot."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = shot = None
    try:
        folder = Path(tempfile.mkdtemp(prefix="gridbook-selftest-"))
        shot = Path(screenshot_path).resolve() if screenshot_path else folder / "selftest.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        # GRIDBOOK_SELFTEST_DATA: an existing data folder, to time an everyday start (bench)
        run_checks(Path(os.environ.get("GRIDBOOK_SELFTEST_DATA") or folder / "data"), shot, lang)
    except Exception as exc:
        reason = f"selftest FAILED: {type(exc).__name__}: {exc} (scratch folder kept: {folder})"
        if shot is not None:
            write_report(shot, reason)
        if sys.stderr is not None:
            print(reason, file=sys.stderr, flush=True)
        return 1
    write_report(shot, "selftest passed")
    say("selftest passed")
    shutil.rmtree(folder, ignore_errors=True)   # the screenshot, if asked for, lives elsewhere
    return 0
