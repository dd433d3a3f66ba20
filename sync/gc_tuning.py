"""The garbage collector set for processes that hold a large heap for as long as they run.

By default CPython collects its youngest generation every 700 new container objects and walks
its whole heap whenever what survived two collections grew by a quarter. A station merging
batches, or a laptop importing a register, makes tens of thousands of dicts and tuples a second
that live just long enough to be promoted, so the whole heap (SQLAlchemy's, FastAPI's, Qt's
wrappers: some 400,000 objects after start-up) was walked again and again, finding nothing.

Measured on this machine (gc.callbacks around the work):
- importing 10,000 residents: 0.29-0.54 s of collections by default, 0.03 s settled;
- the station's core push path (bench.profile_push, 10,000 changes): 96 µs a change by
  default, 65 µs settled, the same as with the collector off.

Reference cycles are still collected: only the objects made at start-up are set aside (they
live as long as the process anyway), and the young generation is looked at less often.
"""
from __future__ import annotations

import gc

YOUNG = 20_000          # new container objects between collections of the youngest generation
OLDER = 20              # collections of a generation between collections of the next


def settle() -> None:
    """Call once start-up has imported and built what the process keeps (the app, the window):
    that heap is frozen out of every later collection, and collections run less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG, OLDER, OLDER)
