"""A single save's statements, handed to the SQLite driver directly.

A save is about ten small statements. SQLAlchemy adds 50–200 µs to each (building the
statement, its cache key, parameter and result processing): as much as SQLite's own work
on the save, encryption included. So repository.put runs them on the DB-API connection of
its SQLAlchemy transaction (same connection, same transaction), with rows encoded and
decoded here as SQLAlchemy's types would: JSON columns as text, booleans as 0/1, the
columns' defaults filled in on insert.
"""
from __future__ import annotations

import functools
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Connection

from sync import records


def driver(conn: Connection) -> Any:
    """The DB-API connection under `conn`, inside its open transaction."""
    return conn.connection.driver_connection


class RecordSQL:
    """The save path's statements on one record type's table."""

    def __init__(self, record_type: str):
        table = records.record_table(record_type)
        self.name = table.name
        self.key = records.key_field(record_type)
        self.columns = [c.name for c in table.columns]
        self._json = frozenset(c.name for c in table.columns if isinstance(c.type, JSON))
        self._bools = frozenset(c.name for c in table.columns if isinstance(c.type, Boolean))
        self._defaults = {c.name: c.default for c in table.columns if c.default is not None}
        names = ", ".join(f'"{c}"' for c in self.columns)
        self._select = f'SELECT rowid, {names} FROM "{self.name}" WHERE "{self.key}" = ?'
        self._exists = f'SELECT 1 FROM "{self.name}" WHERE "{self.key}" = ?'
        self._insert = f'INSERT INTO "{self.name}" ({names}) VALUES ({", ".join("?" * len(self.columns))})'

    def fetch(self, conn: Connection, record_id: str) -> tuple[int, dict] | None:
        """(rowid, row) of the record, or None."""
        found = driver(conn).execute(self._select, (record_id,)).fetchone()
        if found is None:
            return None
        row = dict(zip(self.columns, found[1:], strict=True))
        for name in self._json:
            if row[name] is not None:
                row[name] = orjson.loads(row[name])
        for name in self._bools:
            if row[name] is not None:
                row[name] = bool(row[name])
        return found[0], row

    def exists(self, conn: Connection, record_id: str) -> bool:
        return driver(conn).execute(self._exists, (record_id,)).fetchone() is not None

    def insert(self, conn: Connection, row: dict) -> int:
        """Insert a new record; its rowid."""
        values = []
        for name in self.columns:
            if name in row:
                value = row[name]
            elif name in self._defaults:
                default = self._defaults[name]
                value = default.arg(None) if default.is_callable else default.arg   # type: ignore[attr-defined]
            else:
                value = None
            values.append(self._encode(name, value))
        return driver(conn).execute(self._insert, values).lastrowid

    def update(self, conn: Connection, record_id: str, values: dict) -> None:
        names = tuple(values)
        params = [self._encode(n, values[n]) for n in names]
        driver(conn).execute(self._update(names), (*params, record_id))

    @functools.lru_cache(maxsize=256)   # noqa: B019 -- one instance per record type, kept for the process
    def _update(self, names: tuple[str, ...]) -> str:
        sets = ", ".join(f'"{n}" = ?' for n in names)
        return f'UPDATE "{self.name}" SET {sets} WHERE "{self.key}" = ?'

    def _encode(self, name: str, value: Any) -> Any:
        # None too, as SQLAlchemy's JSON type writes it: 'null'
        return orjson.dumps(value).decode() if name in self._json else value


@functools.cache
def record_sql(record_type: str) -> RecordSQL:
    return RecordSQL(record_type)


def log_change(conn: Connection, device_id: str, record_type: str, record_id: str, op: str,
               fields: dict, base: dict, hlc: int) -> None:
    """Append a pending change-log entry (the row schema.change_log defines)."""
    driver(conn).execute(
        "INSERT INTO change_log (device_id, record_type, record_id, op, fields, base, hlc, state) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')",
        (device_id, record_type, record_id, op, orjson.dumps(fields).decode(), orjson.dumps(base).decode(), hlc))


def read_metas(conn: Connection, *keys: str) -> dict[str, str]:
    marks = ", ".join("?" * len(keys))
    return dict(driver(conn).execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys).fetchall())


def write_meta(conn: Connection, key: str, value: str) -> None:
    driver(conn).execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
