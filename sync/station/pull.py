"""Pull: one page of the records in a caller's scope above a cursor, in station-sequence order.

State-based: each row is the record's current fields with their stamps, minus the
fields whose winning stamp is the caller's own device (it has them already).
"""
from __future__ import annotations

from sqlalchemy import Connection, and_, select

from sync.merge import stamp_device
from sync.protocol import DEFAULT_PAGE, MAX_PAGE

from . import scope, tables
from .writer import fetch_rows


def pull_page(conn: Connection, prefixes: list[str], device_id: str | None, cursor: int = 0,
              limit: int = DEFAULT_PAGE, below: frozenset[str] = frozenset()) -> dict:
    """{"rows": [...], "cursor": last seq examined, "more": bool} for a holder of `prefixes`;
    below: the devices under a lower station (upstream_below), whose stamps it holds already: rows with
    nothing else are held back (counted in "held_back")."""
    limit = max(1, min(int(limit), MAX_PAGE))
    rv = tables.record_version
    versions = conn.execute(
        select(rv.c.record_type, rv.c.record_id, rv.c.seq)
        .where(and_(rv.c.seq > cursor, scope.version_filter(conn, prefixes)))
        .order_by(rv.c.seq).limit(limit + 1)).all()
    more = len(versions) > limit
    versions = versions[:limit]
    wanted: dict[str, list[str]] = {}
    for record_type, record_id, _seq in versions:
        wanted.setdefault(record_type, []).append(record_id)
    current = {t: fetch_rows(conn, t, ids) for t, ids in wanted.items()}
    rows = []
    held_back = 0
    for record_type, record_id, _seq in versions:
        record = current[record_type].get(record_id)
        if record is None:
            continue
        stamps = {f: s for f, s in record["clocks"].items() if f in record and stamp_device(s) != device_id}
        if below and stamps:
            stamps = {f: s for f, s in stamps.items() if stamp_device(s) not in below}
            held_back += not stamps
        if stamps:       # a row with nothing new for this device is skipped; the cursor still moves on
            rows.append({"type": record_type, "id": record_id, "f": {f: record[f] for f in stamps}, "c": stamps})
    page = {"rows": rows, "cursor": versions[-1][2] if versions else cursor, "more": more}
    if below:                   # a lower station's page only: laptops' pages keep their shape
        page["held_back"] = held_back
    return page
