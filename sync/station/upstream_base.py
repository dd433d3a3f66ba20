"""What the upper station is known to hold of each record: the field stamps last sent up or come down.

A forwarded change carries them as its base (`b`): a field the lower station changed since (its
stamp is not the base) meeting a field the upper station changed since (its stamp is not the base
either) is two concurrent edits, and the upper station notes the conflict. Fields the lower station
changed while a pull brought another value keep their old base, so the conflict is noted once, at
the station where the two edits meet.
"""
from __future__ import annotations

from sqlalchemy import Connection, and_, delete, select

from . import tables
from .writer import chunks


def held(conn: Connection, record_type: str, ids) -> dict[str, dict[str, str]]:
    """Each record's base stamps by id (records never exchanged are absent)."""
    b = tables.upstream_base
    found: dict[str, dict[str, str]] = {}
    for part in chunks(sorted(set(ids))):
        found.update(conn.execute(select(b.c.record_id, b.c.clocks).where(
            b.c.record_type == record_type, b.c.record_id.in_(part))).all())
    return found


def keep(conn: Connection, record_type: str, bases: dict[str, dict[str, str]]) -> None:
    """Replace the base stamps of these records."""
    if not bases:
        return
    b = tables.upstream_base
    for part in chunks(sorted(bases)):
        conn.execute(delete(b).where(and_(b.c.record_type == record_type, b.c.record_id.in_(part))))
    conn.execute(b.insert(), [{"record_type": record_type, "record_id": i, "clocks": c} for i, c in bases.items()])


def drop(conn: Connection, record_type: str, ids) -> None:
    b = tables.upstream_base
    for part in chunks(sorted(set(ids))):
        conn.execute(delete(b).where(and_(b.c.record_type == record_type, b.c.record_id.in_(part))))


def forget(conn: Connection) -> None:
    conn.execute(delete(tables.upstream_base))
