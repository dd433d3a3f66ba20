"""The map page on real widgets: the buildings on a base map the test makes (MBTiles), or on the plain canvas;
clicking a building opens it with its households; placing a new building by clicking fills its coordinates."""
import json

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from desktop.ui.app import create_application
from desktop.ui.map_page import MapPage
from sync import geo
from tests.conftest import GRID
from tests.support import mbtiles

BOUNDS = (114.800, 30.300, 114.810, 30.310)


def click(page: MapPage, scene_point) -> None:
    view = page.view
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.mapFromScene(scene_point))


def test_buildings_on_a_base_map_open_on_click_and_a_new_one_is_placed(qtbot, ledger, tmp_path):
    create_application(lang="zh_CN")
    school = ledger.put("building", {"grid_code": GRID, "address": "幸福村小学", "name": "村小学", "use": "public",
                                     "latitude": 30.304, "longitude": 114.804})
    ledger.put("building", {"grid_code": GRID, "address": "幸福村3组5号", "latitude": 30.306, "longitude": 114.807})
    ledger.put("building", {"grid_code": GRID, "address": "幸福村3组6号"})               # not placed yet
    ledger.put("household", {"grid_code": GRID, "address": "学校宿舍", "head_name": "校工老李", "building_id": school})
    ledger.store.put("grid_boundary", {"id": geo.boundary_id(GRID), "grid_code": GRID, "geometry": json.dumps(
        {"type": "Polygon", "coordinates": [[[114.801, 30.301], [114.809, 30.301], [114.809, 30.309],
                                             [114.801, 30.309], [114.801, 30.301]]]})})
    page = MapPage(ledger)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitExposed(page)
    assert page.use_tiles(mbtiles.make(tmp_path / "幸福村.mbtiles", BOUNDS))
    page.set_grid(GRID)
    assert len(page.markers) == 2 and page.tile_items > 0
    assert "2 栋房屋" in page.status.text() and "1 栋没有坐标" in page.status.text()
    assert "幸福村.mbtiles" in page.status.text()
    click(page, page.markers[school].pos())
    assert page.last_form is not None and page.last_form.record["id"] == school
    assert page.households.rowCount() == 1 and page.households.item(0, 0).text() == "校工老李"
    page.last_form.reject()

    page.place_button.setChecked(True)
    where = geo.to_pixels(114.8085, 30.3015, page.view.zoom)
    click(page, QPointF(*where))
    form = page.last_form
    assert form.record == {} and form.editors["grid_code"].value() == GRID
    lon, lat = float(form.editors["longitude"].value()), float(form.editors["latitude"].value())
    assert abs(lon - 114.8085) < 0.0002 and abs(lat - 30.3015) < 0.0002
    form.editors["address"].widget.setText("幸福村3组新建仓库")
    assert form.save()
    qtbot.waitUntil(lambda: len(page.markers) == 3)


def test_without_a_base_map_the_page_draws_a_coordinate_canvas(qtbot, ledger, tmp_path):
    create_application(lang="zh_CN")
    ledger.put("building", {"grid_code": GRID, "address": "幸福村3组1号", "latitude": 30.30, "longitude": 114.80})
    page = MapPage(ledger)
    qtbot.addWidget(page)
    page.set_grid(GRID)
    assert len(page.markers) == 1 and page.tile_items == 0 and "坐标画布" in page.status.text()
    bad = tmp_path / "坏.mbtiles"
    bad.write_bytes(b"not a database at all")
    assert not page.use_tiles(bad) and "不是可用的 MBTiles" in page.status.text()
