"""Photo bytes at the station: chunked uploads that resume at the offset the station holds, then downloads.

A blob is accepted only for a photo record (or a visit naming a photo) already in the caller's scope (records
sync first), so nobody can park arbitrary files here. Bytes are kept per (sha256, grid):
knowing a checksum grants nothing, for a photo record naming it in one's own grid reaches
only the bytes uploaded for that grid (station schema 5). Chunks are rows, so the same
code serves SQLite and PostgreSQL; the whole is checked against its sha256 at the end.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    LargeBinary,
    MetaData,
    String,
    Table,
    and_,
    delete,
    func,
    select,
    update,
)

from sync import grid_scope, messages, records
from sync.validation import SHA256_RE

from . import db
from .errors import StationError

MAX_CHUNK = 1024 * 1024

metadata = MetaData()
blob = Table("station_photo_blob", metadata,
             Column("sha256", String(64), primary_key=True),
             Column("grid_code", String(40), primary_key=True),
             Column("size", BigInteger, nullable=False),
             Column("received", BigInteger, nullable=False),
             Column("complete", Boolean, nullable=False),
             Column("created_ms", BigInteger, nullable=False))
chunk = Table("station_photo_chunk", metadata,
              Column("sha256", String(64), primary_key=True),
              Column("grid_code", String(40), primary_key=True),
              Column("position", BigInteger, primary_key=True),
              Column("data", LargeBinary, nullable=False))

messages.register({
    "blob_unknown": ("没有校验值为 {sha256} 的照片记录（请先同步记录）。",
                     "No photo record with checksum {sha256} in your scope (sync the records first)."),
    "blob_offset": ("照片续传位置不符：乡镇站已收到 {received} 字节。",
                    "Wrong resume offset: the station holds {received} bytes."),
    "blob_too_big": ("照片数据超出记录所写的大小 {size} 字节。",
                     "More bytes than the photo's recorded size of {size}."),
    "blob_chunk": ("每段最多 {max} 字节。", "A chunk holds at most {max} bytes."),
    "blob_corrupt": ("照片数据校验失败，已丢弃，请重新上传。",
                     "The photo's bytes do not match its checksum: discarded, upload again."),
    "blob_incomplete": ("照片尚未上传完毕。", "The photo has not been uploaded completely yet."),
})


def _photo_grids(conn: Connection, prefixes: list[str], sha256: str) -> dict[str, int]:
    """grid -> size of the caller's photo records naming `sha256` (404 if none, or not a checksum)."""
    if not SHA256_RE.match(sha256):
        raise StationError(404, "blob_unknown", sha256=sha256[:64])
    photo, visit = records.record_table("photo"), records.record_table("visit")
    rows = list(conn.execute(select(photo.c.grid_code, photo.c.size).where(photo.c.sha256 == sha256,
                                                                           photo.c.deleted.is_(False))))
    rows += conn.execute(select(visit.c.grid_code, visit.c.photo_size).where(       # a visit's photo (schema 3)
        visit.c.photo_sha256 == sha256, visit.c.deleted.is_(False))).all()
    found = {grid: int(size) for grid, size in sorted(rows) if grid_scope.in_scope(prefixes, grid)}
    if not found:
        raise StationError(404, "blob_unknown", sha256=sha256)
    return found


def _held(conn: Connection, sha256: str, grids: dict[str, int]) -> tuple[str, Mapping[Any, Any] | None]:
    """The grid whose bytes serve the caller (complete ones first), and their row."""
    rows = {r["grid_code"]: r for r in conn.execute(select(blob).where(
        blob.c.sha256 == sha256, blob.c.grid_code.in_(list(grids)))).mappings()}
    for grid in grids:
        if rows.get(grid) is not None and rows[grid]["complete"]:
            return grid, rows[grid]
    grid = next(iter(grids))
    return grid, rows.get(grid)


def status(conn: Connection, prefixes: list[str], sha256: str) -> dict:
    grids = _photo_grids(conn, prefixes, sha256)
    grid, row = _held(conn, sha256, grids)
    return {"sha256": sha256, "size": grids[grid], "received": row["received"] if row else 0,
            "complete": bool(row and row["complete"])}


def put_chunk(conn: Connection, prefixes: list[str], sha256: str, offset: int, data: bytes) -> dict:
    """Append `data` at `offset` (which must be what the station holds); verify the whole at the end."""
    grids = _photo_grids(conn, prefixes, sha256)
    grid, row = _held(conn, sha256, grids)
    size = grids[grid]
    key = and_(blob.c.sha256 == sha256, blob.c.grid_code == grid)
    if row is None:
        conn.execute(blob.insert().values(sha256=sha256, grid_code=grid, size=size, received=0, complete=False,
                                          created_ms=db.now_ms()))
        row = {"received": 0, "complete": False}
    if row["complete"]:
        return {"sha256": sha256, "size": size, "received": size, "complete": True}
    if offset != row["received"]:
        raise StationError(409, "blob_offset", extra={"received": row["received"]}, received=row["received"])
    if len(data) > MAX_CHUNK:
        raise StationError(413, "blob_chunk", max=MAX_CHUNK)
    if offset + len(data) > size:
        raise StationError(422, "blob_too_big", size=size)
    if data:
        conn.execute(chunk.insert().values(sha256=sha256, grid_code=grid, position=offset, data=data))
    received = offset + len(data)
    complete = received == size and _verify(conn, sha256, grid)
    if received == size and not complete:      # start over; the caller commits this, then says so (422)
        conn.execute(delete(chunk).where(chunk.c.sha256 == sha256, chunk.c.grid_code == grid))
        conn.execute(update(blob).where(key).values(received=0))
        return {"sha256": sha256, "size": size, "received": 0, "complete": False, "corrupt": True}
    conn.execute(update(blob).where(key).values(received=received, complete=complete))
    return {"sha256": sha256, "size": size, "received": received, "complete": complete}


def _verify(conn: Connection, sha256: str, grid: str) -> bool:
    digest = hashlib.sha256()
    for (data,) in conn.execute(select(chunk.c.data).where(chunk.c.sha256 == sha256, chunk.c.grid_code == grid)
                                .order_by(chunk.c.position)):
        digest.update(data)
    return digest.hexdigest() == sha256


def read(conn: Connection, prefixes: list[str], sha256: str, offset: int, limit: int) -> bytes:
    """Bytes [offset, offset + limit) of a complete blob of one of the caller's grids."""
    grid, row = _held(conn, sha256, _photo_grids(conn, prefixes, sha256))
    if not (row and row["complete"]):
        raise StationError(404, "blob_incomplete")
    parts = conn.execute(select(chunk.c.position, chunk.c.data).where(and_(
        chunk.c.sha256 == sha256, chunk.c.grid_code == grid, chunk.c.position < offset + limit,
        chunk.c.position + func.length(chunk.c.data) > offset)).order_by(chunk.c.position)).all()
    data = b"".join(d for _p, d in parts)
    start = offset - (parts[0][0] if parts else offset)
    return data[start:start + limit]
