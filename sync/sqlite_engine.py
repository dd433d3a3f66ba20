"""One way to open SQLite for both sides: SQLAlchemy (not pysqlite) begins transactions, pragmas, orjson JSON."""
from __future__ import annotations

import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event

from . import wal_checkpoints


def json_dumps(value: Any) -> str:
    """Compact UTF-8 JSON: Chinese text stays readable and a third of the size of \\u escapes."""
    return orjson.dumps(value).decode()


JSON_OPTIONS: dict[str, Any] = {"json_serializer": json_dumps, "json_deserializer": orjson.loads}


def sqlite_engine(url: str, pragmas: Sequence[str], begin: str = "BEGIN", **options: Any) -> Engine:
    """An engine on a SQLite URL whose connections run `pragmas`; a transaction starts with `begin`
    unless the execution option `sqlite_begin` says otherwise (BEGIN IMMEDIATE takes the write lock up front,
    so a read-then-write never meets another writer). A file's WAL checkpoints run in the background
    (wal_checkpoints)."""
    engine = create_engine(url, **JSON_OPTIONS, **options)
    database = engine.url.database
    if database and database != ":memory:":
        pragmas = (*pragmas, *wal_checkpoints.PRAGMAS)
        _CHECKPOINTS[engine] = wal_checkpoints.BackgroundCheckpoints(engine, Path(database))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None     # SQLAlchemy's "begin" event decides, below
        for pragma in pragmas:
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", begin))

    return engine


_CHECKPOINTS: weakref.WeakKeyDictionary[Engine, wal_checkpoints.BackgroundCheckpoints] = weakref.WeakKeyDictionary()


def checkpoints(engine: Engine) -> wal_checkpoints.BackgroundCheckpoints | None:
    """The background checkpoints of an engine made by sqlite_engine (None for other engines)."""
    return _CHECKPOINTS.get(getattr(engine, "engine", engine))
