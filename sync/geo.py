"""Grid boundaries (GeoJSON) and the Web Mercator projection of the offline map. Pure, no Qt.

A boundary is a GeoJSON Polygon or MultiPolygon in WGS 84 longitude/latitude, as a township's
GIS exports it; the station imports a FeatureCollection whose features name their grid in
`properties.code` (or `grid_code`). The map draws in Web Mercator pixels at a zoom level, as
MBTiles (and the slippy-map tiles inside them) are laid out.
"""
from __future__ import annotations

import json
import math
import uuid

MAX_POINTS = 20_000                  # vertices in one boundary: a village's detailed outline fits
TILE = 256
MAX_LATITUDE = 85.05112878           # Web Mercator's edge


def boundary_id(grid_code: str) -> str:
    """One boundary per grid, the same id at every station."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gridbook:grid_boundary:{grid_code}"))


def rings(geometry: dict) -> list[list[tuple[float, float]]]:
    """The outer and inner rings of a Polygon or MultiPolygon as (lon, lat) lists."""
    polygons = [geometry["coordinates"]] if geometry.get("type") == "Polygon" else geometry["coordinates"]
    return [[(float(p[0]), float(p[1])) for p in ring] for polygon in polygons for ring in polygon]


def geometry_problem(text: str) -> str | None:
    """None if `text` is a usable boundary, else a message code (geometry_json, geometry_shape, geometry_size)."""
    try:
        geometry = json.loads(text)
    except (TypeError, ValueError):
        return "geometry_json"
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return "geometry_shape"
    try:
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        count = 0
        for polygon in polygons:
            for ring in polygon:
                if len(ring) < 4:
                    return "geometry_shape"
                for point in ring:
                    lon, lat = point[0], point[1]
                    if isinstance(lon, bool) or isinstance(lat, bool) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
                        return "geometry_shape"
                    count += 1
        if not polygons or count == 0:
            return "geometry_shape"
    except (KeyError, TypeError, IndexError):
        return "geometry_shape"
    return "geometry_size" if count > MAX_POINTS else None


def features(collection: dict) -> list[tuple[str, str]]:
    """(grid code, geometry as JSON text) of each feature of a FeatureCollection (or one Feature)."""
    found = collection.get("features") if collection.get("type") == "FeatureCollection" else [collection]
    out = []
    for feature in found or []:
        if not isinstance(feature, dict):
            continue
        properties = feature.get("properties") or {}
        code = properties.get("code") or properties.get("grid_code")
        out.append((str(code or ""), json.dumps(feature.get("geometry"), separators=(",", ":"))))
    return out


def to_pixels(lon: float, lat: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates of a point at a zoom level (origin top left, 256-pixel tiles)."""
    size = TILE * 2 ** zoom
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    sine = math.sin(math.radians(lat))
    x = (lon + 180.0) / 360.0 * size
    y = (0.5 - math.log((1 + sine) / (1 - sine)) / (4 * math.pi)) * size
    return x, y


def to_lonlat(x: float, y: float, zoom: int) -> tuple[float, float]:
    size = TILE * 2 ** zoom
    lon = x / size * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / size))))
    return lon, lat


def fit_zoom(bounds: tuple[float, float, float, float], width: int, height: int, lowest: int = 0,
             highest: int = 19) -> int:
    """The highest zoom at which (west, south, east, north) fits in width x height pixels."""
    west, south, east, north = bounds
    for zoom in range(highest, lowest - 1, -1):
        x0, y0 = to_pixels(west, north, zoom)
        x1, y1 = to_pixels(east, south, zoom)
        if x1 - x0 <= width and y1 - y0 <= height:
            return zoom
    return lowest


def tiles_covering(bounds: tuple[float, float, float, float], zoom: int, limit: int = 400) -> list[tuple[int, int]]:
    """The (x, y) slippy tiles covering bounds at `zoom`, at most `limit` of them (the middle ones)."""
    west, south, east, north = bounds
    x0, y0 = (int(v // TILE) for v in to_pixels(west, north, zoom))
    x1, y1 = (int(v // TILE) for v in to_pixels(east, south, zoom))
    found = [(x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
    if len(found) <= limit:
        return found
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return sorted(found, key=lambda t: (t[0] - cx) ** 2 + (t[1] - cy) ** 2)[:limit]
