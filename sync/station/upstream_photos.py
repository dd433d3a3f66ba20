"""Photos up the tree: after the records, each complete photo this station holds goes to its upper station once.

The upper station takes bytes only for a photo record it already holds in this station's scope
(the records went first), through the laptops' own blob endpoints: it says how much it holds,
and the rest is sent in chunks from there, so a forward cut short resumes at that offset. A
photo it does not know yet (its record was set aside, or not forwarded yet) waits for a later
round; one it holds whole is noted here and never asked about again.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import Connection, Engine, and_, select

from sync import grid_scope

from . import blobs, db, upstream
from .tables import upstream_blob

CHUNK = 256 * 1024
PER_ROUND = 200                 # photos looked at per forward: the rest wait for the next


def pending(conn: Connection, grids: list[str], limit: int = PER_ROUND) -> list[tuple[str, str, int]]:
    """(sha256, grid, size) of complete photos in the link's scope not yet handed up."""
    b = blobs.blob
    query = (select(b.c.sha256, b.c.grid_code, b.c.size)
             .outerjoin(upstream_blob, and_(upstream_blob.c.sha256 == b.c.sha256,
                                            upstream_blob.c.grid_code == b.c.grid_code))
             .where(b.c.complete.is_(True), upstream_blob.c.sha256.is_(None),
                    grid_scope.sql_clause(b.c.grid_code, grids))
             .order_by(b.c.created_ms).limit(limit))
    return [(sha, grid, int(size)) for sha, grid, size in conn.execute(query).all()]


def _sent(conn: Connection, sha256: str, grid: str) -> None:
    conn.execute(upstream_blob.insert().values(sha256=sha256, grid_code=grid, sent_ms=db.now_ms()))


def _bytes(engine: Engine, sha256: str, grid: str, size: int) -> bytes:
    with db.reading(engine) as conn:
        return blobs.read(conn, [grid], sha256, 0, size) if size else b""


def send(engine: Engine, write: Callable[[Callable[[Connection], Any]], Any], session, link: upstream.Link,
         stop: Callable[[], bool]) -> int:
    """Hand up what is pending; the number of photos the upper station now holds whole."""
    with db.reading(engine) as conn:
        waiting = pending(conn, link.grids)
    done = 0
    for sha256, grid, size in waiting:
        if stop():
            break
        state = upstream.call(session, link.url, "GET", f"/v1/blobs/{sha256}", link.token)
        if state.status_code == 404:           # its record is not up there (yet): a later round
            continue
        if state.status_code != 200:
            raise upstream.refused(state)
        held = state.json()
        data = None if held.get("complete") else _bytes(engine, sha256, grid, size)
        while data is not None and not held.get("complete"):
            offset = int(held.get("received", 0))
            reply = upstream.call(session, link.url, "PUT", f"/v1/blobs/{sha256}", link.token,
                                  params={"offset": offset}, data=data[offset:offset + CHUNK],
                                  headers={"Content-Type": "application/octet-stream"})
            if reply.status_code not in (200, 409):      # 409: it holds another offset, which the body says
                raise upstream.refused(reply)
            held = reply.json()
            if held.get("corrupt"):
                raise upstream.refused(reply)
        write(partial(_sent, sha256=sha256, grid=grid))
        done += 1
    return done
