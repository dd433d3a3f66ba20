"""What goes up: records changed at this station in its scope, taken into the outbox with their stamps.

The taker walks record_version above its cursor (upstream_taken) in station-sequence order and
puts each record's current state, every field with the stamp its author gave it, into the
outbox under the next outbound sequence, in the same transaction as the cursor. Sequences a
pull from the upper station made (station_upstream_echo) are passed over: what came down is not
sent up again. Grids and settings are the upper station's to hand down, never sent up; photos
(their bytes) are left for later.
"""
from __future__ import annotations

from sqlalchemy import Connection, delete, select, update

from sync import grid_scope, records
from sync.merge import newest_hlc

from . import db, tables, upstream, upstream_base
from .writer import chunks, fetch_rows

# Grids and settings are handed down, never sent up; photo records go up, their bytes after them (upstream_photos).
FORWARDED = tuple(t for t in records.RECORD_TYPES if t not in ("grid", "setting"))
TYPE_ORDER = {t: n for n, t in enumerate(records.RECORD_TYPES)}      # households before their people
TAKE = 500


def as_change(record_type: str, row: dict, base: dict[str, str] | None = None) -> dict:
    """A record's state as a forwarded change: its fields, each with its own stamp, and as base the
    stamps the upper station is known to hold (upstream_base)."""
    stamps = _sent_stamps(row)
    base = base or {}
    return {"type": record_type, "id": row[records.key_field(record_type)],
            "op": "delete" if row.get("deleted") else "put", "hlc": newest_hlc(stamps),
            "f": {f: row[f] for f in stamps}, "b": base, "s": stamps}


def take(conn: Connection, limit: int = TAKE) -> int:
    """Take up to `limit` station sequences into the outbox; return how many were examined (0: caught up)."""
    db.lock_writers(conn)
    taken = upstream.number(conn, "taken")
    link = upstream.current(conn)
    grids = link.grids if link else []
    rv = tables.record_version
    versions = conn.execute(select(rv.c.record_type, rv.c.record_id, rv.c.seq, rv.c.grid_code)
                            .where(rv.c.seq > taken).order_by(rv.c.seq).limit(limit)).all()
    if not versions:
        return 0
    last = versions[-1][2]
    echo = set(conn.execute(select(tables.upstream_echo.c.seq).where(tables.upstream_echo.c.seq > taken,
                                                                   tables.upstream_echo.c.seq <= last)).scalars())
    wanted: dict[str, set[str]] = {}
    outside: dict[str, set[str]] = {}
    for record_type, record_id, seq, grid in versions:
        if seq in echo or record_type not in FORWARDED:
            continue
        (wanted if grid_scope.in_scope(grids, grid) else outside).setdefault(record_type, set()).add(record_id)
    for record_type, ids in outside.items():      # moved out of this scope: the upper station holds it here
        wanted.setdefault(record_type, set()).update(upstream_base.held(conn, record_type, ids))
    _with_pending_households(conn, wanted, last)
    _enqueue(conn, wanted, unchanged=False)
    upstream.set_values(conn, taken=last)
    conn.execute(delete(tables.upstream_echo).where(tables.upstream_echo.c.seq <= last))
    return len(versions)


def _enqueue(conn: Connection, wanted: dict[str, set[str]], unchanged: bool) -> int:
    """Put these records' current state into the outbox under the next outbound sequences, households
    before their people; a record the upper station holds as it is here is left out unless `unchanged`."""
    changes = []
    for record_type in sorted(wanted, key=TYPE_ORDER.__getitem__):
        found = fetch_rows(conn, record_type, wanted[record_type])
        bases = upstream_base.held(conn, record_type, found)
        if not unchanged:
            found = {rid: row for rid, row in found.items() if _sent_stamps(row) != bases.get(rid)}
        changes += [(record_type, rid, as_change(record_type, found[rid], bases.get(rid))) for rid in sorted(found)]
        # once sent, the upper station holds these stamps: the next change of the record is based on them
        upstream_base.keep(conn, record_type, {rid: {**bases.get(rid, {}), **_sent_stamps(found[rid])}
                                               for rid in found})
    numbered = upstream.number(conn, "numbered")
    if changes:
        conn.execute(tables.upstream_outbox.insert(), [
            {"seq": numbered + n, "record_type": t, "record_id": i, "change": {**c, "seq": numbered + n}}
            for n, (t, i, c) in enumerate(changes, start=1)])
    upstream.set_values(conn, numbered=numbered + len(changes))
    return len(changes)


def _sent_stamps(row: dict) -> dict[str, str]:
    return {f: s for f, s in row["clocks"].items() if f in row}


def _with_pending_households(conn: Connection, wanted: dict[str, set[str]], last: int) -> None:
    """A resident's household goes with it if the household is still to be taken (changed again since),
    so the upper station never meets a resident of a household it does not have yet."""
    if "person" not in wanted:
        return
    people = fetch_rows(conn, "person", wanted["person"], columns=("household_id",))
    households = {p["household_id"] for p in people.values() if p.get("household_id")} - wanted.get("household", set())
    rv = tables.record_version
    for part in chunks(sorted(households)):
        pending = conn.execute(select(rv.c.record_id).where(rv.c.record_type == "household", rv.c.record_id.in_(part),
                                                            rv.c.seq > last)).scalars()
        wanted.setdefault("household", set()).update(pending)


def batch(conn: Connection, after: int, size: int = 500) -> list[dict]:
    """The outbox above `after`, as sent: a change, or a skip marker if the upper station refused it."""
    o = tables.upstream_outbox
    rows = conn.execute(select(o.c.seq, o.c.change, o.c.set_aside).where(o.c.seq > after)
                        .order_by(o.c.seq).limit(size)).all()
    return [{"seq": seq, "skip": True} if set_aside else change for seq, change, set_aside in rows]


def acknowledged(conn: Connection, acked: int) -> None:
    """The upper station holds everything up to `acked`: those changes leave the outbox."""
    if acked > upstream.number(conn, "acked"):
        upstream.set_values(conn, acked=acked)
    o = tables.upstream_outbox
    conn.execute(delete(o).where(o.c.seq <= acked, o.c.set_aside.is_(None)))


def set_aside(conn: Connection, refused: dict[int, str]) -> None:
    """The upper station refused these: they go as skip markers, and the upper station does not hold
    them (their base is forgotten, so a later change of theirs is sent whole and noted nothing)."""
    o = tables.upstream_outbox
    for seq, code in refused.items():
        conn.execute(update(o).where(o.c.seq == seq).values(set_aside=code[:40]))
    for part in chunks(sorted(refused)):
        for record_type, record_id in conn.execute(select(o.c.record_type, o.c.record_id).where(o.c.seq.in_(part))):
            upstream_base.drop(conn, record_type, [record_id])


def retry(conn: Connection, grids: set[str] | None = None) -> int:
    """Send again, under new sequences, the set-aside changes of records in `grids` (None: all of them),
    as the records are now; return how many. Called when their refusal may have gone: the upper station
    handed down those grids (it knows them now, or changed them), or an hour passed (its release or this
    station's scope may have changed)."""
    db.lock_writers(conn)
    o = tables.upstream_outbox
    rows = conn.execute(select(o.c.seq, o.c.record_type, o.c.record_id, o.c.change)
                        .where(o.c.set_aside.is_not(None))).all()
    if grids is not None:
        households = fetch_rows(conn, "household", {c["f"].get("household_id") for _s, t, _i, c in rows
                                                     if t == "person" and c["f"].get("household_id")},
                                columns=("grid_code",))
        rows = [r for r in rows if _grid_of(r[1], r[3], households) in grids]
    if not rows:
        return 0
    for part in chunks([r[0] for r in rows]):
        conn.execute(delete(o).where(o.c.seq.in_(part)))
    wanted: dict[str, set[str]] = {}
    for _seq, record_type, record_id, _change in rows:
        wanted.setdefault(record_type, set()).add(record_id)
    return _enqueue(conn, wanted, unchanged=True)


def _grid_of(record_type: str, change: dict, households: dict[str, dict]) -> str | None:
    if record_type == "person":
        return (households.get(change["f"].get("household_id") or "") or {}).get("grid_code")
    return change["f"].get("grid_code")


def restart(conn: Connection, acked: int) -> None:
    """The upper station holds less than it acknowledged (restored from a backup): number on from what
    it holds and take everything again (its merge is idempotent, so nothing is doubled)."""
    conn.execute(delete(tables.upstream_outbox))
    conn.execute(delete(tables.upstream_echo))
    upstream_base.forget(conn)          # it may not hold what it was sent: everything goes again, whole
    upstream.set_values(conn, acked=acked, numbered=acked, taken=0)


def pending(conn: Connection) -> dict:
    """What waits to go up: outbox changes not acknowledged, set aside, and sequences not yet taken."""
    o = tables.upstream_outbox
    acked = upstream.number(conn, "acked")
    outbox = conn.execute(select(o.c.seq, o.c.set_aside).where(o.c.seq > acked)).all()
    counter = conn.execute(select(tables.counter.c.seq)).scalar() or 0
    return {"outbox": sum(1 for _s, a in outbox if not a),
            "set_aside": len(conn.execute(select(o.c.seq).where(o.c.set_aside.is_not(None))).all()),
            "untaken": max(0, counter - upstream.number(conn, "taken"))}


__all__ = ["FORWARDED", "acknowledged", "as_change", "batch", "pending", "restart", "retry", "set_aside", "take"]
