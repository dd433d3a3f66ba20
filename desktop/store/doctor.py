"""`gridbook-cli doctor`: the data file's integrity, rows and bytes per table, the search index checked and mended.

Reads through sqlite-utils on a connection of its own; mending (rebuilding the search terms
from the records, then optimising the FTS5 indexes) goes through the store's transaction.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing

import sqlcipher3.dbapi2 as sqlcipher
import sqlite_utils

from . import search
from .engine import connect
from .repository import Store

# FTS5 keeps each index in shadow tables (_data, _idx, _content, _docsize, _config)
_SHADOW = ("_data", "_idx", "_content", "_docsize", "_config")


def examine(store: Store, mend: bool = False) -> dict:
    """{"integrity": "ok" | problems, "search_index": "ok" | problem, "tables": {name: {"rows", "bytes"}},
    "mended": bool}. With `mend`, the search index is rebuilt from the records and optimised first."""
    if mend:
        with store.atomic() as conn:
            search.rebuild(conn)
    with closing(connect(store.path, store.key)) as raw:     # the file is encrypted: keyed as the store is
        db = sqlite_utils.Database(raw)
        fts = db.table_names(fts5=True)
        if mend:
            for name in fts:
                with db.atomic():
                    db.execute(f"INSERT INTO [{name}]([{name}]) VALUES ('optimize')")
        problems = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
        index = _fts_integrity(db, fts)
        sizes = _bytes_per_table(db)
        shadows = {f + s for f in fts for s in _SHADOW}
        for name in fts:                        # an index's bytes are its shadow tables'
            sizes[name] = sum(sizes.get(name + s, 0) for s in _SHADOW)
        tables = {name: {"rows": db.table(name).count, "bytes": sizes.get(name)}
                  for name in sorted(db.table_names()) if name not in shadows}
    return {"integrity": "ok" if problems == ["ok"] else problems, "search_index": index,
            "tables": tables, "mended": mend}


def _fts_integrity(db: sqlite_utils.Database, fts: list[str]) -> str:
    """FTS5's own check of each index, then: does every live record have its search terms?"""
    for name in fts:
        try:
            db.execute(f"INSERT INTO [{name}]([{name}]) VALUES ('integrity-check')")
        except (sqlite3.DatabaseError, sqlcipher.DatabaseError) as exc:
            return f"{name}: {exc}"
    for record_type, name in search.SEARCHED.items():
        live = db.execute(f"SELECT count(*) FROM [{record_type}] WHERE NOT deleted").fetchone()[0]
        indexed = db.table(name).count
        if indexed != live:
            return f"{name}: {indexed} of {live} {record_type} records indexed"
    return "ok"


def _bytes_per_table(db: sqlite_utils.Database) -> dict[str, int]:
    """Bytes each table and its indexes take (SQLite's dbstat), or where dbstat is not compiled in
    (SQLCipher's build) the bytes of the values each table holds."""
    try:
        pages = db.execute("SELECT s.name, m.tbl_name, SUM(s.pgsize) FROM dbstat s "
                           "LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY s.name").fetchall()
    except (sqlite3.OperationalError, sqlcipher.OperationalError):
        return _value_bytes(db)
    out: dict[str, int] = {}
    for name, table, size in pages:
        out[table or name] = out.get(table or name, 0) + size
    return out


def _value_bytes(db: sqlite_utils.Database) -> dict[str, int]:
    out = {}
    for name in db.table_names():
        columns = [c.name for c in db.table(name).columns]
        if columns:
            total = " + ".join(f"coalesce(length(CAST([{c}] AS BLOB)), 0)" for c in columns)
            out[name] = int(db.execute(f"SELECT coalesce(sum({total}), 0) FROM [{name}]").fetchone()[0])
    return out
