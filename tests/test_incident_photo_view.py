"""Seeing a case's photos: thumbnails decoded off the GUI thread, a full-size viewer, and a photo taken on
another laptop fetched from the real station when opened."""
import pytest
from PySide6.QtGui import QColor, QImage

from desktop.services.incident_photos import CasePhotos
from desktop.services.incidents import Incidents
from desktop.ui.app import create_application
from desktop.ui.incident_page import IncidentPage
from desktop.ui.photo_strip import PHOTO_ROLE, THUMB
from tests.conftest import GRID
from tests.station_support import running_station
from tests.support.clients import TOWNSHIP, Client, local_grids, new_user

CASE = {"grid_code": GRID, "category": "safety_hazard", "title": "河堤渗水"}


def png(width: int, height: int, colour: str) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def open_page(qtbot, ledger, case_id: str, fetch=None) -> IncidentPage:
    create_application(lang="zh_CN")
    page = IncidentPage(ledger)
    page.fetch_photo = fetch
    qtbot.addWidget(page)
    page.reload()
    qtbot.waitUntil(lambda: page.model.row_of(case_id) >= 0)
    page.view.selectRow(page.model.row_of(case_id))
    return page


def test_a_cases_photos_show_as_thumbnails_and_open_at_full_size(qtbot, ledger):
    service = Incidents(ledger.store)
    case_id = service.report(CASE)
    photos = CasePhotos(service)
    photos.add(case_id, png(1600, 900, "#2e86c1"), caption="渗水点", mime="image/png")
    photos.add(case_id, png(300, 600, "#c0392b"), caption="堤脚", mime="image/png")
    page = open_page(qtbot, ledger, case_id)
    strip = page.photo_strip
    assert strip.count() == 2 and page.photo_label.text() == "2 张照片"
    assert {strip.item(i).text() for i in range(2)} == {"渗水点", "堤脚"}
    qtbot.waitUntil(lambda: all(not strip.item(i).icon().isNull() for i in range(2)))
    wide = next(strip.item(i) for i in range(2) if strip.item(i).text() == "渗水点")
    shown = wide.icon().availableSizes()[0]
    assert shown.width() == THUMB and shown.height() == THUMB * 900 // 1600        # decoded at thumbnail size

    viewer = page.open_photo(wide.data(PHOTO_ROLE))
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: viewer.picture.pixmap() is not None and not viewer.picture.pixmap().isNull())
    picture = viewer.picture.pixmap()
    assert abs(picture.width() / picture.height() - 16 / 9) < 0.02               # the whole photo, not cropped
    assert QColor(viewer.image.pixel(10, 10)).name() == "#2e86c1"


def test_a_photo_not_on_this_computer_says_how_to_get_it(qtbot, ledger):
    case_id = Incidents(ledger.store).report(CASE)
    CasePhotos(Incidents(ledger.store)).add(case_id, png(40, 40, "#27ae60"), caption="现场", mime="image/png")
    photo = CasePhotos(Incidents(ledger.store)).of(case_id)[0]
    photo["path"].unlink()                                    # as on a laptop that only pulled the record
    page = open_page(qtbot, ledger, case_id)
    item = page.photo_strip.item(0)
    assert item.icon().isNull() and "乡镇站" in item.toolTip()
    viewer = page.open_photo(item.data(PHOTO_ROLE))
    qtbot.addWidget(viewer)
    assert "登录" in viewer.picture.text() and viewer.image.isNull()


@pytest.fixture(scope="module")
def photo_station(tmp_path_factory):
    yield from running_station("sqlite", tmp_path_factory.mktemp("station"))


@pytest.mark.usefixtures("file_tokens")
def test_the_township_opens_a_photo_taken_in_the_village_fetching_it_from_the_station(qtbot, photo_station,
                                                                                      tmp_path):
    from desktop.services.ledger import Ledger

    laptop, office = Client(tmp_path / "laptop"), Client(tmp_path / "office")
    try:
        local_grids(laptop)
        laptop.login(photo_station.url, new_user(photo_station))
        service = Incidents(laptop.store)
        case_id = service.report(CASE)
        CasePhotos(service).add(case_id, png(800, 600, "#8e44ad"), caption="渗水点", mime="image/png")
        laptop.sync()                                         # the record, then the bytes
        office.login(photo_station.url, new_user(photo_station, "township", (TOWNSHIP,)))
        office.sync()                                         # the record only: bytes are fetched when wanted
        page = open_page(qtbot, Ledger(office.store), case_id, fetch=office.engine.fetch_photo)
        item = page.photo_strip.item(0)
        assert item.icon().isNull()
        viewer = page.open_photo(item.data(PHOTO_ROLE))
        qtbot.addWidget(viewer)
        qtbot.waitUntil(lambda: not viewer.image.isNull(), timeout=15_000)
        assert QColor(viewer.image.pixel(5, 5)).name() == "#8e44ad" and viewer.image.width() == 800
        with qtbot.waitSignal(viewer.finished):
            viewer.reject()
        qtbot.waitUntil(lambda: not page.photo_strip.item(0).icon().isNull())   # now a thumbnail here too
    finally:
        laptop.close()
        office.close()
