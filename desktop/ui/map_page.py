"""The offline map of the grid (地图): its buildings on the township's MBTiles base map, or on a plain coordinate
canvas where there is none, with the grid boundaries the station imported. Click a building to open it and
see its households; place a new building by clicking where it stands."""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QFileDialog,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.services.map_data import MapData
from desktop.services.map_tiles import TilesError
from sync import geo

from .forms import open_form
from .i18n import translate
from .visits_page import fill, table

BUILDING_ROLE = 0                 # QGraphicsItem.data key holding a marker's building id
MARKER = 7.0                      # marker radius in screen pixels (kept on zoom)
COLOURS = {"residential": "#2e86c1", "commercial": "#d68910", "mixed": "#8e44ad", "public": "#229954",
           "vacant": "#7f8c8d"}


def nice_step(span: float) -> float:
    """A round graticule step (…, 0.001, 0.002, 0.005, 0.01, …) giving a few lines over `span` degrees."""
    raw = span / 5 if span > 0 else 0.001
    power = 10 ** math.floor(math.log10(raw))
    return next(power * m for m in (1, 2, 5, 10) if power * m >= raw)


class MapView(QGraphicsView):
    building_clicked = Signal(str)
    point_clicked = Signal(float, float)         # longitude, latitude of a click on no building

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.zoom = 16

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            for item in self.items(event.position().toPoint()):
                if item.data(BUILDING_ROLE):
                    self.building_clicked.emit(item.data(BUILDING_ROLE))
                    return
            scene = self.mapToScene(event.position().toPoint())
            lon, lat = geo.to_lonlat(scene.x(), scene.y(), self.zoom)
            self.point_clicked.emit(lon, lat)
        super().mousePressEvent(event)

    def wheelEvent(self, event) -> None:
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        self.scale(factor, factor)


class MapPage(QWidget):
    def __init__(self, ledger, runner=None, parent=None):
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.data = MapData(ledger.store)
        self.grid: str | None = None
        self.placing = False
        self.markers: dict[str, QGraphicsEllipseItem] = {}
        self.tile_items = 0
        self.setObjectName("page_map")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.tiles_button = QPushButton(translate("MapPage", "Base map…"), self)
        self.tiles_button.setObjectName("choose_tiles")
        self.tiles_button.clicked.connect(self.ask_tiles)
        self.place_button = QPushButton(translate("MapPage", "Place a new building"), self)
        self.place_button.setObjectName("place_building")
        self.place_button.setCheckable(True)
        self.place_button.toggled.connect(self._placing)
        self.status = QLabel(self)
        self.status.setObjectName("map_status")
        self.status.setWordWrap(True)
        for widget in (self.tiles_button, self.place_button, self.status):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.view = MapView(self)
        self.view.setObjectName("map_view")
        self.view.building_clicked.connect(self.open_building)
        self.view.point_clicked.connect(self.clicked_at)
        self.households = table([translate("MapPage", "Head"), translate("MapPage", "Address"),
                                 translate("MapPage", "Phone")], self)
        self.households.setObjectName("building_households")
        self.households_title = QLabel(self)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.households_title)
        side_layout.addWidget(self.households, 1)
        splitter = QSplitter(self)
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setSizes([800, 280])
        layout.addWidget(splitter, 1)
        self.last_form = None

    # -- drawing ------------------------------------------------------------------------
    def set_grid(self, grid: str | None) -> None:
        self.grid = grid
        self.refresh()

    def refresh(self) -> None:
        scene = self.view.scene()
        scene.clear()
        self.markers, self.tile_items = {}, 0
        bounds = self.data.bounds(self.grid)
        if bounds is None:
            self.status.setText(translate("MapPage", "No building of this grid has coordinates yet, and there is "
                                                     "no base map: choose one, or enter a building's latitude "
                                                     "and longitude in its form."))
            return
        tiles = self.data.tiles()
        size = self.view.viewport().size()
        if tiles is not None:
            zoom = geo.fit_zoom(bounds, max(size.width(), 400), max(size.height(), 300), tiles.minzoom, tiles.maxzoom)
        else:
            zoom = geo.fit_zoom(bounds, max(size.width(), 400), max(size.height(), 300))
        self.view.zoom = zoom
        if tiles is not None:
            self._draw_tiles(tiles, bounds, zoom)
        else:
            self._draw_graticule(bounds, zoom)
        self._draw_boundaries(zoom)
        self._draw_buildings(zoom)
        x0, y0 = geo.to_pixels(bounds[0], bounds[3], zoom)
        x1, y1 = geo.to_pixels(bounds[2], bounds[1], zoom)
        scene.setSceneRect(x0, y0, x1 - x0, y1 - y0)
        self.view.resetTransform()
        self.view.fitInView(scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        text = translate("MapPage", "%1 buildings on the map · %2 without coordinates").replace(
            "%1", str(len(self.markers))).replace("%2", str(self.data.unplaced(self.grid)))
        base = translate("MapPage", "base map: %1").replace("%1", tiles.path.name) if tiles else \
            translate("MapPage", "no base map: coordinate canvas")
        self.status.setText(f"{text} · {base}")

    def _draw_tiles(self, tiles, bounds, zoom: int) -> None:
        for x, y in geo.tiles_covering(bounds, zoom):
            data = tiles.tile(zoom, x, y)
            pixmap = QPixmap()
            if data and pixmap.loadFromData(data):
                item = self.view.scene().addPixmap(pixmap)
                item.setPos(x * geo.TILE, y * geo.TILE)
                item.setZValue(-10)
                self.tile_items += 1

    def _draw_graticule(self, bounds, zoom: int) -> None:
        west, south, east, north = bounds
        pen = QPen(QColor("#d5dbdb"))
        pen.setCosmetic(True)
        scene = self.view.scene()
        scene.setBackgroundBrush(QBrush(QColor("#fbfcfc")))
        step = nice_step(max(east - west, north - south))
        lon = math.floor(west / step) * step
        while lon <= east:
            (x, y0), (_x, y1) = geo.to_pixels(lon, north, zoom), geo.to_pixels(lon, south, zoom)
            scene.addLine(x, y0, x, y1, pen).setZValue(-10)
            label = scene.addSimpleText(f"{lon:.4f}°E")
            label.setPos(x + 2, y0 + 2)             # along the top; the latitudes go down the left
            label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            lon += step
        lat = math.floor(south / step) * step
        while lat <= north:
            (x0, y), (x1, _y) = geo.to_pixels(west, lat, zoom), geo.to_pixels(east, lat, zoom)
            scene.addLine(x0, y, x1, y, pen).setZValue(-10)
            label = scene.addSimpleText(f"{lat:.4f}°N")
            label.setPos(x0 + 2, y - 16)
            label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            lat += step

    def _draw_boundaries(self, zoom: int) -> None:
        pen = QPen(QColor("#c0392b"), 2)
        pen.setCosmetic(True)
        for _code, rings in self.data.boundaries(self.grid):
            for ring in rings:
                polygon = QPolygonF([QPointF(*geo.to_pixels(lon, lat, zoom)) for lon, lat in ring])
                item = self.view.scene().addPolygon(polygon, pen, QBrush(QColor(192, 57, 43, 18)))
                item.setZValue(-5)

    def _draw_buildings(self, zoom: int) -> None:
        for building in self.data.buildings(self.grid):
            x, y = geo.to_pixels(building["longitude"], building["latitude"], zoom)
            marker = QGraphicsEllipseItem(-MARKER, -MARKER, 2 * MARKER, 2 * MARKER)
            marker.setPos(x, y)
            marker.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            marker.setBrush(QBrush(QColor(COLOURS.get(building.get("use") or "", "#2e86c1"))))
            marker.setPen(QPen(QColor("white"), 1.5))
            marker.setData(BUILDING_ROLE, building["id"])
            marker.setToolTip(building.get("name") or building["address"])
            self.view.scene().addItem(marker)
            self.markers[building["id"]] = marker

    # -- actions ------------------------------------------------------------------------
    def open_building(self, building_id: str) -> None:
        """The building's form, and its households beside the map."""
        record = self.ledger.get("building", building_id)
        if record is None:
            return
        homes = self.data.households(building_id)
        self.households_title.setText(translate("MapPage", "Households of %1").replace(
            "%1", record.get("name") or record["address"]))
        fill(self.households, [[h["head_name"], h["address"], h.get("phone") or ""] for h in homes])
        self._open_form(record, None)

    def clicked_at(self, lon: float, lat: float) -> None:
        if not self.placing:
            return
        grid = self.grid if self.grid and "-" in self.grid else None
        defaults = {"longitude": round(lon, 6), "latitude": round(lat, 6), **({"grid_code": grid} if grid else {})}
        self.place_button.setChecked(False)
        self._open_form(None, defaults)

    def _open_form(self, record, defaults) -> None:
        form = open_form(self.ledger, "building", record, self, defaults)
        form.finished.connect(lambda *_: self.refresh() if form.saved_id else None)
        self.last_form = form
        form.open()

    def _placing(self, on: bool) -> None:
        self.placing = on
        if on:
            self.status.setText(translate("MapPage", "Click where the new building stands."))

    def ask_tiles(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("MapPage", "Base map"), "", "MBTiles (*.mbtiles)")
        if path:
            self.use_tiles(path)

    def use_tiles(self, path) -> bool:
        try:
            self.data.set_tiles(path)
        except TilesError as exc:
            self.status.setText(exc.message())
            return False
        self.refresh()
        return True
