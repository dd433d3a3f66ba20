"""The station's settings, read from the environment (GRIDBOOK_STATION_*) once, by the program's entry point.

`gridbook-station` (cli.main) and the demo make one StationSettings and hand it to
create_app and the admin commands; no module reads the environment at import time.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class StationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRIDBOOK_STATION_", extra="ignore")

    # GRIDBOOK_STATION_DB: the database URL when --db is not given (else a SQLite file in the user data folder)
    db: str | None = None
    # GRIDBOOK_STATION_HASH=fast: cheap argon2 parameters, for test suites only (a real hash costs ~0.4 s)
    hash: Literal["default", "fast"] = "default"
    # GRIDBOOK_STATION_LOCK_AFTER: failed logins (per account and source) that lock it for 15 minutes
    lock_after: int = Field(default=10, ge=1)
    # GRIDBOOK_STATION_BODY_IDLE / _BODY_DEADLINE: seconds a request body may stall between two of its
    # parts, and may take in all, before the station gives it up (408): a stalled upload must not hold
    # a connection and a worker for ever
    body_idle: float = Field(default=30, gt=0)
    body_deadline: float = Field(default=600, gt=0)
    # GRIDBOOK_STATION_TEST_PUSH_PAUSE: tests only. A folder where a test arms a pause between a push's
    # writes and its commit, to kill the station mid-transaction (sync/station/test_pause.py).
    test_push_pause: Path | None = None
