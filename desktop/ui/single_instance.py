"""One workbench per data folder: a second start brings the first window forward instead.

Two workbenches on one folder would each keep their own view of the records and of
the sync state; the lock (QLockFile, stale once its process is gone) says a window is
open, and a local socket named after the folder lets the second start ask it to show.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QMessageBox, QWidget

from .i18n import translate

LOCK_FILE = "gridbook.lock"
SHOW = b"show\n"


def server_name(folder: Path) -> str:
    """A socket name per data folder, short enough for every platform's limit."""
    digest = hashlib.sha256(str(Path(folder).resolve()).encode()).hexdigest()[:20]
    return f"gridbook-{digest}"


class SingleInstance(QObject):
    """`acquire()` in the first workbench on a folder; `activated` when a second start asks it to show."""
    activated = Signal()

    def __init__(self, folder: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.folder = Path(folder)
        self.lock = QLockFile(str(self.folder / LOCK_FILE))
        self.lock.setStaleLockTime(0)         # stale only when the process that took it is gone
        self.name = server_name(self.folder)
        self.server: QLocalServer | None = None
        self._sockets: list[QLocalSocket] = []

    def acquire(self) -> bool:
        """Take the folder; False if another workbench holds it."""
        if not self.lock.tryLock(200):
            return False
        QLocalServer.removeServer(self.name)  # a socket left behind by a crash
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)
        self.server.listen(self.name)
        return True

    def _on_connection(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            self._sockets.append(socket)             # kept here until it has been read
            socket.readyRead.connect(self._read)

    def _read(self) -> None:
        for socket in list(self._sockets):
            if not socket.bytesAvailable():
                continue
            message = bytes(socket.readAll().data())
            self._sockets.remove(socket)
            socket.disconnectFromServer()
            socket.deleteLater()
            if message.startswith(SHOW.strip()):
                self.activated.emit()

    def ask_first_to_show(self, timeout_ms: int = 3000) -> bool:
        """Ask the workbench holding the folder to come forward; True if it heard."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(SHOW)
        sent = socket.waitForBytesWritten(timeout_ms)
        socket.waitForDisconnected(timeout_ms)      # the first one hangs up once it has read
        return sent

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.unlock()


def bring_forward(window: QWidget) -> None:
    window.showNormal() if window.isMinimized() else window.show()
    window.raise_()
    window.activateWindow()


def already_open(guard: SingleInstance) -> int:
    """A second start on a held folder: show the first window, or say why nothing opens. Exit code."""
    if guard.ask_first_to_show():
        return 0
    text = translate("SingleInstance", "Gridbook is already open with this data folder (%1). Use the window "
                                       "that is open, or close it first.").replace("%1", str(guard.folder))
    print(text, file=sys.stderr)
    QMessageBox.warning(None, translate("SingleInstance", "Gridbook is already open"), text)
    return 1
