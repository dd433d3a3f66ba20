"""An MBTiles file (the township's offline base map, as ODK Collect uses them): metadata and tiles. No Qt.

MBTiles 1.3 is a SQLite file: a `metadata` table (name, value: bounds, minzoom, maxzoom, format…)
and `tiles` (zoom_level, tile_column, tile_row, tile_data) with rows counted from the south (TMS),
so a slippy-map y is flipped. The file is opened read-only; it is the township's, never changed here.
"""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sync import messages

messages.register({"map_tiles_bad": ("“{path}”不是可用的 MBTiles 离线底图：{detail}",
                                     "'{path}' is no usable MBTiles base map: {detail}")})


class TilesError(ValueError):
    def __init__(self, path, detail: str):
        self.path, self.detail = str(path), detail
        super().__init__(self.message())

    def message(self, lang: str | None = None) -> str:
        return messages.render("map_tiles_bad", lang, path=self.path, detail=self.detail)


class MBTiles:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self.metadata = dict(self._conn.execute("SELECT name, value FROM metadata").fetchall())
            zooms = self._conn.execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
        except sqlite3.Error as exc:
            raise TilesError(path, str(exc)) from exc
        if zooms[0] is None:
            raise TilesError(path, "no tiles")
        self.minzoom = int(self.metadata.get("minzoom", zooms[0]))
        self.maxzoom = int(self.metadata.get("maxzoom", zooms[1]))
        self.bounds = self._bounds()

    def _bounds(self) -> tuple[float, float, float, float] | None:
        try:
            west, south, east, north = (float(v) for v in self.metadata["bounds"].split(","))
        except (KeyError, ValueError):
            return None
        return west, south, east, north

    def tile(self, zoom: int, x: int, y: int) -> bytes | None:
        """The image bytes of slippy tile (zoom, x, y), or None where the file has none."""
        with self._lock:
            row = self._conn.execute("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
                                     "AND tile_row = ?", (zoom, x, (1 << zoom) - 1 - y)).fetchone()
        return bytes(row[0]) if row else None

    def close(self) -> None:
        self._conn.close()
