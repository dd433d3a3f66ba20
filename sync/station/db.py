"""The station's database: engine (SQLite or PostgreSQL), migrations, settings, the station sequence."""
from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import platformdirs
from sqlalchemy import Connection, Engine, bindparam, create_engine, select, text, update

from sync import migrating
from sync.ids import new_id
from sync.sqlite_engine import JSON_OPTIONS, sqlite_engine

from . import tables

APP_NAME = "GridbookStation"
DB_FILE = "station.sqlite3"
MIGRATIONS = Path(__file__).with_name("migrations")


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def default_url() -> str:
    """A SQLite file in the platform's user data folder (StationSettings.db overrides it)."""
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DB_FILE}"


# a 64 MB page cache: merges touch random pages of the ID-number and audit indexes
SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=30000", "temp_store=MEMORY",
                  "cache_size=-65536")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Every station transaction may write: it takes the write lock up front (reading() does not).
        return sqlite_engine(url, SQLITE_PRAGMAS, begin="BEGIN IMMEDIATE")
    return create_engine(url, **JSON_OPTIONS, pool_pre_ping=True, pool_size=5, max_overflow=5)


@contextlib.contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reads: on SQLite a deferred transaction, so readers never wait for writers.

    On PostgreSQL its statements are planned for their own parameters: psycopg prepares a
    statement run five times, and PostgreSQL then plans it once for any values. A city report's
    cases by id (500 ids, within a county) took that generic plan through the county's grid
    index: 0.5 s a query instead of 12 ms, 13 s for one month at 64 townships (bench_scale)."""
    with engine.execution_options(sqlite_begin="BEGIN").connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
        yield conn


def head_revision() -> str:
    return migrating.head_revision(MIGRATIONS)


def current_revision(engine: Engine) -> str | None:
    return migrating.current_revision(engine)


def is_ready(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to head, then make sure the settings exist."""
    with engine.begin() as conn:
        migrating.upgrade(conn, MIGRATIONS)
        for key in ("station_id", "device_id"):
            if get_setting(conn, key) is None:
                set_setting(conn, key, new_id())
        if get_setting(conn, "hlc") is None:
            set_setting(conn, "hlc", "0")


def get_setting(conn: Connection, key: str) -> str | None:
    return conn.execute(select(tables.setting.c.value).where(tables.setting.c.key == key)).scalar()


def station_device_id(conn: Connection) -> str:
    """The station's own device id (its stamps' author), made by init."""
    device = get_setting(conn, "device_id")
    if device is None:
        raise RuntimeError("the station database has no device id: run `gridbook-station init`")
    return device


def set_setting(conn: Connection, key: str, value: str) -> None:
    done = conn.execute(update(tables.setting).where(tables.setting.c.key == key).values(value=value))
    if done.rowcount == 0:
        conn.execute(tables.setting.insert().values(key=key, value=value))


def lock_writers(conn: Connection) -> None:
    """Serialise writers that read before they write (merges): on PostgreSQL lock the counter
    row up front; on SQLite every transaction already holds the write lock (BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT seq FROM station_counter WHERE id = 1 FOR UPDATE"))


# The statements of every push, built once: building one cost more than running it (~150 µs).
_DEVICE = select(tables.device).where(tables.device.c.id == bindparam("device_id"))
_DEVICE_LOCKED = _DEVICE.with_for_update()
_DEVICE_ACKED = select(tables.device.c.acked).where(tables.device.c.id == bindparam("device_id"))
_WRITERS_AND_DEVICE = (select(tables.device).select_from(tables.counter)
                       .join(tables.device, tables.device.c.id == bindparam("device_id"))
                       .where(tables.counter.c.id == 1).with_for_update())


def lock_device(conn: Connection, device_id: str):
    """The device row, locked for this transaction on PostgreSQL (SQLite holds the write lock)."""
    query = _DEVICE_LOCKED if conn.dialect.name == "postgresql" else _DEVICE
    return conn.execute(query, {"device_id": device_id}).mappings().first()


def lock_writers_and_device(conn: Connection, device_id: str):
    """lock_writers and lock_device in one statement, counter row first as they take them: one round
    trip fewer for every push on PostgreSQL."""
    if conn.dialect.name != "postgresql":
        return lock_device(conn, device_id)
    return conn.execute(_WRITERS_AND_DEVICE, {"device_id": device_id}).mappings().first()


def device_acked(conn: Connection, device_id: str) -> int:
    return int(conn.execute(_DEVICE_ACKED, {"device_id": device_id}).scalar() or 0)


def next_seqs(conn: Connection, count: int) -> int:
    """Reserve `count` station sequences; return the first. Holds the counter row lock
    until commit, so transactions commit in the order of their sequences."""
    last = conn.execute(text("UPDATE station_counter SET seq = seq + :n WHERE id = 1 RETURNING seq"),
                        {"n": count}).scalar_one()
    return last - count + 1
