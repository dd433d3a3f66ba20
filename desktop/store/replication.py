"""The store's side of sync: read the outbox, take acknowledgements, apply pulled rows.

Pulled rows are merged field by field (sync.merge) and written without change-log
entries, in one transaction per page, so a cursor is only advanced with its data.
"""
from __future__ import annotations

import functools
from typing import Any

import orjson
from sqlalchemy import bindparam, func, select, update

from sync import records
from sync.driver_rows import DriverRows
from sync.merge import merge_fields, newest_hlc

from . import bulk, foreign, places, search
from .repository import Store
from .schema import change_log, meta

ACKED_KEY = "acked_seq"


def pending_count(store: Store, upto: int | None = None) -> int:
    """Changes waiting to be sent (only those with seq <= `upto` if given)."""
    query = select(func.count()).select_from(change_log).where(change_log.c.state == "pending")
    if upto is not None:
        query = query.where(change_log.c.seq <= upto)
    with store.reading() as conn:
        return conn.execute(query).scalar_one()


def set_aside_changes(store: Store) -> list[dict]:
    with store.reading() as conn:
        rows = conn.execute(select(change_log).where(change_log.c.state == "set_aside")
                            .order_by(change_log.c.seq))
        return [dict(r._mapping) for r in rows]


def acked_seq(store: Store) -> int:
    return int(store.get_meta(ACKED_KEY, "0"))


def next_batch(store: Store, limit: int = 500, after: int | None = None) -> list[dict]:
    """The next contiguous run of changes the station has not acknowledged (or those after `after`)."""
    with store.reading() as conn:
        if after is None:
            after = int(store.get_meta(ACKED_KEY, conn=conn) or 0)
        rows = conn.execute(select(change_log).where(change_log.c.seq > after)
                            .order_by(change_log.c.seq).limit(limit))
        return [dict(r._mapping) for r in rows]


def wire_batch(store: Store, limit: int, after: int) -> list[dict]:
    """next_batch for the push loop: the changes after `after`, their fields and base left as the
    stored JSON text (orjson.Fragment), so sending them costs no decoding and re-encoding."""
    with store.reading() as conn:
        rows = conn.exec_driver_sql(
            "SELECT seq, record_type, record_id, op, fields, base, hlc, state FROM change_log "
            "WHERE seq > ? ORDER BY seq LIMIT ?", (after, limit)).all()
    return [{"seq": seq, "record_type": record_type, "record_id": record_id, "op": op,
             "fields": orjson.Fragment(fields), "base": orjson.Fragment(base), "hlc": hlc, "state": state}
            for seq, record_type, record_id, op, fields, base, hlc, state in rows]


def acknowledge(store: Store, upto: int) -> None:
    """The station holds every change up to `upto`: mark them sent."""
    with store.atomic() as conn:
        current = int(store.get_meta(ACKED_KEY, conn=conn) or 0)
        if upto <= current:
            return
        conn.execute(update(change_log).where(change_log.c.seq <= upto, change_log.c.state == "pending")
                     .values(state="acked"))
        store.set_meta(conn, **{ACKED_KEY: str(upto)})


def rewind(store: Store, to: int, forget: tuple[str, ...] = ()) -> None:
    """The station holds less than we thought (restored from a backup): send again what follows `to`,
    and drop the meta keys in `forget` (a pull cursor) in the same transaction."""
    with store.atomic() as conn:
        current = int(store.get_meta(ACKED_KEY, conn=conn) or 0)
        if to >= current:
            return
        conn.execute(update(change_log).where(change_log.c.seq > to, change_log.c.state == "acked")
                     .values(state="pending"))
        store.set_meta(conn, **{ACKED_KEY: str(max(to, 0))})
        if forget:
            conn.execute(meta.delete().where(meta.c.key.in_(forget)))


def set_aside(store: Store, reasons: dict[int, str]) -> None:
    """The station refused these changes: keep them, with the reason, out of the queue."""
    if not reasons:
        return
    with store.atomic() as conn:
        conn.execute(update(change_log).where(change_log.c.seq == bindparam("s"))
                     .values(state="set_aside", reason=bindparam("r")),
                     [{"s": seq, "r": reason} for seq, reason in reasons.items()])


def apply_remote(store: Store, rows: list[dict], cursor_key: str | None = None,
                 cursor: int | None = None) -> int:
    """Merge pulled rows ({type, id, f: fields, c: clocks}); return how many records changed.

    What this release does not know (a newer station's field or record type) is kept aside,
    and what an older release kept aside and this one knows is merged first (store.foreign)."""
    changed = 0
    with store.atomic() as conn:
        rows, unknown = foreign.split(rows)
        rows = foreign.promotable(conn) + rows
        foreign.keep(conn, unknown)
        by_type: dict[str, list[dict]] = {}
        for row in rows:
            by_type.setdefault(row["type"], []).append(row)
        for record_type in records.RECORD_TYPES:          # grids before households before people
            if record_type in by_type:
                changed += _apply_type(conn, record_type, by_type[record_type])
        if rows:
            store._advance_clock(conn)      # never write back a clock older than the file's
            store.clock.observe(max(newest_hlc(r["c"]) for r in rows), max_drift_ms=1 << 62)
            store.set_meta(conn, hlc=str(store.clock.last))
        if cursor_key is not None:
            store.set_meta(conn, **{cursor_key: str(cursor)})
    return changed


def _apply_type(conn, record_type: str, rows: list[dict]) -> int:
    table = records.record_table(record_type)
    key_name = records.key_field(record_type)
    key = table.c[key_name]
    ids = [r["id"] for r in rows]
    existing = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for r in conn.execute(select(table).where(key.in_(chunk))):
            existing[r._mapping[key_name]] = dict(r._mapping)
    inserts, updates = [], []
    for row in rows:
        current = existing.get(row["id"])
        winners, clocks, _ = merge_fields(current, current["clocks"] if current else {}, row["f"], row["c"])
        if not winners:
            continue
        if current is None:
            new = _blank(record_type)
            new.update(winners, clocks=clocks)
            new[key_name] = row["id"]
            existing[row["id"]] = new
            inserts.append(new)
        else:
            current.update(winners, clocks=clocks)
            updates.append(current)
    if inserts:
        _insert(conn, table, inserts)
    if updates:
        columns = [c.name for c in table.columns if c.name != key_name]
        conn.execute(update(table).where(key == bindparam("_key"))
                     .values({c: bindparam(c) for c in columns}),
                     [{"_key": u[key_name], **{c: u[c] for c in columns}} for u in updates])
    if record_type in search.SEARCHED:
        if inserts:          # new rows: terms from the rows in hand, no old terms to remove
            search.reindex_ids(conn, record_type, [r[key_name] for r in inserts],
                               {r[key_name]: r for r in inserts}, fresh=True)
        if updates:
            search.reindex_ids(conn, record_type, [r[key_name] for r in updates])
    return len(inserts) + len(updates)


def _insert(conn, table, rows: list[dict]) -> None:
    """New rows with one executemany on the driver (a first pull inserts a whole village); a row the
    database refuses rolls the whole page back (bulk.insert_sql), and the page is pulled again."""
    encoder = DriverRows(table)
    names, values = places.with_grids(conn, table.name, encoder.names, encoder.rows(rows), rows)
    conn.exec_driver_sql(bulk.insert_sql(table.name, names), values)


def _blank(record_type: str) -> dict:
    """A row to receive a record first seen through a partial change."""
    blank, containers = _blank_template(record_type)
    row = blank.copy()
    for name, kind in containers:           # fresh containers each time: the template is shared
        row[name] = kind()
    return row


@functools.cache
def _blank_template(record_type: str) -> tuple[dict, tuple[tuple[str, type], ...]]:
    """(the blank row, its (column, list or dict) pairs): a first pull makes one per record."""
    table = records.record_table(record_type)
    blank: dict[str, Any] = {}
    for column in table.columns:
        if column.name == "deleted":
            blank[column.name] = False
        elif not column.nullable:
            blank[column.name] = records.empty_value(record_type, column.name)
        else:
            blank[column.name] = None
    return blank, tuple((k, type(v)) for k, v in blank.items() if isinstance(v, (list, dict)))


__all__ = [
    "acked_seq",
    "acknowledge",
    "apply_remote",
    "meta",
    "next_batch",
    "pending_count",
    "rewind",
    "set_aside",
    "set_aside_changes",
    "wire_batch",
]
