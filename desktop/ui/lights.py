"""The five-colour lights (五色亮灯) as the workbench shows them: colour, name in text, countdown.

Solid colours differ in lightness as well as hue (yellow and salmon light, purple mid, red and blue
dark), so they stay apart to colour-blind eyes; and every light also carries its name in text.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from sync import messages
from sync.incident_warnings import COLOURS, DAY_MS, HOUR_MS

from .i18n import translate

SOLID = {"yellow": "#F0E442", "light_red": "#F4A582", "purple": "#9970AB", "red": "#B2182B", "blue": "#2166AC"}
TINT = {"yellow": "#FBF6C4", "light_red": "#FCE3D6", "purple": "#E9DFF0", "red": "#F4BFC5", "blue": "#D2E3F3"}
CLOSED_INK = QColor("#8a8a8a")
_icons: dict[str, QIcon] = {}


def name(colour: str) -> str:
    return messages.value_label(colour, field="colour", record_type="warning")


def meaning(colour: str) -> str:
    return {"yellow": translate("Lights", "due within a day"),
            "light_red": translate("Lights", "overdue up to a day"),
            "purple": translate("Lights", "overdue up to three days"),
            "red": translate("Lights", "overdue more than three days"),
            "blue": translate("Lights", "supervised or returned")}[colour]


def icon(colour: str) -> QIcon:
    """A round swatch of the light (made on the GUI thread: QPixmap lives there)."""
    if colour not in _icons:
        pixmap = QPixmap(14, 14)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(SOLID[colour]))
        painter.setPen(QColor("#555555"))
        painter.drawEllipse(1, 1, 12, 12)
        painter.end()
        _icons[colour] = QIcon(pixmap)
    return _icons[colour]


def countdown(due_ms: int | None, now_ms: int) -> str:
    """"2 days 5 h left" or "overdue 3 days 1 h"; empty without a deadline."""
    if due_ms is None:
        return ""
    left = due_ms - now_ms
    days, hours = divmod(int(abs(left) // HOUR_MS), 24)
    span = (translate("Lights", "%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours)) if days
            else translate("Lights", "%1 h").replace("%1", str(hours)))
    if left >= 0:
        return translate("Lights", "%1 left").replace("%1", span)
    return translate("Lights", "overdue %1").replace("%1", span)


def legend_items() -> list[tuple[str, str]]:
    """(colour, "红灯：超期三天以上") in the station's order."""
    return [(c, f"{name(c)}：{meaning(c)}") for c in COLOURS]


__all__ = [
    "CLOSED_INK",
    "COLOURS",
    "DAY_MS",
    "SOLID",
    "TINT",
    "countdown",
    "icon",
    "legend_items",
    "meaning",
    "name",
]
