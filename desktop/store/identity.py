"""A data folder that turns out to be a copy takes a device identity of its own.

A folder restored from a backup, or copied to a second laptop, carries the device id of
the original. Both then number their changes from the same sequence, and the station
would take the copy's new changes for replays of the original's. So the copy forks: the
changes the station holds stay with the old device, the rest move to a new device that
continues the numbering after them (their stamps in the records and in later changes'
bases move with them), and the pull starts again from nothing, so the original's
records come back too. One transaction: a fork is whole or not at all.
"""
from __future__ import annotations

import datetime as dt
import logging

import orjson
from sqlalchemy import bindparam, func, select, update

from sync import clock, records
from sync.ids import new_id

from .repository import Store
from .schema import change_log

log = logging.getLogger(__name__)
NOTE_KEY = "identity_note"        # JSON: why and when this folder took a new device id
BASE_KEY = "device_base"          # the sequence the current device's own changes continue after
OWNER_KEY = "device_owner"        # the account the current device id is registered to
ACKED_KEY = "acked_seq"
CURSOR_KEY = "pull_cursor"
REASONS = ("restored", "copied", "other_account")


def last_seq(store: Store) -> int:
    """The highest sequence in the change log (0 if empty)."""
    with store.reading() as conn:
        return int(conn.execute(select(func.max(change_log.c.seq))).scalar() or 0)


def fork(store: Store, keep_upto: int, reason: str, new_device_id: str | None = None) -> str:
    """Move the changes after `keep_upto` to a new device (the station holds those up to it)."""
    assert reason in REASONS, reason
    old, new = store.device_id, new_device_id or new_id()
    with store.atomic() as conn:
        moved = conn.execute(select(change_log.c.seq, change_log.c.record_type, change_log.c.record_id,
                                    change_log.c.fields, change_log.c.base, change_log.c.hlc)
                             .where(change_log.c.seq > keep_upto).order_by(change_log.c.seq)).all()
        renamed = {clock.stamp(hlc, old): clock.stamp(hlc, new) for *_rest, hlc in moved}
        _restamp_records(conn, {(t, i) for _s, t, i, *_rest in moved}, renamed)
        if moved:
            conn.execute(update(change_log).where(change_log.c.seq == bindparam("s"))
                         .values(base=bindparam("b"), device_id=new),
                         [{"s": seq, "b": {f: renamed.get(s, s) for f, s in base.items()}}
                          for seq, _t, _i, _f, base, _h in moved])
        conn.execute(update(change_log).where(change_log.c.seq <= keep_upto, change_log.c.state == "pending")
                     .values(state="acked"))
        note = {"reason": reason, "previous_device": old, "after": keep_upto, "moved": len(moved),
                "at": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        store.set_meta(conn, **{NOTE_KEY: orjson.dumps(note).decode(), "device_id": new, ACKED_KEY: str(keep_upto),
                                BASE_KEY: str(keep_upto), CURSOR_KEY: None, OWNER_KEY: None})
    store.device_id = new
    log.warning("this data folder is a copy (%s) of device %s: it continues as device %s after change %d; "
                "%d unsent changes moved to it, and everything in its scope is pulled again",
                reason, old, new, keep_upto, len(moved))
    return new


def _restamp_records(conn, keys: set[tuple[str, str]], renamed: dict[str, str]) -> None:
    """Field stamps of the moved changes name the new device (the station stamps them so)."""
    by_type: dict[str, list[str]] = {}
    for record_type, record_id in keys:
        by_type.setdefault(record_type, []).append(record_id)
    for record_type, ids in by_type.items():
        table = records.record_table(record_type)
        key = table.c[records.key_field(record_type)]
        changed = []
        for start in range(0, len(ids), 500):
            for record_id, clocks in conn.execute(select(key, table.c.clocks).where(key.in_(ids[start:start + 500]))):
                fresh = {f: renamed.get(s, s) for f, s in (clocks or {}).items()}
                if fresh != clocks:
                    changed.append({"k": record_id, "c": fresh})
        if changed:
            conn.execute(update(table).where(key == bindparam("k")).values(clocks=bindparam("c")), changed)


def note(store: Store) -> dict | None:
    """Why this folder took its current device id, if it forked."""
    raw = store.get_meta(NOTE_KEY)
    return orjson.loads(raw) if raw else None
