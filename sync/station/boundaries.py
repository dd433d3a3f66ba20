"""Grid boundaries at the station: a GeoJSON FeatureCollection from the township's GIS, one feature per grid
(properties.code), imported all or nothing with station stamps; they sync down with the hierarchy."""
from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import Connection, select

from sync import geo, messages, records

from .errors import StationError
from .station_records import cleaned, write

messages.register({
    "boundary_file": ("边界文件无法读取（应为 GeoJSON）：{detail}",
                      "The boundary file cannot be read (GeoJSON): {detail}"),
})


def read_file(path: str | Path) -> list[dict]:
    """Boundary rows {id, grid_code, geometry} of a GeoJSON file."""
    try:
        collection = orjson.loads(Path(path).read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise StationError(422, "boundary_file", detail=getattr(exc, "strerror", None) or str(exc)) from exc
    if not isinstance(collection, dict):
        raise StationError(422, "boundary_file", detail="FeatureCollection")
    return [{"id": geo.boundary_id(code) if code else "", "grid_code": code, "geometry": geometry}
            for code, geometry in geo.features(collection)]


def import_rows(conn: Connection, actor: str, rows: list[dict], lang: str | None = None) -> int:
    return write(conn, actor, "grid_boundary", cleaned(conn, "grid_boundary", rows, lang), "boundary_import")


def listing(conn: Connection) -> list[dict]:
    table = records.record_table("grid_boundary")
    return [{"grid_code": r.grid_code, "points": sum(len(ring) for ring in geo.rings(orjson.loads(r.geometry)))}
            for r in conn.execute(select(table.c.grid_code, table.c.geometry).where(table.c.deleted.is_(False))
                                  .order_by(table.c.grid_code))]
