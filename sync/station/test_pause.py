"""A pause inside the push transaction, for tests only (StationSettings.test_push_pause).

A test arms it by writing N into the file `pause` of the folder: N push transactions go
through (each counts the file down), the next one writes its batch, creates `paused` (the
test's signal that the writes are in and not committed) and waits until `pause` is
removed. The test kills the station while it waits, so the kill always lands between the
writes and the commit.
"""
from __future__ import annotations

import time
from pathlib import Path


class PushPause:
    def __init__(self, folder: Path):
        self.armed = folder / "pause"
        self.signal = folder / "paused"

    def hold(self, poll_s: float = 0.01, limit_s: float = 120) -> None:
        try:
            let_through = int(self.armed.read_text() or 0)
        except (FileNotFoundError, ValueError):
            return
        if let_through > 0:
            self.armed.write_text(str(let_through - 1))
            return
        self.signal.touch()
        deadline = time.monotonic() + limit_s           # a test that forgot it must not hang the station
        while self.armed.exists() and time.monotonic() < deadline:
            time.sleep(poll_s)
