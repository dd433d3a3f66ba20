"""One Qt message handler for the whole process: Qt's warnings go to the log, from any thread.

Why it is installed once and never removed: PySide's trampoline for a Python message handler looks
the handler up only after it holds the GIL. A pool thread that is already inside it (libjpeg warns
on every truncated photo a thumbnail decode meets) calls NULL, and the process dies, if the GUI
thread has meanwhile set the handler back to None. With this handler always there, whoever swaps
handlers (pytest-qt does around every test) puts back a callable, never None.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")
LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_installed = False


def forward(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's message to the `qt` logger (the program's log file), at its level, with its category."""
    log.log(LEVELS.get(kind, logging.WARNING), "%s: %s", context.category or "qt", message)


def install() -> None:
    """Install `forward` for the rest of the process (idempotent); call before any pool thread starts."""
    global _installed
    if not _installed:
        qInstallMessageHandler(forward)
        _installed = True
