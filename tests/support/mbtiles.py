"""A small MBTiles file made by the tests themselves: solid-colour PNG tiles over a few zoom levels."""
from __future__ import annotations

import sqlite3
import struct
import zlib
from pathlib import Path

from sync import geo


def png(rgb: tuple[int, int, int], size: int = geo.TILE) -> bytes:
    """A solid-colour RGB PNG, written by hand (signature, IHDR, IDAT, IEND)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * size
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * size)) + chunk(b"IEND", b""))


def make(path: Path, bounds: tuple[float, float, float, float], zooms=(14, 15, 16)) -> Path:
    """An MBTiles 1.3 file covering `bounds` (west, south, east, north) at `zooms`, rows in TMS order."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        conn.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        conn.executemany("INSERT INTO metadata VALUES (?, ?)", [
            ("name", "测试底图"), ("format", "png"), ("bounds", ",".join(str(b) for b in bounds)),
            ("minzoom", str(min(zooms))), ("maxzoom", str(max(zooms)))])
        for zoom in zooms:
            for n, (x, y) in enumerate(geo.tiles_covering(bounds, zoom, limit=10_000)):
                conn.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                             (zoom, x, (1 << zoom) - 1 - y, png((200, 220 - n % 40, 200))))
        conn.commit()
    finally:
        conn.close()
    return path
