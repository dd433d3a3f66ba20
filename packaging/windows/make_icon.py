"""Draw gridbook.ico (the program and installer icon): a grid on a blue tile with 网 in the middle.

Run once with `QT_QPA_PLATFORM=offscreen python packaging/windows/make_icon.py`; the .ico is committed.
"""
import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

from desktop.ui.app import cjk_family

SIZE = 256          # Qt's ICO writer stores one image per file; Windows scales 256 px down well


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#1f6fb2"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(0, 0, size, size), size * 0.18, size * 0.18)
    p.setPen(QPen(QColor(255, 255, 255, 110), max(1.0, size / 64)))
    for i in (1, 2):                                     # the 3 x 3 grid of a grid worker's area
        p.drawLine(size * i / 3, size * 0.1, size * i / 3, size * 0.9)
        p.drawLine(size * 0.1, size * i / 3, size * 0.9, size * i / 3)
    font = QFont(cjk_family() or "Sans")
    font.setPixelSize(int(size * 0.5))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "网")
    p.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    target = Path(__file__).with_name("gridbook.ico")
    ok = draw(SIZE).save(str(target), "ICO")
    print(target if ok else "could not write the icon")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
