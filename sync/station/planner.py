"""Fresh planner statistics on PostgreSQL while the station's tables grow from empty.

PostgreSQL's autovacuum analyses a table once a tenth of it has changed, up to a minute
later; a county's first pushes fill empty tables faster than that, and the pulls that
follow were planned on "no rows" (a village's first sync took 11.3 s instead of 8.7 s,
bench_sync). So after a push the station analyses its sync tables whenever the station
sequence has doubled since the last time: a handful of times while a station fills,
then never (autovacuum keeps up with a large table). SQLite needs nothing of this.
"""
from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine, text

from sync import records

log = logging.getLogger(__name__)
FIRST_AT = 1_000                     # station sequence at which the first analysis is worth it
TABLES = ("record_version", *(records.record_table(t).name for t in records.RECORD_TYPES))


class PlannerStatistics:
    def __init__(self, engine: Engine):
        self.engine = engine
        # SQLite needs nothing: a push there is not handed to a worker thread to find that out
        self.needed = engine.dialect.name == "postgresql"
        self.analysed_at = 0          # station sequence at the last analysis by this process
        self._lock = threading.Lock()

    def after_push(self) -> bool:
        """Analyse the sync tables if the station sequence has doubled since the last time; True if it did."""
        if not self.needed:
            return False
        with self.engine.connect() as conn:
            seq = conn.execute(text("SELECT seq FROM station_counter WHERE id = 1")).scalar() or 0
        with self._lock:
            if seq < max(FIRST_AT, 2 * self.analysed_at):
                return False
            self.analysed_at = seq
        with self.engine.connect() as conn:          # ANALYZE takes no lock that stops reads or writes
            conn.execute(text(f"ANALYZE {', '.join(TABLES)}"))
            conn.commit()
        log.info("planner statistics refreshed at station sequence %d", seq)
        return True
