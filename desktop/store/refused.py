"""Changes the station refused, handled by the worker: discarding one gives up sending it and
puts the record back to what the station holds.

A discarded change stays in the log (state "discarded", sent as a skip marker like any
set-aside change), and each field it wrote, unless written again since, goes back:
- a field it set first (no earlier stamp in its base) is emptied;
- a field whose earlier value was this device's own gets that value and stamp back from
  the change that wrote it;
- a field whose earlier value came from another device loses its stamp, and the pull
  cursor is dropped, so the next sync brings the station's value back.
A record the change created, of which the station accepted nothing, is removed here.
"""
from __future__ import annotations

from sqlalchemy import select, update

from sync import clock, records

from . import search
from .repository import DELETED, RECORD_BASE, Store
from .schema import change_log, meta

PULL_CURSOR = "pull_cursor"          # desktop/syncing/pull.CURSOR_KEY (the store does not import syncing)
NO_STAMP = ""                        # below every stamp: whatever the station sends wins


def discard(store: Store, seqs: list[int]) -> int:
    """Discard these set-aside changes (one transaction); return how many were discarded."""
    done = 0
    with store.atomic() as conn:
        for seq in seqs:
            change = conn.execute(select(change_log).where(change_log.c.seq == seq,
                                                           change_log.c.state == "set_aside")).mappings().first()
            if change is not None:
                _discard_one(store, conn, dict(change))
                done += 1
    return done


def _discard_one(store: Store, conn, change: dict) -> None:
    record_type, record_id = change["record_type"], change["record_id"]
    conn.execute(update(change_log).where(change_log.c.seq == change["seq"]).values(state="discarded"))
    row = store._fetch(conn, record_type, record_id)
    if row is None:
        return
    accepted = conn.execute(select(change_log.c.seq).where(
        change_log.c.record_type == record_type, change_log.c.record_id == record_id,
        change_log.c.state.in_(("pending", "acked")))).first()
    if RECORD_BASE not in change["base"] and accepted is None:
        _remove(conn, record_type, record_id)        # the station never had it
        return
    mine = clock.stamp(change["hlc"], store.device_id)
    clocks, values, repull = dict(row["clocks"]), {}, False
    for name in change["fields"]:
        if clocks.get(name) != mine:
            continue                                  # written again since: that write stands
        before = change["base"].get(name)
        if before is None:
            values[name] = records.empty_value(record_type, name) if name != DELETED else False
            clocks.pop(name)
        elif before[16:] == store.device_id:
            values[name], clocks[name] = _own_value(conn, record_type, record_id, name, before), before
        else:
            clocks[name], repull = NO_STAMP, True
    table = records.record_table(record_type)
    key = table.c[records.key_field(record_type)]
    conn.execute(update(table).where(key == record_id).values(**values, clocks=clocks))
    if repull:
        conn.execute(meta.delete().where(meta.c.key == PULL_CURSOR))
    if record_type in search.SEARCHED:
        search.reindex_ids(conn, record_type, [record_id])


def _own_value(conn, record_type: str, record_id: str, name: str, stamp: str):
    """The value this device wrote with `stamp`, from its own change log."""
    fields = conn.execute(select(change_log.c.fields).where(
        change_log.c.record_type == record_type, change_log.c.record_id == record_id,
        change_log.c.hlc == clock.stamp_hlc(stamp))).scalar()
    return (fields or {}).get(name)


def _remove(conn, record_type: str, record_id: str) -> None:
    table = records.record_table(record_type)
    key = table.c[records.key_field(record_type)]
    if record_type in search.SEARCHED:
        rowid = conn.exec_driver_sql(f'SELECT rowid FROM "{table.name}" WHERE id = ?', (record_id,)).scalar()
        if rowid is not None:
            search.unindex(conn, record_type, rowid)
    conn.execute(table.delete().where(key == record_id))
