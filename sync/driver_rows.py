"""Rows as the DB-API driver takes them (values in column order, JSON columns as text), for the bulk paths.

SQLAlchemy's per-row parameter processing costs more than SQLite itself on the bulk paths
(imports, a first pull, a station push), so those hand the driver tuples made here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import orjson
from sqlalchemy import JSON, Table


class DriverRows:
    """Encodes dict rows of `table` as tuples of `names` (default: every column, in table order)."""

    def __init__(self, table: Table, names: Sequence[str] | None = None):
        self.names = [c.name for c in table.columns] if names is None else list(names)
        self._pick: Callable[[dict], Any] = _picker(self.names)
        self._json = [i for i, name in enumerate(self.names) if isinstance(table.columns[name].type, JSON)]

    def row(self, row: dict) -> tuple:
        values = list(self._pick(row))
        dumps = orjson.dumps
        for i in self._json:
            values[i] = dumps(values[i]).decode()       # None too, as SQLAlchemy's JSON type writes it: 'null'
        return tuple(values)

    def rows(self, rows: Iterable[dict]) -> list[tuple]:
        return [self.row(r) for r in rows]


def _picker(names: list[str]) -> Callable[[dict], Any]:
    if len(names) == 1:                     # itemgetter of one name gives the value, not a 1-tuple
        name = names[0]
        return lambda row: (row[name],)
    import operator
    return operator.itemgetter(*names)
