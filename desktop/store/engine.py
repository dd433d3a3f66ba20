"""Open the data file, encrypted by SQLCipher: WAL, real transactions, and Alembic migrations after a backup.

The file is SQLite encrypted page by page (SQLCipher 4: AES-256, HMAC-SHA512 per page,
the WAL too) under the folder's data key (keys.py, unlock.py). SQLAlchemy's own pysqlite
dialect drives it with `module=sqlcipher3.dbapi2`, and each connection is keyed before
anything reads the file; a plain file from an older build is encrypted first (encrypting.py).
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, event
from sqlalchemy.exc import DatabaseError

from sync import migrating
from sync.sqlite_engine import sqlite_engine

from .. import paths
from . import unlock
from .keys import DataKey, KeyUnavailable

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")


# cache_size: every page read from disk is decrypted and its HMAC checked. Up to 64 MiB of decrypted
# pages per connection (SQLite's default is 2 MiB; a village's file is smaller than that anyway)
# cut the cipher's extra CPU for a search over 200,000 residents from 2.3x to 2.0x (bench_cipher).
SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000", "foreign_keys=OFF",
                  "temp_store=MEMORY", "cache_size=-65536")


def connect(path: Path, key: DataKey) -> sqlcipher.Connection:
    """A DB-API connection to an encrypted file, keyed before its first read (backups, tests, tools)."""
    conn = sqlcipher.connect(str(path), isolation_level=None)
    apply_key(conn, key)
    return conn


def apply_key(dbapi_conn, key: DataKey) -> None:
    # SQLCipher writes its own errors (a wrong key's "hmac check failed") to stderr: ours say it better.
    dbapi_conn.execute("PRAGMA cipher_log_level = NONE")
    dbapi_conn.execute(f'PRAGMA key = "{key.database_key()}"')


def make_engine(path: Path, key: DataKey) -> Engine:
    # Reads begin deferred; the store's writers ask for BEGIN IMMEDIATE (Store.atomic).
    # hide_parameters: an error's text (and so the log) never carries the names and ID numbers written
    engine = sqlite_engine(f"sqlite:///{path}", SQLITE_PRAGMAS, module=sqlcipher, hide_parameters=True)

    @event.listens_for(engine, "do_connect")
    def _keyed_connect(_dialect, _record, cargs, cparams):
        # before SQLAlchemy's own first-connect queries: an unkeyed read would fail ("file is not a database")
        dbapi_conn = sqlcipher.connect(*cargs, **cparams)
        apply_key(dbapi_conn, key)
        return dbapi_conn

    return engine


# The newest revision in migrations/versions, named here so that opening a current file
# needs no Alembic at all; tests/test_migrations.py holds it equal to Alembic's own head.
SCHEMA_HEAD = "0013"


def head_revision() -> str:
    return migrating.head_revision(MIGRATIONS)


def current_revision(engine: Engine) -> str | None:
    return migrating.current_revision(engine)


def backup_path(path: Path, label: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return paths.backup_dir(path.parent) / f"{path.stem}-{label}-{stamp}.sqlite3"


def backup(path: Path, label: str, key: DataKey) -> Path:
    """A consistent copy of the data file (SQLite's online backup), kept in backups/, encrypted with the same key."""
    target = backup_path(path, label)
    source, dest = connect(path, key), connect(target, key)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    return target


def migrate(engine: Engine, path: Path, key: DataKey, revision: str = "head",
            backed_up: bool = False) -> Path | None:
    """Bring the file to `revision`; back it up first if it holds data and was not `backed_up` just now."""
    current = current_revision(engine)
    target = SCHEMA_HEAD if revision == "head" else revision
    if current == target:
        return None
    saved = backup(path, f"schema{current}", key) if current is not None and not backed_up else None
    if saved:
        log.info("data file backed up to %s before migrating %s -> %s", saved, current, target)
    with engine.execution_options(sqlite_begin="BEGIN IMMEDIATE").begin() as conn:
        # Another process may have migrated while we waited for the lock.
        migrating.upgrade(conn, MIGRATIONS, target)
    return saved


def open_store(folder: str | Path | None = None, revision: str = "head", passphrase: str | None = None):
    """Open (creating, encrypting or migrating) the store in a data folder.

    The key comes from this process, the OS keyring, `passphrase` or GRIDBOOK_PASSPHRASE
    (unlock.py); without one this raises KeyUnavailable and changes nothing.
    """
    from . import encrypting
    from .repository import Store

    folder = paths.data_dir(folder)
    path = paths.data_file(folder)
    key = unlock.unlock(folder, path, passphrase)
    # a plain file from an older build is encrypted first; its backup then also serves the schema migration
    backed_up = encrypting.encrypt_folder(folder, path, key)
    engine = make_engine(path, key)
    try:
        migrate(engine, path, key, revision, backed_up)
    except DatabaseError as exc:
        engine.dispose()
        if "not a database" in str(exc.orig):
            raise KeyUnavailable("store_unreadable", file=path.name) from exc
        raise
    return Store(engine, path, key)
