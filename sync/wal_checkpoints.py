"""WAL checkpoints on a thread of their own, not inside the commit that happens to cross the limit.

SQLite copies the write-ahead log back into the data file (a checkpoint) when a commit leaves
more than 1,000 pages in it, and it does so inside that commit, on the committing thread: an
import of 10,000 residents waited ~0.09 s of its 0.24 s commit for it, a station push for the
pages of the pushes before it. Here each connection's automatic checkpoint is off and, when a
connection goes back to the pool with the log past LIMIT_BYTES, one PASSIVE checkpoint (what
the automatic one runs: it never waits for readers or writers) runs on a daemon thread.

Nothing is less durable: a commit is durable once it is in the log, and a checkpoint cut short
(the process killed) is finished by the next one. journal_size_limit keeps the log file from
staying as large as its largest transaction once the log starts over.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

LIMIT_BYTES = 4 * 1024 * 1024          # SQLite's own automatic checkpoint: 1,000 pages of 4 KiB
PRAGMAS = ("wal_autocheckpoint=0", f"journal_size_limit={LIMIT_BYTES}")


class BackgroundCheckpoints:
    """Runs a PASSIVE checkpoint of `engine`'s file on a daemon thread whenever its log has grown."""

    def __init__(self, engine: Engine, database: Path):
        self.engine = engine
        self.wal = Path(f"{database}-wal")
        self._running = threading.Lock()             # held by the checkpoint thread while it runs
        self._done: tuple[int, int] | None = None    # the log's (size, mtime) when last copied whole
        self.runs = 0                                 # checkpoints run so far
        event.listen(engine, "checkin", self._after_use)

    def _after_use(self, _dbapi_conn, _record) -> None:
        try:
            seen = os.stat(self.wal)
        except OSError:                     # no log yet, or the folder is gone
            return
        # until the next write starts the log over (and cuts it to the limit) it stays as large,
        # all of it copied already: not again for every read
        if seen.st_size <= LIMIT_BYTES or self._done == (seen.st_size, seen.st_mtime_ns):
            return
        if not self._running.acquire(blocking=False):
            return
        threading.Thread(target=self._checkpoint, name="wal-checkpoint", daemon=True).start()

    def _checkpoint(self) -> None:
        try:
            conn = self.engine.raw_connection()
            try:
                seen = os.stat(self.wal)
                cursor = conn.cursor()
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                ((_busy, pages, copied),) = cursor.fetchall()
                self.runs += 1
                if pages == copied:
                    self._done = (seen.st_size, seen.st_mtime_ns)
            finally:
                conn.close()
        except Exception as exc:            # the engine disposed, the file gone: the next one will do it
            log.debug("background checkpoint failed: %s", exc)
        finally:
            self._running.release()

    def wait(self, timeout: float | None = None) -> bool:
        """Until no checkpoint is running (tests, and closing down tidily)."""
        if not self._running.acquire(timeout=-1 if timeout is None else timeout):
            return False
        self._running.release()
        return True
