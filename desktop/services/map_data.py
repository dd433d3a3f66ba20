"""What the offline map draws: the grid's buildings (with their households), its boundaries, the base map
the township supplied (an MBTiles path kept in the data folder's meta), and the area to show. No Qt."""
from __future__ import annotations

from pathlib import Path

import orjson

from sync import geo, grid_scope

from ..store import Store, duty_queries
from .map_tiles import MBTiles

TILES_KEY = "map_tiles"          # meta: the MBTiles file of this laptop's base map
MARGIN = 0.002                   # degrees around what is drawn (about 200 m)


class MapData:
    def __init__(self, store: Store):
        self.store = store
        self._tiles: MBTiles | None = None

    # -- the base map ---------------------------------------------------------------------
    def tiles(self) -> MBTiles | None:
        """The township's base map if one is set and readable (else the plain coordinate canvas)."""
        path = self.store.get_meta(TILES_KEY)
        if not path:
            return None
        if self._tiles is None or str(self._tiles.path) != path:
            try:
                self._tiles = MBTiles(path) if Path(path).exists() else None
            except ValueError:
                self._tiles = None
        return self._tiles

    def set_tiles(self, path: str | Path | None) -> MBTiles | None:
        """Use this MBTiles file from now on (checked first: TilesError says why not); None: no base map."""
        if path is None:
            self.store.set_meta(**{TILES_KEY: None})
            self._tiles = None
            return None
        tiles = MBTiles(path)
        self.store.set_meta(**{TILES_KEY: str(Path(path).resolve())})
        self._tiles = tiles
        return tiles

    # -- what is drawn ----------------------------------------------------------------------
    def buildings(self, grid: str | None) -> list[dict]:
        """The buildings under `grid` that have coordinates."""
        return [b for b in duty_queries.in_grid(self.store, "building", grid)
                if b.get("latitude") is not None and b.get("longitude") is not None]

    def unplaced(self, grid: str | None) -> int:
        """How many buildings under `grid` have no coordinates yet (to be placed)."""
        return sum(1 for b in duty_queries.in_grid(self.store, "building", grid)
                   if b.get("latitude") is None or b.get("longitude") is None)

    def households(self, building_id: str) -> list[dict]:
        return duty_queries.by_field(self.store, "household", "building_id", [building_id], order_by="address",
                                     descending=False)

    def boundaries(self, grid: str | None) -> list[tuple[str, list[list[tuple[float, float]]]]]:
        """(grid code, rings) of the boundaries of `grid`, the units under it and the one holding it."""
        out = []
        for row in self.store.list("grid_boundary"):
            code = row["grid_code"]
            if grid and not (grid_scope.covers(grid, code) or grid_scope.covers(code, grid)):
                continue
            try:
                out.append((code, geo.rings(orjson.loads(row["geometry"]))))
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                continue
        return sorted(out)

    def bounds(self, grid: str | None) -> tuple[float, float, float, float] | None:
        """(west, south, east, north) around the buildings and boundaries, else the base map's; None if nothing."""
        points = [(b["longitude"], b["latitude"]) for b in self.buildings(grid)]
        points += [p for _code, rings in self.boundaries(grid) for ring in rings for p in ring]
        if not points:
            tiles = self.tiles()
            return tiles.bounds if tiles is not None else None
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        return min(lons) - MARGIN, min(lats) - MARGIN, max(lons) + MARGIN, max(lats) + MARGIN
