"""Log to a rotating file in the log folder, and turn an unexpected exception into a friendly dialog."""
from __future__ import annotations

import logging
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from sync import messages

from .. import paths
from ..log_redaction import RedactingFormatter

LOG_FILE = "gridbook.log"
log = logging.getLogger("gridbook")

messages.register({
    "crash_title": ("网格台账出错了", "Gridbook ran into a problem"),
    "crash_body": ("程序遇到了意外错误：{error}\n\n"
                   "已保存的记录不受影响；正在填写的内容可能需要重新填写。"
                   "如果问题反复出现，请把日志文件发给技术支持：\n{log}",
                   "Something unexpected went wrong: {error}\n\nRecords already saved are safe; what you were "
                   "typing may need to be entered again. If this keeps happening, send the log file to "
                   "support:\n{log}"),
})


def setup_logging(data_folder: str | Path | None = None, level: int = logging.INFO) -> Path:
    """Send the program's log to <log folder>/gridbook.log (1 MB x 5 files) and return its path."""
    path = paths.log_dir(Path(data_folder) if data_folder else None) / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        # Calling this twice (the self-test after a start) must not log every line twice.
        if getattr(handler, "_gridbook", False):
            root.removeHandler(handler)
            handler.close()
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    # masked as written: no ID number, phone or name ever reaches the file (log_redaction.py)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    handler._gridbook = True
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return path


def friendly_message(exc: BaseException, log_path: Path, lang: str | None = None) -> tuple[str, str]:
    """(title, text) of the dialog: what happened in one line, that saved data is safe, where the log is."""
    error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if len(error) > 300:
        error = error[:300] + "…"
    return (messages.render("crash_title", lang),
            messages.render("crash_body", lang, error=error, log=str(log_path)))


def show_dialog(exc: BaseException, log_path: Path, parent=None):
    """Show the friendly error box (non-blocking, so a test can find and close it); returns it."""
    from PySide6.QtWidgets import QMessageBox

    title, text = friendly_message(exc, log_path)
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("gridbook-crash-dialog")
    box.setDetailedText("".join(traceback.format_exception(exc)))
    box.setModal(True)
    box.show()
    return box


class CrashHandler:
    """The excepthooks: log every unexpected exception, then tell the person on the GUI thread."""

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.dialogs = []          # kept referenced, or Python would collect an open dialog
        self._bridge = None

    def handle(self, exc_type, exc, tb, thread_name: str | None = None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        where = f" in thread {thread_name}" if thread_name else ""
        log.critical("unexpected error%s", where, exc_info=(exc_type, exc, tb))
        self._notify(exc)

    def excepthook(self, exc_type, exc, tb) -> None:
        self.handle(exc_type, exc, tb)

    def threading_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread else None
        self.handle(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback, name)

    def _notify(self, exc: BaseException) -> None:
        try:
            from PySide6.QtCore import QCoreApplication, QThread
            from PySide6.QtWidgets import QApplication
        except ImportError:
            return
        app = QCoreApplication.instance()
        if not isinstance(app, QApplication):
            print(friendly_message(exc, self.log_path)[1], file=sys.stderr)
            return
        if QThread.currentThread() is app.thread():
            self.show(exc)
        else:
            # Widgets live on the GUI thread only: hand the exception over through a queued signal.
            self.bridge().raised.emit(exc)

    def bridge(self):
        if self._bridge is None:
            self._bridge = make_bridge(self.show)
        return self._bridge

    def show(self, exc: BaseException) -> None:
        # An error in a paint or timer handler repeats at once: one box at a time, the rest go to the log.
        self.dialogs = [box for box in self.dialogs if box.isVisible()]
        if not self.dialogs:
            self.dialogs.append(show_dialog(exc, self.log_path))


def make_bridge(show):
    """A QObject on the GUI thread whose slot runs `show(exc)` there, whichever thread emits."""
    from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

    class Bridge(QObject):
        raised = Signal(object)

        @Slot(object)
        def on_raised(self, exc):
            show(exc)

    bridge = Bridge()
    bridge.moveToThread(QCoreApplication.instance().thread())
    # A bound slot of an object living on the GUI thread: Qt queues the call to that thread.
    bridge.raised.connect(bridge.on_raised)
    return bridge


def install(data_folder: str | Path | None = None) -> CrashHandler:
    """Start file logging and install the handler as sys.excepthook and threading.excepthook."""
    handler = CrashHandler(setup_logging(data_folder))
    sys.excepthook = handler.excepthook
    threading.excepthook = handler.threading_excepthook
    log.info("Gridbook starting (frozen=%s, python %s)", getattr(sys, "frozen", False), sys.version.split()[0])
    return handler
