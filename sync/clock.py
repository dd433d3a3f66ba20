"""Hybrid logical clock: orders changes across devices whose wall clocks disagree.

A timestamp is one 64-bit integer: 48 bits of Unix milliseconds, 16 bits of a
logical counter. A *stamp* adds the device id so that ties break the same way on
every replica; stamps compare as plain strings.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

LOGICAL_BITS = 16
LOGICAL_MASK = (1 << LOGICAL_BITS) - 1
# A remote time further ahead than this is refused: a laptop with its clock a year
# fast would otherwise win every merge (CockroachDB's hlc does the same).
MAX_DRIFT_MS = 24 * 3600 * 1000


class ClockDriftError(ValueError):
    """A remote timestamp is too far ahead of this clock."""


def wall_ms(hlc: int) -> int:
    return hlc >> LOGICAL_BITS


def pack(ms: int, logical: int = 0) -> int:
    return (ms << LOGICAL_BITS) | (logical & LOGICAL_MASK)


def stamp(hlc: int, device_id: str) -> str:
    """A totally ordered, string-comparable version of (hlc, device)."""
    return f"{hlc:016x}{device_id}"


def stamp_hlc(value: str) -> int:
    return int(value[:16], 16)


class HybridClock:
    """Monotonic HLC; `now()` for local events, `observe()` for remote ones."""

    def __init__(self, last: int = 0, physical_ms: Callable[[], int] | None = None):
        self._last = last
        self._physical_ms = physical_ms or (lambda: time.time_ns() // 1_000_000)
        self._lock = threading.Lock()

    @property
    def last(self) -> int:
        return self._last

    def now(self) -> int:
        with self._lock:
            physical = self._physical_ms()
            if physical > wall_ms(self._last):
                self._last = pack(physical)
            else:
                self._last += 1
            return self._last

    def observe(self, remote: int, max_drift_ms: int = MAX_DRIFT_MS) -> int:
        """Move past a remote timestamp so later local events order after it."""
        with self._lock:
            physical = self._physical_ms()
            if wall_ms(remote) - physical > max_drift_ms:
                raise ClockDriftError(f"remote clock {wall_ms(remote) - physical} ms ahead")
            self._last = max(self._last, remote, pack(physical))
            return self._last
