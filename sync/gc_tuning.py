"""The garbage collector set for processes that hold a large heap for as long as they run.

By default CPython collects its youngest generation every 700 new container objects and walks
its whole heap whenever what survived two collections grew by a quarter. A station merging
batches, or a laptop importing a register, makes tens of thousands of dicts and tuples a second
that live just long enough to be promoted, so the whole heap (SQLAlchemy's, FastAPI's, Qt's
wrappers: some 400,000 objects after start-up) was walked again and again, finding nothing.

Measured on this machine (gc.callbacks around the work):
- importing 10,000 residents: 0.22-0.44 s of collections by default, 0.07-0.08 s settled;
- the station's core push path (bench.profile_push, 10,000 new records): 0.12 s by default,
  0.03 s at 2,000, 0.04-0.06 s frozen at the default 700 (what the station does, below).

Reference cycles are still collected: only the objects made at start-up are set aside (they
live as long as the process anyway), and the young generation is looked at less often.
"""
from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

# New container objects between collections of the youngest generation (CPython's default: 700).
# Not more: garbage cycles wait that long too, and some hold a query's rows. At 20,000 a station's
# memory after a city report at 16 townships was 260 MB instead of 202; at 2,000 it is 221 MB
# (the peak the same, 230 MB), and collections still cost a fifth of what they did.
YOUNG = 2_000
# The station keeps CPython's default: at 64 townships a city report's peak was 362-402 MB plain,
# 351-395 MB frozen at 700, 433 MB at 2,000 (bench_scale's order: pulls, a push, the report).
# Freezing alone halves its collections' cost in a push (0.12 s -> 0.04-0.06 s for 10,000 changes).
STATION_YOUNG = 700


def settle(young: int = YOUNG) -> None:
    """Call once start-up has imported and built what the process keeps (the app, the window):
    that heap is frozen out of every later collection, and young collections run every `young`
    new objects."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(young, older, oldest)


_pause_lock = threading.Lock()
_pauses = 0
_enabled_before = True


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No collections while a bulk job builds what it keeps to its end (an import's plan, then its
    write): all it makes stays alive, so every collection walked it for nothing (~0.09 s of the
    import of 10,000 residents, a twentieth). The collector is as it was once the last pause ends,
    whatever the job raised; usable as a decorator."""
    global _pauses, _enabled_before
    with _pause_lock:
        if _pauses == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _enabled_before:
                gc.enable()
