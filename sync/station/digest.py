"""The station's side of the end-of-sync check (sync.digest), and where records of a scope went.

Both read the caller's pull scope: what the station would send this device from cursor 0.
"""
from __future__ import annotations

from sqlalchemy import Connection, and_, select

from sync import digest, grid_scope, records

from . import scope, tables
from .writer import fetch_rows

LOCATION = {"person": "household_id"}        # the field that places a record; grid_code for the others


def tally(conn: Connection, prefixes: list[str], exclude: set[tuple[str, str]]) -> dict[str, dict]:
    """Count and digest per type of the records in scope, leaving out `exclude` ((type, id))."""
    rv = tables.record_version
    found = digest.Tally()
    for record_type in digest.CHECKED_TYPES:
        table = records.record_table(record_type)
        rows = conn.execute(select(table.c.id, table.c.clocks)
                            .join(rv, and_(rv.c.record_type == record_type, rv.c.record_id == table.c.id))
                            .where(grid_scope.sql_clause(rv.c.grid_code, prefixes)))
        found.add_all(record_type, ((i, c) for i, c in rows if (record_type, i) not in exclude))
    return found.as_wire()


def whereabouts(conn: Connection, prefixes: list[str], record_type: str, ids: list[str]) -> list[dict]:
    """For records a laptop holds in its scope that the station does not place there: where each is now,
    as pull rows of the one field that places it (a household moved to another village, a resident to
    another household), so the laptop's stale copy follows. Records in scope, or unknown, are left out."""
    if record_type not in digest.CHECKED_TYPES:
        return []
    rv = tables.record_version
    placed = dict(conn.execute(select(rv.c.record_id, rv.c.grid_code).where(
        rv.c.record_type == record_type, rv.c.record_id.in_(ids))).all())
    away = [i for i in ids if i in placed and not scope.in_scope(prefixes, placed[i])]
    field = LOCATION.get(record_type, "grid_code")
    rows = []
    for record_id, row in fetch_rows(conn, record_type, away).items():
        stamp = row["clocks"].get(field)
        if stamp:
            rows.append({"type": record_type, "id": record_id, "f": {field: row[field]}, "c": {field: stamp}})
    return rows
