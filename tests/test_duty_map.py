"""The offline map's data end to end: boundaries imported at the station as GeoJSON (all or nothing) reach the
grid's laptops, the village's with them; devices never push one; a township's MBTiles file is read as it is."""
import json
import sqlite3

import pytest

from desktop.services.map_data import MapData
from desktop.services.map_tiles import MBTiles, TilesError
from sync import geo
from tests.station_support import new_account, running_station, station_backends
from tests.support import mbtiles
from tests.support.clients import GRID, OTHER_GRID, VILLAGE, Client, local_grids, new_user

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture(scope="module", params=station_backends())
def sync_station(request, tmp_path_factory):
    """A real station per module, on SQLite and (with GRIDBOOK_TEST_PG) on PostgreSQL."""
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))
SQUARE = [[114.80, 30.30], [114.81, 30.30], [114.81, 30.31], [114.80, 30.31], [114.80, 30.30]]


def feature(code: str, ring, **extra) -> dict:
    return {"type": "Feature", "properties": {"code": code, **extra},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_boundaries_imported_at_the_station_reach_the_grid_and_only_the_station_writes_them(sync_station, tmp_path):
    bad = tmp_path / "坏边界.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature(GRID, SQUARE), feature(OTHER_GRID, [[114.8, 30.3], [200, 30.3], [114.8, 30.3]])]}))
    refused = sync_station.cli("boundary", "import", str(bad))
    assert refused.returncode == 2 and "第 2 行" in refused.stderr and "Polygon" in refused.stderr
    assert sync_station.cli("boundary", "list").stdout == ""                 # nothing of the file was kept
    wide = [[p[0] - 0.01, p[1] - 0.01] if i in (0, 4) else p for i, p in enumerate(SQUARE)]
    good = tmp_path / "边界.geojson"
    good.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature(GRID, SQUARE, name="第三网格"), feature(VILLAGE, wide), feature(OTHER_GRID, SQUARE)]}))
    assert sync_station.cli("boundary", "import", str(good)).stdout.strip() == "3"
    assert sync_station.cli("boundary", "import", str(good)).stdout.strip() == "0"        # again: no change
    assert f"{GRID}\t5" in sync_station.cli("boundary", "list").stdout

    laptop = Client(tmp_path / "laptop")
    try:
        local_grids(laptop)
        laptop.login(sync_station.url, new_user(sync_station))
        laptop.sync()
        drawn = MapData(laptop.store).boundaries(GRID)
        assert [code for code, _rings in drawn] == [VILLAGE, GRID]         # not the sibling grid's
        assert drawn[1][1] == [[tuple(p) for p in SQUARE]]
        west, south, east, north = MapData(laptop.store).bounds(GRID)      # the village's outline is the widest
        assert west < 114.79 and south < 30.29 and east > 114.81 and north > 30.31
    finally:
        laptop.close()
    device = new_account(sync_station, grids=(GRID,))
    pushed = device.push([device.change("grid_boundary", geo.boundary_id(GRID), {
        "id": geo.boundary_id(GRID), "grid_code": GRID, "geometry": json.dumps(feature(GRID, SQUARE)["geometry"])})])
    assert pushed.status_code == 422 and "网格边界由乡镇站统一导入" in pushed.json()["rejected"][0]["message"]


def test_an_mbtiles_file_is_read_with_its_rows_counted_from_the_south(tmp_path):
    bounds = (114.80, 30.30, 114.81, 30.31)
    path = mbtiles.make(tmp_path / "底图.mbtiles", bounds, zooms=(15, 16))
    tiles = MBTiles(path)
    try:
        assert (tiles.minzoom, tiles.maxzoom, tiles.bounds) == (15, 16, bounds)
        x, y = geo.tiles_covering(bounds, 16)[0]
        assert tiles.tile(16, x, y)[:8] == b"\x89PNG\r\n\x1a\n"
        assert tiles.tile(16, x, (1 << 16) - 1 - y) is None                  # the TMS row is not the slippy y
    finally:
        tiles.close()
    plain = tmp_path / "不是底图.mbtiles"
    sqlite3.connect(plain).execute("CREATE TABLE x (a)").connection.close()
    with pytest.raises(TilesError) as caught:
        MBTiles(plain)
    assert "不是可用的 MBTiles" in caught.value.message()


def test_the_projection_goes_there_and_back_and_fits():
    x, y = geo.to_pixels(114.8, 30.3, 16)
    lon, lat = geo.to_lonlat(x, y, 16)
    assert abs(lon - 114.8) < 1e-9 and abs(lat - 30.3) < 1e-9
    assert geo.to_pixels(0, 0, 0) == (128.0, 128.0)
    zoom = geo.fit_zoom((114.80, 30.30, 114.81, 30.31), 800, 600)
    x0, y0 = geo.to_pixels(114.80, 30.31, zoom)
    x1, y1 = geo.to_pixels(114.81, 30.30, zoom)
    assert x1 - x0 <= 800 and y1 - y0 <= 600                                  # fits at that zoom
    assert (x1 - x0) * 2 > 800 or (y1 - y0) * 2 > 600                         # and not one level closer
    assert geo.geometry_problem('{"type": "Point", "coordinates": [1, 2]}') == "geometry_shape"
    assert geo.geometry_problem("not json") == "geometry_json"
