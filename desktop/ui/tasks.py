"""Run work off the GUI thread and get the result back on it (after anki's qt/aqt/taskman.py)."""
from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from . import qt_messages

log = logging.getLogger(__name__)


class _Relay(QObject):
    # Emitted from a pool thread; the runner lives on the GUI thread, so delivery is queued there.
    finished = Signal(int, bool, object)


class _Task(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.task_id, self.fn, self.relay = task_id, fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:       # handed to on_failed on the GUI thread, never raised into Qt
            log.info("background task failed: %r", exc)
            self.relay.finished.emit(self.task_id, False, exc)
        else:
            self.relay.finished.emit(self.task_id, True, result)


class TaskRunner(QObject):
    """`run(fn, on_done, on_failed)`: fn runs on a pool thread, the callbacks on the GUI thread."""

    def __init__(self, parent: QObject | None = None, threads: int = 4):
        super().__init__(parent)
        qt_messages.install()          # a pool thread's Qt warning must always find a handler
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._callbacks: dict[int, tuple] = {}
        self._ids = itertools.count(1)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_failed: Callable[[Exception], None] | None = None) -> int:
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_failed)
        self.pool.start(_Task(task_id, fn, self._relay))
        return task_id

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, ok: bool, payload: object) -> None:
        on_done, on_failed = self._callbacks.pop(task_id, (None, None))
        callback = on_done if ok else on_failed
        if callback is not None:
            callback(payload)
        elif not ok:
            log.warning("background task failed: %r", payload)

    def busy(self) -> bool:
        return bool(self._callbacks)

    def shutdown(self, wait_ms: int = 3000) -> None:
        """Forget pending callbacks and give running tasks a moment to end (closing the window)."""
        self._callbacks.clear()
        self.pool.clear()
        self.pool.waitForDone(wait_ms)
