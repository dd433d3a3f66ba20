"""GET /v1/devices: the sync state of the laptops in a township's (or county's) villages, for its desk.

What the station knows of each device: whose it is (account, role, grids), when it registered,
when it last pushed, and how far its changes are acknowledged. What is pending or set aside on a
laptop the station cannot know until that laptop pushes.
"""
from __future__ import annotations

import orjson
from fastapi import FastAPI, Header
from fastapi.responses import Response
from sqlalchemy import Connection, Engine, select

from sync import grid_scope

from . import auth, db, tables


def devices(conn: Connection, prefixes: list[str]) -> list[dict]:
    """Every device of an account whose grids all lie in `prefixes` (the caller's scope), newest push first."""
    d, u = tables.device, tables.user
    rows = conn.execute(select(d.c.id, d.c.name, d.c.user_name, d.c.acked, d.c.registered_ms, d.c.last_push_ms,
                               d.c.revoked, u.c.role, u.c.grids)
                        .join(u, u.c.name == d.c.user_name)).mappings()
    found = []
    for row in rows:
        grids = list(row["grids"] or [])
        if grids and all(any(grid_scope.covers(p, g) for p in prefixes) for g in grids):
            found.append({"device_id": row["id"], "name": row["name"], "user": row["user_name"],
                          "role": row["role"], "grids": grids, "acked": int(row["acked"] or 0),
                          "registered_ms": row["registered_ms"], "last_push_ms": row["last_push_ms"],
                          "revoked": bool(row["revoked"])})
    found.sort(key=lambda r: (r["last_push_ms"] is None, -(r["last_push_ms"] or 0), r["user"]))
    return found


def add_routes(app: FastAPI, engine: Engine, dependencies: list) -> None:
    @app.get("/v1/devices", dependencies=dependencies, tags=["review"])
    def list_devices(authorization: str | None = Header(None)):
        with db.reading(engine) as conn:
            caller = auth.authenticate(conn, authorization)
            auth.require_reviewer(caller)
            found = devices(conn, caller.grids)
        return Response(orjson.dumps({"devices": found, "time_ms": db.now_ms()}), media_type="application/json")
