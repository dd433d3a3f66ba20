"""Records the station itself writes (the task list, grid boundaries, …): station stamps, all or nothing.

Like the grid import: each row is compared with what is stored, the changed fields take one
fresh station stamp, a deleted row written again comes back, and each written record gets a
station sequence (so it syncs down) and an audit row.
"""
from __future__ import annotations

from sqlalchemy import Connection, select

from sync import messages, records
from sync.validation import ValidationError, clean_record

from . import db
from .errors import StationError
from .writer import audit, bump_versions, complete_row, fetch_rows, station_stamp, write_rows

messages.register({"station_rows": ("第 {row} 行：{detail}", "Row {row}: {detail}")})


def cleaned(conn: Connection, record_type: str, rows: list[dict], lang: str | None = None) -> list[dict]:
    """Every row through validation, or StationError 422 naming the first bad row (and listing all)."""
    grids = set(conn.execute(select(records.record_table("grid").c.code)).scalars())
    out, problems = [], []
    for number, row in enumerate(rows, start=1):
        try:
            out.append(clean_record(record_type, row, grids.__contains__))
        except ValidationError as exc:
            problems.append((number, exc.message(lang)))
    if problems:
        raise StationError(422, "station_rows", row=problems[0][0], detail=problems[0][1],
                           extra={"problems": [{"row": n, "message": m} for n, m in problems]})
    return out


def write(conn: Connection, actor: str, record_type: str, rows: list[dict], action: str,
          delete: bool = False) -> int:
    """Create or update (or, `delete`, tombstone) cleaned rows with one station stamp; how many changed."""
    db.lock_writers(conn)
    key = records.key_field(record_type)
    existing = fetch_rows(conn, record_type, [r[key] for r in rows])
    stamp = station_stamp(conn, max((s for r in existing.values() for s in r["clocks"].values()), default=None))
    inserts: list[dict] = []
    updates: list[dict] = []
    versions = []
    for row in rows:
        old = existing.get(row[key])
        if delete:
            if old is None or old["deleted"]:
                continue
            changed = {"deleted": True}
        else:
            changed = {f: v for f, v in row.items() if old is None or old.get(f) != v}
            if old is not None and old["deleted"]:
                changed["deleted"] = False
        if not changed:
            continue
        clocks = {**(old["clocks"] if old else {}), **dict.fromkeys(changed, stamp)}
        full = complete_row(record_type, {**(old or {}), **row, **changed, "clocks": clocks,
                                          "deleted": changed.get("deleted", bool(old and old["deleted"]))}, row)
        (updates if old else inserts).append(full)
        versions.append((record_type, row[key], full.get("grid_code")))
    write_rows(conn, record_type, inserts, updates)
    bump_versions(conn, versions)
    audit(conn, [{"user_name": actor, "action": action, "record_type": record_type, "record_id": record_id,
                  "fields": list(records.fields_of(record_type))} for _t, record_id, _g in versions])
    return len(versions)
