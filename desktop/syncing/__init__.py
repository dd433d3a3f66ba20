"""The client side of sync, on requests and without Qt: login, push, pull, file transport."""
from .engine import SyncEngine, SyncProgress, SyncResult  # noqa: F401
from .errors import (AuthFailed, BadSyncFile, Cancelled, ClockAhead, NotLoggedIn, StationError,  # noqa: F401
                     StationUnreachable, SyncError, VersionMismatch)
