"""The offset between this computer's clock and the station's, so deadlines use the station's time.

Measured at each sync from /health's time_ms (half the round trip counted as
transit) and kept in meta; a laptop whose clock is a year wrong still colours its
cases as the station would. Never fatal: without a station the offset stays as it was.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

from .errors import SyncError

log = logging.getLogger(__name__)
OFFSET_KEY = "station_offset_ms"


def local_ms() -> int:
    return time.time_ns() // 1_000_000


def record_offset(engine, clock: Callable[[], int] = local_ms) -> int | None:
    """Ask the station for its time; store and return station time minus ours (None if unreachable)."""
    try:
        before = clock()
        body = engine.check_health()
        after = clock()
        offset = int(body["time_ms"]) - (before + after) // 2
    except (SyncError, KeyError, TypeError, ValueError) as exc:
        log.info("station time not measured: %s", exc)
        return None
    engine.store.set_meta(**{OFFSET_KEY: str(offset)})
    return offset


def station_now_ms(store, clock: Callable[[], int] = local_ms) -> int:
    """Now by the station's clock: our clock plus the last offset measured (ours alone if never)."""
    return clock() + int(store.get_meta(OFFSET_KEY, "0") or 0)
