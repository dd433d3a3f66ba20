"""A case's photos as thumbnails; double-click opens one at full size (fetched from the station if need be).

Decoding runs on a pool thread (a phone photo is 3-8 MB of JPEG): QImage may be made
off the GUI thread, QPixmap only on it, so the worker hands back QImages. QImageReader
decodes straight to the thumbnail size and turns the picture upright from its EXIF
orientation, as the phone showed it.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout

from ..services.incident_photos import photo_bytes
from .i18n import translate
from .tasks import TaskRunner

THUMB = 96
VIEW_LIMIT = QSize(1920, 1440)          # decoded no larger: a 12-megapixel photo would be 48 MB as an image
PHOTO_ROLE = Qt.ItemDataRole.UserRole


def read_image(path: str | Path, fit: QSize | None = None) -> QImage:
    """The picture upright, scaled down to fit `fit` while decoding; a null QImage if unreadable.

    The file on disk is sealed (encrypted): it is opened to bytes and decoded from memory."""
    try:
        data = photo_bytes(path)
    except (OSError, ValueError):           # gone, or changed since it was sealed
        return QImage()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()
    if fit is not None and size.isValid() and (size.width() > fit.width() or size.height() > fit.height()):
        reader.setScaledSize(size.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


class PhotoStrip(QListWidget):
    """Thumbnails of a case's photos; `open_requested(photo)` on double-click."""

    open_requested = Signal(dict)

    def __init__(self, runner: TaskRunner, parent=None):
        super().__init__(parent)
        self.runner = runner
        self.setObjectName("photo_strip")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setFixedHeight(THUMB + 44)
        self.setMovement(QListView.Movement.Static)
        self._generation = 0            # thumbnails of a case left behind are not shown on the next one
        self.itemDoubleClicked.connect(lambda item: self.open_requested.emit(item.data(PHOTO_ROLE)))

    def show_photos(self, photos: list[dict]) -> None:
        self._generation += 1
        generation = self._generation
        self.clear()
        for photo in photos:
            item = QListWidgetItem(photo.get("caption") or translate("PhotoStrip", "Photo"))
            item.setData(PHOTO_ROLE, photo)
            item.setSizeHint(QSize(THUMB + 16, THUMB + 36))
            if photo.get("path") is None:
                item.setToolTip(translate("PhotoStrip", "Not on this computer yet: double-click to fetch it "
                                                        "from the station"))
            self.addItem(item)
        wanted = [(i, p["path"]) for i, p in enumerate(photos) if p.get("path") is not None]
        if wanted:
            self.runner.run(lambda: [(i, read_image(path, QSize(THUMB, THUMB))) for i, path in wanted],
                            lambda thumbs: self._set_thumbnails(generation, thumbs))

    def _set_thumbnails(self, generation: int, thumbs: list[tuple[int, QImage]]) -> None:
        if generation != self._generation:
            return
        for row, image in thumbs:
            item = self.item(row)
            if item is not None and not image.isNull():
                item.setIcon(QIcon(QPixmap.fromImage(image)))


class PhotoViewer(QDialog):
    """One photo, scaled to the window; the full picture is decoded off the GUI thread."""

    def __init__(self, runner: TaskRunner, photo: dict, fetch: Callable[[str], Path] | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("photo_viewer")
        self.setWindowTitle(photo.get("caption") or translate("PhotoStrip", "Photo"))
        self.runner, self.image = runner, QImage()
        self.picture = QLabel(translate("PhotoStrip", "Opening…"), self)
        self.picture.setObjectName("picture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(320, 240)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture)
        self.resize(900, 680)
        path = photo.get("path")
        if path is not None:
            runner.run(lambda: read_image(path, VIEW_LIMIT), self._show, self._failed)
        elif fetch is not None:
            self.picture.setText(translate("PhotoStrip", "Fetching the photo from the station…"))
            runner.run(lambda: read_image(fetch(photo["sha256"]), VIEW_LIMIT), self._show, self._failed)
        else:
            self.picture.setText(translate("PhotoStrip", "This photo is not on this computer. Log in to the "
                                                         "station to fetch it."))

    def _show(self, image: QImage) -> None:
        if image.isNull():
            self._failed(None)
            return
        self.image = image
        self._fit()

    def _failed(self, exc) -> None:
        detail = exc.message() if hasattr(exc, "message") else ""
        self.picture.setText(" ".join(filter(None, (translate("PhotoStrip", "The photo cannot be shown."), detail))))

    def _fit(self) -> None:
        if not self.image.isNull():
            self.picture.setPixmap(QPixmap.fromImage(self.image).scaled(
                self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()
