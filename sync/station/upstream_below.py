"""What a lower station just pushed is not pulled back: it names the devices below it, and the upper
station leaves their stamps out of its pull pages.

The lower station's devices (its laptops, its lower stations' devices), its own stamps' device,
and what its lower stations named in turn are below it; it sends the list when it changed (its
fingerprint is kept in upstream_below). The upper station keeps it per station account
(station_below) and, in that account's pull, leaves out each field stamped by one of them, and a row
with nothing left (counted as `held_back`). Naming a device it is not only costs the lower station
that device's changes: it never lets it see or write more.

  POST /v1/upstream/below  {"devices": [...]} -> {"devices": n}
"""
from __future__ import annotations

import hashlib

import orjson
from fastapi import FastAPI, Header
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection, delete, select

from . import auth, db, tables, upstream
from .errors import StationError
from .write_queue import WriteQueue

MAX_DEVICES = 200_000


class Below(BaseModel):
    devices: list[str] = Field(default_factory=list, max_length=MAX_DEVICES)


# -- the lower station ---------------------------------------------------------------------------
def devices_below(conn: Connection) -> list[str]:
    """This station's own device, every device registered here, and what lower stations named."""
    found = {db.station_device_id(conn)}
    found.update(conn.execute(select(tables.device.c.id)).scalars())
    found.update(conn.execute(select(tables.below.c.device_id)).scalars())
    return sorted(found)


def fingerprint(devices: list[str]) -> str:
    return hashlib.sha256("\n".join(devices).encode()).hexdigest()


def to_send(conn: Connection) -> list[str] | None:
    """The list, if the upper station was not sent it as it is (None: nothing to send)."""
    devices = devices_below(conn)
    return None if upstream.setting(conn, "below") == fingerprint(devices) else devices


def sent(conn: Connection, devices: list[str]) -> None:
    upstream.set_values(conn, below=fingerprint(devices))


# -- the upper station ---------------------------------------------------------------------------
def receive(conn: Connection, caller: auth.Caller, body: Below) -> dict:
    db.lock_writers(conn)
    if caller.role != "station":
        raise StationError(403, "forbidden_role")
    b = tables.below
    conn.execute(delete(b).where(b.c.via == caller.user))
    devices = sorted({d[:40] for d in body.devices})
    if devices:
        conn.execute(b.insert(), [{"via": caller.user, "device_id": d} for d in devices])
    return {"devices": len(devices)}


def of(conn: Connection, caller: auth.Caller) -> frozenset[str]:
    """The devices below a station account (nothing for any other account)."""
    if caller.role != "station":
        return frozenset()
    return frozenset(conn.execute(select(tables.below.c.device_id).where(tables.below.c.via == caller.user)).scalars())


def add_routes(app: FastAPI, writes: WriteQueue, dependencies: list) -> None:
    @app.post("/v1/upstream/below", dependencies=dependencies, tags=["sync"])
    def below_up(body: Below, authorization: str | None = Header(None)):
        def keep(conn: Connection) -> dict:
            return receive(conn, auth.authenticate(conn, authorization), body)
        return Response(orjson.dumps(writes.call(keep)), media_type="application/json")
