"""Open the SQLite data file: WAL, real transactions, and Alembic migrations after a backup."""
from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from sync import migrating
from sync.sqlite_engine import sqlite_engine

from .. import paths

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")


SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000", "foreign_keys=OFF",
                  "temp_store=MEMORY")


def make_engine(path: Path) -> Engine:
    # Reads begin deferred; the store's writers ask for BEGIN IMMEDIATE (Store.atomic).
    return sqlite_engine(f"sqlite:///{path}", SQLITE_PRAGMAS)


# The newest revision in migrations/versions, named here so that opening a current file
# needs no Alembic at all; tests/test_migrations.py holds it equal to Alembic's own head.
SCHEMA_HEAD = "0006"


def head_revision() -> str:
    return migrating.head_revision(MIGRATIONS)


def current_revision(engine: Engine) -> str | None:
    return migrating.current_revision(engine)


def backup(path: Path, label: str) -> Path:
    """A consistent copy of the data file (SQLite's online backup), kept in backups/."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = paths.backup_dir(path.parent) / f"{path.stem}-{label}-{stamp}.sqlite3"
    source = sqlite3.connect(path)
    try:
        with sqlite3.connect(target) as dest:
            source.backup(dest)
    finally:
        source.close()
    return target


def migrate(engine: Engine, path: Path, revision: str = "head") -> Path | None:
    """Bring the file to `revision`; back it up first if it already holds data."""
    current = current_revision(engine)
    target = SCHEMA_HEAD if revision == "head" else revision
    if current == target:
        return None
    saved = backup(path, f"schema{current}") if current is not None else None
    if saved:
        log.info("data file backed up to %s before migrating %s -> %s", saved, current, target)
    with engine.execution_options(sqlite_begin="BEGIN IMMEDIATE").begin() as conn:
        # Another process may have migrated while we waited for the lock.
        migrating.upgrade(conn, MIGRATIONS, target)
    return saved


def open_store(folder: str | Path | None = None, revision: str = "head"):
    """Open (creating or migrating) the store in a data folder."""
    from .repository import Store

    folder = paths.data_dir(folder)
    path = paths.data_file(folder)
    engine = make_engine(path)
    migrate(engine, path, revision)
    return Store(engine, path)
