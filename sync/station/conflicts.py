"""Conflict review: list what merges overwrote, and resolve by a new change made by the station.

A resolution sets the field with a fresh station stamp (later than every stamp the
record holds), bumps the record's sequence so it syncs down, and is audited.
"""
from __future__ import annotations

from sqlalchemy import Connection, and_, func, select, update

from sync import records
from sync.validation import ValidationError, clean_record

from . import db, duplicates, scope, tables
from .errors import RecordInvalid, StationError
from .writer import audit, bump_versions, complete_row, fetch_rows, station_stamp, write_rows

TAKES = ("local", "remote", "merge")
PAGE, MAX_PAGE = 1000, 5000            # conflicts in one listing, by default and at most


def _listing(conn: Connection, prefixes: list[str] | None, include_resolved: bool):
    c, rv = tables.conflict, tables.record_version
    query = select(c, rv.c.grid_code).outerjoin(
        rv, and_(rv.c.record_type == c.c.record_type, rv.c.record_id == c.c.record_id))
    if not include_resolved:
        query = query.where(c.c.resolved_ms.is_(None))
    if prefixes is not None:
        query = query.where(scope.version_filter(conn, prefixes))
    return query


def list_conflicts(conn: Connection, prefixes: list[str] | None = None, include_resolved: bool = False,
                   limit: int = PAGE, offset: int = 0) -> list[dict]:
    """One page of the conflicts (open ones unless `include_resolved`) in scope, oldest first."""
    query = _listing(conn, prefixes, include_resolved).order_by(tables.conflict.c.id).limit(limit).offset(offset)
    # plain str keys (SQLAlchemy's are a str subclass that orjson will not take as keys)
    return [{str(k): v for k, v in r.items()} for r in conn.execute(query).mappings()]


def count_conflicts(conn: Connection, prefixes: list[str] | None = None, include_resolved: bool = False) -> int:
    """How many conflicts list_conflicts pages through."""
    return conn.execute(select(func.count()).select_from(_listing(conn, prefixes, include_resolved)
                                                        .subquery())).scalar_one()


def get_conflict(conn: Connection, conflict_id: int) -> dict:
    row = conn.execute(select(tables.conflict).where(tables.conflict.c.id == conflict_id)).mappings().first()
    if row is None:
        raise StationError(404, "conflict_missing", id=conflict_id)
    return {str(k): v for k, v in row.items()}


def resolve(conn: Connection, actor: str, conflict_id: int, take: str, value=None,
            prefixes: list[str] | None = None, device_id: str | None = None) -> dict:
    """Resolve one open conflict: take "local" (keep what the station holds), "remote"
    (the overwritten value) or "value" (the literal `value`). Returns the conflict row."""
    db.lock_writers(conn)
    row = get_conflict(conn, conflict_id)
    if row["resolved_ms"] is not None:
        raise StationError(409, "conflict_resolved", id=conflict_id)
    record_type, record_id, field = row["record_type"], row["record_id"], row["field"]
    current = fetch_rows(conn, record_type, [record_id]).get(record_id)
    if current is None:
        raise StationError(404, "conflict_missing", id=conflict_id)
    if prefixes is not None:
        grid = _grid_of(conn, record_type, current)
        if not scope.in_scope(prefixes, grid):
            raise StationError(403, "out_of_scope", extra={"rejected": []}, count=1)
    if row["kind"] == duplicates.KIND:       # two records of one person: merge them, or keep both
        if take not in ("merge", "local"):
            raise StationError(422, "duplicate_take")
        if prefixes is not None:
            kept = fetch_rows(conn, record_type, [row["kept_value"]["id"]]).get(row["kept_value"]["id"])
            if kept is not None and not scope.in_scope(prefixes, _grid_of(conn, record_type, kept)):
                raise StationError(403, "out_of_scope", extra={"rejected": []}, count=1)
        resolution = duplicates.merge(conn, row) if take == "merge" else {"take": "local"}
        return _mark(conn, actor, row, resolution, device_id)
    if take == "merge":
        raise StationError(422, "merge_take")
    if row["kind"] == "soft":       # nothing was overwritten: reviewing it is all there is to do
        if take != "local":
            raise StationError(422, "soft_take")
        return _mark(conn, actor, row, {"take": "local"}, device_id)
    chosen = current[field] if take == "local" else row["lost_value"] if take == "remote" else value
    fields = records.fields_of(record_type)
    merged = {f: current[f] for f in fields}
    if field in merged:
        merged[field] = chosen
    try:
        grids = set(conn.execute(select(records.record_table("grid").c.code)).scalars())
        defaults = clean_record(record_type, merged, grids.__contains__)
    except ValidationError as exc:
        raise RecordInvalid(exc) from exc
    if field in defaults and chosen is not None:
        chosen = defaults[field]             # stored as validation returns it
    stamp = station_stamp(conn, max(current["clocks"].values(), default=None))
    updated = {**current, field: chosen, "clocks": {**current["clocks"], field: stamp}}
    if prefixes is not None and not scope.in_scope(prefixes, _grid_of(conn, record_type, updated)):
        # where the resolution puts the record must be the reviewer's too, not only where it was
        raise StationError(403, "out_of_scope", extra={"rejected": []}, count=1)
    write_rows(conn, record_type, [], [complete_row(record_type, updated, defaults)])
    grid = _grid_of(conn, record_type, updated)
    versions = [(record_type, record_id, grid)]
    if record_type == "household" and grid != current["grid_code"]:      # its residents go with it
        person = records.record_table("person")
        versions += [("person", pid, grid) for pid in
                     conn.execute(select(person.c.id).where(person.c.household_id == record_id)).scalars()]
    bump_versions(conn, versions)
    return _mark(conn, actor, row, {"take": take, "value": chosen, "stamp": stamp}, device_id)


def resolved_above(conn: Connection, conflict_id: int, actor: str, found: dict) -> bool:
    """The upper station resolved this conflict (its value comes down as a record change): mark it
    resolved here with the upper station's resolution, once. False if it was resolved already."""
    row = conn.execute(select(tables.conflict).where(tables.conflict.c.id == conflict_id)).mappings().first()
    if row is None or row["resolved_ms"] is not None:
        return False
    given = found.get("resolution")
    resolution: dict = given if isinstance(given, dict) else {}
    _mark(conn, actor, {str(k): v for k, v in row.items()},
          {**resolution, "above": str(found.get("resolved_by") or "")}, None)
    return True


def _mark(conn: Connection, actor: str, row: dict, resolution: dict, device_id: str | None) -> dict:
    """Mark a conflict resolved (who, when, how) and audit it."""
    now = db.now_ms()
    conn.execute(update(tables.conflict).where(tables.conflict.c.id == row["id"])
                 .values(resolved_ms=now, resolved_by=actor, resolution=resolution))
    audit(conn, [{"user_name": actor, "device_id": device_id, "action": "resolve", "record_type": row["record_type"],
                  "record_id": row["record_id"], "fields": [row["field"]],
                  "detail": {"conflict": row["id"], **resolution}}])
    return {**row, "resolved_ms": now, "resolved_by": actor, "resolution": resolution}


def _grid_of(conn: Connection, record_type: str, row: dict) -> str | None:
    if record_type == "grid":
        return row["code"]
    if record_type == "person":
        household = fetch_rows(conn, "household", [row["household_id"]]).get(row["household_id"]) \
            if row.get("household_id") else None
        return household["grid_code"] if household else None
    return row.get("grid_code")
