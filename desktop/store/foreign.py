"""What a newer station sends that this release does not know: kept, never dropped.

A station upgraded before its laptops (the version window, sync.protocol) may send a field
added to a record type after this release, or a whole new record type. Dropping them would
lose them for good: the pull cursor moves past them, and the record's clocks would claim
the field was seen. So they are split off the pulled rows and kept in `foreign_field` with
their stamps (the later stamp wins, as for any field); the release that knows them merges
them into the records before its next pull (`promote`).
"""
from __future__ import annotations

import functools

from sqlalchemy import Connection, and_, delete, or_, select, tuple_
from sqlalchemy.dialects.sqlite import insert

from sync import records

from .schema import foreign_field


@functools.cache
def known_fields(record_type: str) -> frozenset[str]:
    """The fields of a record type that travel: its columns, the tombstone among them, not its clocks."""
    return frozenset(c.name for c in records.record_table(record_type).columns) - {"clocks"}


def split(rows: list[dict]) -> tuple[list[dict], list[tuple]]:
    """Pulled rows with only what this release knows, and the rest as foreign_field rows."""
    kept, foreign = [], []
    for row in rows:
        record_type = row["type"]
        if record_type not in records.RECORD_TYPES:
            foreign += [(record_type, row["id"], f, v, row["c"].get(f, "")) for f, v in row["f"].items()]
            continue
        known = known_fields(record_type)
        if row["f"].keys() <= known and row["c"].keys() <= known:
            kept.append(row)
            continue
        foreign += [(record_type, row["id"], f, v, row["c"].get(f, "")) for f, v in row["f"].items()
                    if f not in known]
        fields = {f: v for f, v in row["f"].items() if f in known}
        if fields:
            kept.append({**row, "f": fields, "c": {f: s for f, s in row["c"].items() if f in known}})
    return kept, foreign


def keep(conn: Connection, foreign: list[tuple]) -> None:
    """Store foreign fields; a later stamp replaces an earlier one."""
    if not foreign:
        return
    statement = insert(foreign_field)
    statement = statement.on_conflict_do_update(
        index_elements=["record_type", "record_id", "field"],
        set_={"value": statement.excluded.value, "stamp": statement.excluded.stamp},
        where=statement.excluded.stamp > foreign_field.c.stamp)
    conn.execute(statement, [{"record_type": t, "record_id": i, "field": f, "value": v, "stamp": s}
                             for t, i, f, v, s in foreign])


def promotable(conn: Connection) -> list[dict]:
    """Kept fields this release now knows, as pulled rows ({type, id, f, c}), removed from the keep."""
    found = conn.execute(select(foreign_field.c.record_type, foreign_field.c.field).distinct()).all()
    known = [(t, f) for t, f in found if t in records.RECORD_TYPES and f in known_fields(t)]
    if not known:
        return []
    chosen = or_(*[and_(foreign_field.c.record_type == t, foreign_field.c.field == f) for t, f in known])
    rows: dict[tuple[str, str], dict] = {}
    for t, i, f, v, s in conn.execute(select(foreign_field.c.record_type, foreign_field.c.record_id,
                                             foreign_field.c.field, foreign_field.c.value,
                                             foreign_field.c.stamp).where(chosen)):
        row = rows.setdefault((t, i), {"type": t, "id": i, "f": {}, "c": {}})
        row["f"][f], row["c"][f] = v, s
    conn.execute(delete(foreign_field).where(tuple_(foreign_field.c.record_type, foreign_field.c.field)
                                             .in_(known)))
    return list(rows.values())
