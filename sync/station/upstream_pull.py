"""What comes down: a pull page of the upper station merged here per field by stamp, with its cursor.

The same rule as everywhere (sync.merge): a field takes the incoming value only if its stamp is
greater, so a page applied twice changes nothing the second time. Each record that changes gets
a fresh station sequence, so this station's laptops receive it on their next pull; a sequence
made only by this pull (the record had nothing waiting to go up) is noted in
station_upstream_echo, and the taker does not send it back up. Rows are the upper station's
word on its own merge: they are not validated again here (a laptop's pull does not either).
"""
from __future__ import annotations

import orjson
from sqlalchemy import Connection, select

from sync import records
from sync.merge import merge_fields, newest_hlc, stamp_device
from sync.protocol import DELETED

from . import db, tables, upstream, upstream_base
from .writer import audit_values, bump_versions, chunks, complete_row, device_users, fetch_rows, write_rows


def apply_page(conn: Connection, rows: list[dict], cursor: int) -> int:
    """Merge one pull page and keep its cursor, in the caller's transaction; return the records changed."""
    db.lock_writers(conn)
    by_type: dict[str, dict[str, dict]] = {}
    for row in rows:
        if row.get("type") in records.RECORD_TYPES and isinstance(row.get("f"), dict):
            by_type.setdefault(row["type"], {})[row["id"]] = row
    changed: list[tuple[str, str, dict, bool]] = []         # (type, id, merged row, is new)
    audited: list[list] = []                                 # [type, id, the fields that took the upper's value]
    households: dict[str, dict] = {}
    conflicts: list[dict] = []
    newest = 0
    for record_type in records.RECORD_TYPES:                 # households before the people in them
        incoming = by_type.get(record_type)
        if not incoming:
            continue
        current = fetch_rows(conn, record_type, list(incoming))
        bases = upstream_base.held(conn, record_type, incoming)
        inserts: list[dict] = []
        updates: list[dict] = []
        for record_id, row in incoming.items():
            stamps = {f: s for f, s in row["c"].items() if f in row["f"]}
            newest = max(newest, newest_hlc(stamps))
            old = current.get(record_id)
            bases[record_id] = _met(record_type, record_id, old, bases.get(record_id), row["f"], stamps, conflicts)
            wins, clocks, _overwrites = merge_fields(old, old["clocks"] if old else {}, row["f"], stamps)
            if not wins:
                continue
            merged = {**(old or {records.key_field(record_type): record_id}), **wins, "clocks": clocks}
            full = complete_row(record_type, merged, {})
            (updates if old else inserts).append(full)
            changed.append((record_type, record_id, full, old is None))
            audited.append([record_type, record_id, sorted(wins)])
            if record_type == "household":
                households[record_id] = full
        write_rows(conn, record_type, inserts, updates)
        upstream_base.keep(conn, record_type, {i: bases[i] for i in incoming})
    versions = [(t, i, _grid(conn, t, row, households)) for t, i, row, _new in changed]
    versions += _moved_people(conn, households, {i for t, i, _r, _n in changed if t == "person"})
    _bump_noting_echo(conn, versions)
    _observe(conn, newest)
    _note(conn, conflicts)
    if audited:          # one audit row per page, as a push writes one per batch
        link = upstream.current(conn)
        audit_values(conn, [(f"upstream:{link.user if link else ''}", link.device if link else None,
                             "upstream_pull", None, None, None,
                             orjson.dumps({"cursor": cursor, "changes": audited}).decode())])
    upstream.set_values(conn, cursor=cursor)
    return len(changed)


def _met(record_type: str, record_id: str, old: dict | None, base: dict | None, values: dict, stamps: dict,
         conflicts: list[dict]) -> dict[str, str]:
    """The record's new base: the stamps that came down, except for fields changed here since the last
    exchange. Such a field that loses here is two concurrent edits meeting here: noted here (the upper
    station then holds the winner, so it notes nothing); one that wins keeps its old base, so the upper
    station notes it when it arrives there. Records never exchanged (no base) are taken as exchanged."""
    if old is None or base is None:
        return dict(stamps)
    new = dict(base)
    for f, stamp in stamps.items():
        mine = old["clocks"].get(f)
        if mine is None or mine in (stamp, base.get(f)):
            new[f] = max(stamp, base.get(f) or stamp)     # a stale reply file never moves the base back
        elif stamp > mine:
            new[f] = stamp
            if old.get(f) != values[f]:
                conflicts.append({"kind": "edit_on_deleted" if f == DELETED else "hard", "record_type": record_type,
                                  "record_id": record_id, "field": f, "kept_value": values[f], "kept_stamp": stamp,
                                  "lost_value": old.get(f), "lost_stamp": mine})
    return new


def _note(conn: Connection, conflicts: list[dict]) -> None:
    if not conflicts:
        return
    users = device_users(conn, [c["kept_stamp"] for c in conflicts] + [c["lost_stamp"] for c in conflicts])
    now = db.now_ms()
    conn.execute(tables.conflict.insert(), [
        {**c, "created_ms": now, "kept_user": users.get(stamp_device(c["kept_stamp"])),
         "lost_user": users.get(stamp_device(c["lost_stamp"]))} for c in conflicts])


def _grid(conn: Connection, record_type: str, row: dict, households: dict[str, dict]) -> str | None:
    if record_type != "person":
        return row.get("grid_code")
    household = households.get(row.get("household_id") or "")
    if household is None and row.get("household_id"):
        household = fetch_rows(conn, "household", [row["household_id"]], columns=("grid_code",)).get(
            row["household_id"])
    return household.get("grid_code") if household else None


def _moved_people(conn: Connection, households: dict[str, dict], done: set[str]) -> list[tuple[str, str, str | None]]:
    """Residents of a household that changed here follow its grid (the scope filters read it)."""
    if not households:
        return []
    rv = tables.record_version
    person = records.record_table("person")
    out = []
    for part in chunks(sorted(households)):
        people = conn.execute(select(person.c.id, person.c.household_id, rv.c.grid_code)
                              .join(rv, (rv.c.record_type == "person") & (rv.c.record_id == person.c.id))
                              .where(person.c.household_id.in_(part))).all()
        for pid, hid, grid in people:
            new_grid = households[hid].get("grid_code")
            if pid not in done and grid != new_grid:
                out.append(("person", pid, new_grid))
    return out


def _bump_noting_echo(conn: Connection, versions: list[tuple[str, str, str | None]]) -> None:
    """Fresh sequences; those of records with nothing waiting to go up are this pull's alone."""
    if not versions:
        return
    taken = upstream.number(conn, "taken")
    rv = tables.record_version
    before: dict[tuple[str, str], int] = {}
    by_type: dict[str, list[str]] = {}
    for t, i, _g in versions:
        by_type.setdefault(t, []).append(i)
    for t, ids in by_type.items():
        for part in chunks(sorted(set(ids))):
            before.update({(t, i): s for i, s in conn.execute(
                select(rv.c.record_id, rv.c.seq).where(rv.c.record_type == t, rv.c.record_id.in_(part)))})
    last = bump_versions(conn, versions)
    first = last - len(versions) + 1
    echo = [{"seq": first + n} for n, (t, i, _g) in enumerate(versions) if before.get((t, i), 0) <= taken]
    if echo:
        conn.execute(tables.upstream_echo.insert(), echo)


def _observe(conn: Connection, newest: int) -> None:
    """The station's own clock moves past what came down, so its next stamps order after it."""
    if newest and newest > int(db.get_setting(conn, "hlc") or 0):
        db.set_setting(conn, "hlc", str(newest))


__all__ = ["apply_page"]
