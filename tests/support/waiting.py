"""Waiting in tests for something another process does (a station forwarding, a standby catching up)."""
from __future__ import annotations

import time


def wait_for(check, timeout: float = 60, what: str = ""):
    """check()'s first truthy answer, asked every 0.1 s; AssertionError naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")
