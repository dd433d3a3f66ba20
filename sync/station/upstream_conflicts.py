"""Conflicts go up the tree: a conflict noted at a lower station is visible and resolvable above it, once.

The lower station sends each conflict of its scope once (station_upstream_conflict says what it
told), again once when it is resolved here, and asks after those it told open; the upper station
keeps each once, keyed by the lower station's account and its own id (station_conflict.origin,
origin_id), and answers with the resolutions it holds. A resolution made above marks the lower
station's conflict resolved; its value comes down as a record change, like any other. The upper
station forwards what it keeps as its own conflicts, so a city resolves a village's conflict too.

  POST /v1/upstream/conflicts  {"conflicts": [...], "ask": [ids]} -> {"resolved": {id: ...}, "refused": [ids]}
"""
from __future__ import annotations

from typing import Any

import orjson
from fastapi import FastAPI, Header
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection, and_, delete, or_, select, update

from sync import grid_scope, records

from . import auth, conflicts, db, tables
from .errors import StationError
from .write_queue import WriteQueue
from .writer import audit, chunks

PAGE = 500
SENT = ("kind", "record_type", "record_id", "field", "kept_value", "kept_stamp", "kept_user", "lost_value",
        "lost_stamp", "lost_user", "created_ms", "resolved_ms", "resolved_by", "resolution")


class ForwardedConflict(BaseModel):
    origin_id: int = Field(ge=1, lt=2**63)
    kind: str = Field(max_length=16)
    record_type: str = Field(max_length=20)
    record_id: str = Field(max_length=40)
    field: str = Field(max_length=40)
    kept_value: Any = None
    kept_stamp: str | None = Field(None, max_length=60)
    kept_user: str | None = Field(None, max_length=50)
    lost_value: Any = None
    lost_stamp: str | None = Field(None, max_length=60)
    lost_user: str | None = Field(None, max_length=50)
    created_ms: int = Field(0, ge=0, lt=2**63)
    resolved_ms: int | None = Field(None, ge=0, lt=2**63)
    resolved_by: str | None = Field(None, max_length=60)
    resolution: Any = None


class ConflictsUp(BaseModel):
    conflicts: list[ForwardedConflict] = Field(default_factory=list, max_length=PAGE)
    ask: list[int] = Field(default_factory=list, max_length=10 * PAGE)


# -- the lower station ---------------------------------------------------------------------------
def to_send(conn: Connection, grids: list[str], after: int = 0,
            limit: int = PAGE) -> tuple[list[dict], list[int], int | None]:
    """One page (by id above `after`) of this station's conflicts in `grids` that the upper station has
    not been told of (sent whole), or was told open and are resolved since (sent whole, resolution and
    all); and the ids of those told open and still open here (asked after)."""
    c, u, rv = tables.conflict, tables.upstream_conflict, tables.record_version
    rows = conn.execute(
        select(c, u.c.told).outerjoin(u, u.c.id == c.c.id)
        .join(rv, and_(rv.c.record_type == c.c.record_type, rv.c.record_id == c.c.record_id))
        .where(c.c.id > after, or_(u.c.told.is_(None), u.c.told == "open"),
               grid_scope.sql_clause(rv.c.grid_code, grids))
        .order_by(c.c.id).limit(limit)).mappings().all()
    sent = [{"origin_id": r["id"], **{k: r[k] for k in SENT}} for r in rows
            if r["told"] is None or r["resolved_ms"] is not None]
    asked = [r["id"] for r in rows if r["told"] == "open" and r["resolved_ms"] is None]
    return sent, asked, rows[-1]["id"] if rows else None


def told(conn: Connection, sent: list[dict], asked: list[int], reply: dict, above: str) -> int:
    """Keep what the upper station was told, and take its resolutions; return how many it resolved."""
    db.lock_writers(conn)
    resolved = {int(k): v for k, v in (reply.get("resolved") or {}).items()}
    refused = {int(i) for i in reply.get("refused") or []}
    state = {int(s["origin_id"]): "refused" if s["origin_id"] in refused else
             "resolved" if s["resolved_ms"] is not None or s["origin_id"] in resolved else "open" for s in sent}
    state.update({i: "resolved" for i in asked if i in resolved})
    taken = 0
    for conflict_id, found in resolved.items():
        if conflicts.resolved_above(conn, conflict_id, f"upstream:{above}", found):
            taken += 1
    u = tables.upstream_conflict
    for part in chunks(sorted(state)):
        conn.execute(delete(u).where(u.c.id.in_(part)))
    if state:
        conn.execute(u.insert(), [{"id": i, "told": t} for i, t in state.items()])
    return taken


# -- the upper station ---------------------------------------------------------------------------
def receive(conn: Connection, caller: auth.Caller, body: ConflictsUp) -> dict:
    """Keep the lower station's conflicts once each, in its scope; answer with the resolutions held."""
    db.lock_writers(conn)
    if caller.role != "station":
        raise StationError(403, "forbidden_role")
    c = tables.conflict
    wanted = sorted({s.origin_id for s in body.conflicts} | set(body.ask))
    held = _held(conn, caller.user, wanted)
    refused, kept = [], []
    now = db.now_ms()
    for s in body.conflicts:
        grid = _grid(conn, s.record_type, s.record_id)
        if s.record_type not in records.RECORD_TYPES or grid is None or not grid_scope.in_scope(caller.grids, grid):
            refused.append(s.origin_id)
            continue
        row = held.get(s.origin_id)
        values = s.model_dump(include=set(SENT))
        if row is None:
            conn.execute(c.insert().values({**values, "created_ms": s.created_ms or now, "origin": caller.user,
                                            "origin_id": s.origin_id}))
            kept.append(s.origin_id)
        elif s.resolved_ms is not None and row["resolved_ms"] is None:
            conn.execute(update(c).where(c.c.id == row["id"]).values(
                resolved_ms=s.resolved_ms, resolved_by=s.resolved_by, resolution=s.resolution))
            kept.append(s.origin_id)
    if kept:
        audit(conn, [{"user_name": caller.user, "device_id": caller.device_id, "action": "upstream_conflicts",
                      "detail": {"kept": kept}}])
    held = _held(conn, caller.user, wanted)
    return {"resolved": {str(i): {"resolved_ms": r["resolved_ms"], "resolved_by": r["resolved_by"],
                                  "resolution": r["resolution"]} for i, r in held.items() if r["resolved_ms"]},
            "refused": refused}


def _held(conn: Connection, origin: str, ids: list[int]) -> dict[int, dict]:
    c = tables.conflict
    found: dict[int, dict] = {}
    for part in chunks(ids):
        found.update({r["origin_id"]: dict(r) for r in conn.execute(
            select(c.c.id, c.c.origin_id, c.c.resolved_ms, c.c.resolved_by, c.c.resolution)
            .where(c.c.origin == origin, c.c.origin_id.in_(part))).mappings()})
    return found


def _grid(conn: Connection, record_type: str, record_id: str) -> str | None:
    rv = tables.record_version
    return conn.execute(select(rv.c.grid_code).where(rv.c.record_type == record_type,
                                                     rv.c.record_id == record_id)).scalar()


def add_routes(app: FastAPI, writes: WriteQueue, dependencies: list) -> None:
    @app.post("/v1/upstream/conflicts", dependencies=dependencies, tags=["sync"])
    def conflicts_up(body: ConflictsUp, authorization: str | None = Header(None)):
        def keep(conn: Connection) -> dict:
            return receive(conn, auth.authenticate(conn, authorization), body)
        return Response(orjson.dumps(writes.call(keep)), media_type="application/json")
