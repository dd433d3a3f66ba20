"""When to sync: poll the station's /health with backoff off the GUI thread, sync when it answers."""
from __future__ import annotations

import datetime as dt
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.services import Ledger

from .tasks import TaskRunner

try:                                   # the engine is optional: the workbench works without it
    from desktop.syncing import StationUnreachable, SyncError
except ImportError:                    # pragma: no cover - a build without the sync engine
    class SyncError(Exception):
        pass

    class StationUnreachable(SyncError):
        pass


class SyncController(QObject):
    """Holds the sync state the status bar shows; every network call runs on the TaskRunner."""
    changed = Signal()                       # online / counts / last sync / error changed
    progress = Signal(str, int, int)         # phase, done, total (-1 unknown); emitted from the worker
    finished = Signal(object, object)        # SyncResult or None, error message or None
    _logged = Signal()                       # the store logged a change (emitted on the writing thread)

    def __init__(self, ledger: Ledger, engine=None, runner: TaskRunner | None = None, parent=None,
                 poll_ms: int = 15_000, max_poll_ms: int = 300_000, pull_every_ms: int = 600_000,
                 edit_delay_ms: int = 2_000):
        super().__init__(parent)
        self.ledger, self.engine = ledger, engine
        self.runner = runner or TaskRunner(self)
        self.poll_ms, self.max_poll_ms, self.pull_every_ms = poll_ms, max_poll_ms, pull_every_ms
        self.online: bool | None = None       # None: not known yet
        self.syncing = False
        self.pending = self.set_aside = 0
        self.last_sync: str | None = None
        self.last_error: str | None = None
        self.last_result = None
        self._interval = poll_ms
        self._polling = False
        self._cancel: threading.Event | None = None
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.poll)
        # a burst of saves (a household and its members, an import) becomes one sync
        self._edits = QTimer(self, singleShot=True, interval=edit_delay_ms)
        self._edits.timeout.connect(self._after_edits)
        self._again = False                  # edits arrived during a sync: look again after it
        self._logged.connect(self.local_change)
        self._unsubscribe = ledger.store.on_logged(self._logged.emit)

    @property
    def logged_in(self) -> bool:
        return self.engine is not None and bool(self.engine.station_url)

    def start(self) -> None:
        self.refresh_counts()
        self.poll()

    def stop(self) -> None:
        self._unsubscribe()
        self._timer.stop()
        self._edits.stop()
        self.cancel()

    # -- health polling ---------------------------------------------------------------
    def poll(self) -> None:
        if not self.logged_in:
            self._set_online(False)
            self._schedule(self.poll_ms)
            return
        if self._polling:
            return
        self._polling = True
        self.runner.run(self.engine.check_health, self._on_healthy, self._on_unreachable)

    def _on_healthy(self, _answer) -> None:
        self._polling = False
        came_online = self.online is not True
        self._set_online(True)
        self._interval = self.poll_ms
        self._schedule(self._interval)
        if self.syncing:
            return
        self.refresh_counts()                # another process (gridbook-cli) may have written
        if came_online and self.pending > 0:
            self.sync_now()                  # the station is back and there is something to push
        elif self._pull_due():
            self.sync_now()

    def _on_unreachable(self, _exc) -> None:
        self._polling = False
        self._set_online(False)
        self.refresh_counts()                # another process (gridbook-cli) may have written
        self._interval = min(self._interval * 2, self.max_poll_ms)    # back off while offline
        self._schedule(self._interval)

    def _pull_due(self) -> bool:
        if not self.last_sync:
            return True
        try:
            last = dt.datetime.fromisoformat(self.last_sync)
        except ValueError:
            return True
        return (dt.datetime.now(last.tzinfo) - last).total_seconds() * 1000 >= self.pull_every_ms

    def _schedule(self, ms: int) -> None:
        self._timer.start(ms)

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.changed.emit()

    def network_hint(self, reachable: bool) -> None:
        """QNetworkInformation said the link changed: poll now rather than at the next tick."""
        if reachable:
            self._interval = self.poll_ms
            self.poll()

    # -- syncing ----------------------------------------------------------------------
    def sync_now(self) -> None:
        if self.syncing or not self.logged_in:
            return
        self.syncing = True
        self.last_error = None
        self._cancel = threading.Event()
        cancel, engine = self._cancel, self.engine

        def report(p) -> None:                # runs on the worker thread: a signal crosses over
            self.progress.emit(p.phase, p.done, -1 if p.total is None else p.total)

        self.changed.emit()
        self.runner.run(lambda: engine.sync(progress=report, cancel=cancel), self._on_synced, self._on_failed)

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def _on_synced(self, result) -> None:
        self.syncing, self._cancel = False, None
        self.last_result = result
        self._set_online(True)
        self.refresh_counts()
        self.finished.emit(result, None)
        if self._again:                      # saved while that sync ran: send it too
            self._again = False
            self._edits.start()

    # -- local edits ------------------------------------------------------------------
    def local_change(self) -> None:
        """A change was saved here: count it now, and send it soon if the station answers."""
        self.refresh_counts()
        if self.logged_in:
            self._edits.start()              # restarted by each save: one sync after a burst

    def _after_edits(self) -> None:
        if self.syncing:
            self._again = True
        elif self.pending > 0 and self.online:
            self.sync_now()
        elif self.pending > 0:
            self._interval = self.poll_ms
            self.poll()                      # offline so far: a healthy answer syncs (came online)

    def _on_failed(self, exc) -> None:
        self.syncing, self._cancel = False, None
        self.last_error = exc.message() if isinstance(exc, SyncError) else str(exc)
        if isinstance(exc, StationUnreachable):
            self._set_online(False)
        self.refresh_counts()
        self.finished.emit(None, self.last_error)

    # -- counts -----------------------------------------------------------------------
    def refresh_counts(self) -> None:
        """Pending and set-aside counts and the last sync, read off the GUI thread."""
        self.runner.run(self.ledger.status, self._on_status)

    def _on_status(self, status) -> None:
        grew = status.pending > self.pending
        self.pending, self.set_aside, self.last_sync = status.pending, status.set_aside, status.last_sync
        self.changed.emit()
        if grew and self.logged_in and not self._edits.isActive():
            self._edits.start()              # written by another process: send it as well
