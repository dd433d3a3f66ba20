"""Small charts drawn with QPainter: no chart library to ship (Qt Charts is a 100 MB wheel), prints as vectors.

BarChart: one horizontal bar per item, its value written beside it; clicking a bar emits its key.
StackedWeeks: one column per week, stacked by category, with a legend.
Colours come from the Okabe-Ito palette, which stays distinct to colour-blind eyes; every bar also
carries its label and number in text.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
INK, GRID_LINE = QColor("#333333"), QColor("#dddddd")


class Chart(QWidget):
    """A titled chart; `paint_into(painter, rect)` draws it, on screen or on a printer page."""

    def __init__(self, title: str = "", parent=None):
        super().__init__(parent)
        self.title = title
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(220, 150)

    def sizeHint(self) -> QSize:
        return QSize(320, 200)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        self.paint_into(painter, QRectF(self.rect()).adjusted(8, 6, -8, -6))
        painter.end()

    def paint_into(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(INK)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        line = QFontMetrics(font).height()
        painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), line), Qt.AlignmentFlag.AlignLeft, self.title)
        font.setBold(False)
        painter.setFont(font)
        self.draw(painter, rect.adjusted(0, line + 6, 0, 0))

    def draw(self, painter: QPainter, rect: QRectF) -> None:
        raise NotImplementedError


class BarChart(Chart):
    """Horizontal bars: items are (key, label, value, colour or None)."""

    bar_clicked = Signal(str)

    def __init__(self, title: str = "", parent=None):
        super().__init__(title, parent)
        self.items: list[tuple[str, str, float, str | None]] = []
        self._bars: list[tuple[QRectF, str]] = []
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_items(self, items: list[tuple[str, str, float, str | None]]) -> None:
        self.items = list(items)
        self.update()

    def draw(self, painter: QPainter, rect: QRectF) -> None:
        self._bars = []
        if not self.items:
            return
        metrics = QFontMetrics(painter.font())
        widest = max(metrics.horizontalAdvance(label) for _, label, _, _ in self.items)
        label_width = min(rect.width() * 0.4, widest + 8)
        number_width = metrics.horizontalAdvance("00000") + 6
        top = max((value for *_, value, _ in self.items), default=0) or 1
        row = min(rect.height() / len(self.items), metrics.height() * 1.8)
        for n, (key, label, value, colour) in enumerate(self.items):
            y = rect.top() + n * row
            painter.setPen(INK)
            painter.drawText(QRectF(rect.left(), y, label_width - 6, row),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            span = rect.width() - label_width - number_width
            bar = QRectF(rect.left() + label_width, y + row * 0.18, max(2.0, span * value / top), row * 0.64)
            painter.fillRect(bar, QColor(colour or PALETTE[n % len(PALETTE)]))
            painter.drawText(QRectF(bar.right() + 4, y, number_width, row), Qt.AlignmentFlag.AlignVCenter,
                             f"{value:g}")
            self._bars.append((QRectF(rect.left(), y, rect.width(), row), key))

    def key_at(self, x: float, y: float) -> str | None:
        return next((key for area, key in self._bars if area.contains(x, y)), None)

    def mouseReleaseEvent(self, event) -> None:
        key = self.key_at(event.position().x(), event.position().y())
        if key is not None:
            self.bar_clicked.emit(key)
        super().mouseReleaseEvent(event)


class StackedWeeks(Chart):
    """Columns per week (label, {series: count}), stacked in `series` order, with a legend."""

    def __init__(self, title: str = "", parent=None):
        super().__init__(title, parent)
        self.weeks: list[tuple[str, dict[str, int]]] = []
        self.series: list[tuple[str, str]] = []          # (key, label)

    def set_data(self, weeks: list[tuple[str, dict[str, int]]], series: list[tuple[str, str]]) -> None:
        self.weeks, self.series = list(weeks), list(series)
        self.update()

    def draw(self, painter: QPainter, rect: QRectF) -> None:
        if not self.weeks:
            return
        metrics = QFontMetrics(painter.font())
        line = metrics.height()
        legend_rows = self._legend(painter, rect, metrics)
        plot = rect.adjusted(metrics.horizontalAdvance("000") + 4, 0, 0, -(line + 4) - legend_rows * (line + 2))
        top = max(sum(counts.values()) for _, counts in self.weeks) or 1
        painter.setPen(GRID_LINE)
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.setPen(INK)
        painter.drawText(QRectF(rect.left(), plot.top() - line / 2, plot.left() - rect.left() - 4, line),
                         Qt.AlignmentFlag.AlignRight, str(top))
        width = plot.width() / len(self.weeks)
        for n, (label, counts) in enumerate(self.weeks):
            x, y = plot.left() + n * width + width * 0.15, plot.bottom()
            for s, (key, _) in enumerate(self.series):
                height = plot.height() * counts.get(key, 0) / top
                if height:
                    painter.fillRect(QRectF(x, y - height, width * 0.7, height), QColor(PALETTE[s % len(PALETTE)]))
                    y -= height
            total = sum(counts.values())
            if total:
                painter.drawText(QRectF(x - 4, y - line, width * 0.7 + 8, line), Qt.AlignmentFlag.AlignHCenter,
                                 str(total))
            painter.drawText(QRectF(plot.left() + n * width, plot.bottom() + 2, width, line),
                             Qt.AlignmentFlag.AlignHCenter, label)

    def _legend(self, painter: QPainter, rect: QRectF, metrics: QFontMetrics) -> int:
        line, x, rows = metrics.height(), rect.left(), 1
        y = rect.bottom() - line
        entries = [(PALETTE[s % len(PALETTE)], label) for s, (_, label) in enumerate(self.series)]
        widths = [line + 4 + metrics.horizontalAdvance(label) + 12 for _, label in entries]
        if sum(widths) > rect.width():
            rows = 2
            y -= line + 2
        for (colour, label), w in zip(entries, widths, strict=True):
            if x + w > rect.right():
                x, y = rect.left(), y + line + 2
            painter.fillRect(QRectF(x, y + 2, line - 4, line - 4), QColor(colour))
            painter.setPen(INK)
            painter.drawText(QRectF(x + line, y, w - line, line), Qt.AlignmentFlag.AlignVCenter, label)
            x += w
        return rows
