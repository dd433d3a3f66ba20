"""The client side of sync, on requests and without Qt: login, push, pull, file transport.

The names below load on first use (PEP 562): importing a light module of this package
(station_clock, errors) must not pull requests and keyring into the desktop's start-up.
"""
from __future__ import annotations

import importlib

_HOMES = {
    "SyncEngine": "engine", "SyncProgress": "engine", "SyncResult": "engine",
    **dict.fromkeys(("AnswerTooLarge", "AuthFailed", "BadSyncFile", "Cancelled", "ClockAhead", "DemoFolder",
                     "LoginRefused", "NotLoggedIn", "Redirected", "RequestDeadline", "StationError",
                     "StationUnreachable", "StationUntrusted", "SyncDeadline", "SyncError", "VersionMismatch"),
                    "errors"),
}
__all__ = list(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
