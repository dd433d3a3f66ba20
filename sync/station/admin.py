"""Administration: accounts, devices, the grid hierarchy (written with station stamps), statistics."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson
from sqlalchemy import Connection, and_, func, select, update

from sync import grid_scope, records
from sync.validation import FieldError, ValidationError, clean_record

from . import db, scope, tables
from .auth import DEFAULT_PASSWORDS, Passwords, hash_password
from .errors import StationError
from .writer import audit, bump_versions, complete_row, fetch_rows, station_stamp, write_rows

GRID_FIELDS = records.fields_of("grid")


def add_user(conn: Connection, actor: str, name: str, role: str, grids: list[str], password: str,
             passwords: Passwords = DEFAULT_PASSWORDS) -> None:
    grids = scope.check_grids(role, grids)
    if conn.execute(select(tables.user.c.name).where(tables.user.c.name == name)).first():
        raise StationError(422, "user_exists", name=name)
    conn.execute(tables.user.insert().values(name=name, password_hash=hash_password(password, passwords), role=role,
                                             grids=grids, disabled=False, created_ms=db.now_ms()))
    audit(conn, [{"user_name": actor, "action": "user_add", "detail": {"name": name, "role": role, "grids": grids}}])


def list_users(conn: Connection) -> list[dict]:
    u, d = tables.user, tables.device
    devices: dict[str, int] = dict(conn.execute(select(d.c.user_name, func.count()).where(d.c.revoked.is_(False))
                                .group_by(d.c.user_name)).all())
    return [{"name": r.name, "role": r.role, "grids": r.grids, "disabled": r.disabled,
             "devices": devices.get(r.name, 0)}
            for r in conn.execute(select(u).order_by(u.c.name))]


def disable_user(conn: Connection, actor: str, name: str) -> None:
    done = conn.execute(update(tables.user).where(tables.user.c.name == name).values(disabled=True))
    if done.rowcount == 0:
        raise StationError(422, "user_missing", name=name)
    audit(conn, [{"user_name": actor, "action": "user_disable", "detail": {"name": name}}])


def revoke_device(conn: Connection, actor: str, device_id: str) -> None:
    done = conn.execute(update(tables.device).where(tables.device.c.id == device_id).values(revoked=True))
    if done.rowcount == 0:
        raise StationError(422, "device_missing", id=device_id)
    audit(conn, [{"user_name": actor, "device_id": device_id, "action": "device_revoke"}])


def read_grid_file(path: str | Path) -> list[dict]:
    """Rows {code, name, level, parent_code} from a CSV (with a header) or JSON list file."""
    try:
        data = Path(path).read_bytes()
        if Path(path).suffix.lower() == ".json" or data.lstrip()[:1] in (b"[", b"{"):
            rows = orjson.loads(data)
            rows = rows.get("grids", rows) if isinstance(rows, dict) else rows
        else:
            rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    except (OSError, UnicodeDecodeError, orjson.JSONDecodeError, csv.Error) as exc:
        raise StationError(422, "grid_file", detail=getattr(exc, "strerror", None) or str(exc)) from exc
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise StationError(422, "grid_file", detail="[{code, name, level, parent_code}, ...]")
    return [{k: (r.get(k) or None) for k in GRID_FIELDS} for r in rows]


def import_grids(conn: Connection, actor: str, rows: list[dict], lang: str | None = None) -> int:
    """Create or update grids (all or nothing) with one fresh station stamp; return how many changed."""
    db.lock_writers(conn)
    existing = fetch_rows(conn, "grid", [r["code"] for r in rows if r.get("code")])
    known = set(conn.execute(select(records.record_table("grid").c.code)).scalars()) | \
        {r["code"] for r in rows if r.get("code")}
    cleaned, problems = [], []
    for number, row in enumerate(rows, start=1):
        try:
            cleaned.append(clean_record("grid", row, known.__contains__))
        except ValidationError as exc:
            problems.append(messages_row(number, exc, lang))
    if problems:
        raise StationError(422, "grid_rows", row=problems[0][0], detail=problems[0][1],
                           extra={"problems": [{"row": n, "message": m} for n, m in problems]})
    stamp = station_stamp(conn, max((s for r in existing.values() for s in r["clocks"].values()), default=None))
    inserts: list[dict] = []
    updates: list[dict] = []
    versions = []
    for row in cleaned:
        old = existing.get(row["code"])
        changed = {f: v for f, v in row.items() if old is None or old[f] != v or old["deleted"]}
        if not changed:
            continue
        clocks = {**(old["clocks"] if old else {}), **dict.fromkeys(changed, stamp)}
        if old is not None and old["deleted"]:
            changed["deleted"], clocks["deleted"] = False, stamp
        full = complete_row("grid", {**(old or {}), **row, **changed, "clocks": clocks}, row)
        (updates if old else inserts).append(full)
        versions.append(("grid", row["code"], row["code"]))
    write_rows(conn, "grid", inserts, updates)
    bump_versions(conn, versions)
    audit(conn, [{"user_name": actor, "action": "grid_import", "record_type": "grid", "record_id": code,
                  "fields": list(GRID_FIELDS)} for _t, code, _g in versions])
    return len(versions)


def messages_row(number: int, exc: ValidationError, lang: str | None) -> tuple[int, str]:
    return number, exc.message(lang)


def stats(conn: Connection, prefixes: list[str] | None = None) -> dict:
    """Live records per type (in scope if prefixes are given), devices, users, conflicts, sequence."""
    counts = {}
    rv = tables.record_version
    for record_type in records.RECORD_TYPES:
        table = records.record_table(record_type)
        query = select(func.count()).select_from(table).where(table.c.deleted.is_(False))
        if prefixes is not None:
            key = table.c[records.key_field(record_type)]
            query = query.join(rv, and_(rv.c.record_type == record_type, rv.c.record_id == key)) \
                .where(scope.version_filter(conn, prefixes))
        counts[record_type] = conn.execute(query).scalar()
    c, d, u = tables.conflict, tables.device, tables.user
    conflicts = select(c.c.kind, func.count()).where(c.c.resolved_ms.is_(None))
    if prefixes is not None:
        conflicts = conflicts.join(rv, and_(rv.c.record_type == c.c.record_type, rv.c.record_id == c.c.record_id)) \
            .where(scope.version_filter(conn, prefixes))
    open_conflicts: dict[str, int] = dict(conn.execute(conflicts.group_by(c.c.kind)).all())
    # accounts (and their laptops) whose codes all lie in the scope: nothing of the rest of the station
    names = [name for name, grids in conn.execute(select(u.c.name, u.c.grids)).all()
             if prefixes is None or (grids and all(grid_scope.in_scope(prefixes, g) for g in grids))]
    devices = select(func.count()).select_from(d).where(d.c.revoked.is_(False), d.c.user_name.in_(names))
    return {"records": counts, "users": len(names), "devices": conn.execute(devices).scalar(),
            "open_conflicts": open_conflicts,
            "last_push_ms": conn.execute(select(func.max(d.c.last_push_ms)).where(d.c.user_name.in_(names))).scalar(),
            "sequence": conn.execute(select(tables.counter.c.seq)).scalar() if prefixes is None else None}


__all__ = [
    "FieldError",
    "add_user",
    "disable_user",
    "import_grids",
    "list_users",
    "read_grid_file",
    "revoke_device",
    "stats",
]
