"""A card of the workbench: a title, one big figure, a line of detail; clicking it opens its list."""
from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout


class Card(QFrame):
    """Clickable (mouse, or Enter/Space when focused); `state` tints it: "ok", "warn", "bad" or ""."""

    clicked = Signal()
    TINTS: ClassVar[dict[str, str]] = {"ok": "#e8f5e9", "warn": "#fff8e1", "bad": "#fdecea", "": "#ffffff"}
    EDGES: ClassVar[dict[str, str]] = {"ok": "#2e7d32", "warn": "#b26a00", "bad": "#b2182b", "": "#9e9e9e"}

    def __init__(self, name: str, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName(f"card_{name}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.title = QLabel(title, self)
        self.value = QLabel(self)
        self.value.setObjectName("value")
        self.value.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.detail = QLabel(self)
        self.detail.setObjectName("detail")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        for label in (self.title, self.value, self.detail):
            layout.addWidget(label)
        self.set("", "", "")

    def set(self, value: str, detail: str, state: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.setAccessibleName(f"{self.title.text()} {value} {detail}")
        self.setStyleSheet(f"#{self.objectName()} {{ background: {self.TINTS[state]}; "
                           f"border: 1px solid {self.EDGES[state]}; border-left: 5px solid {self.EDGES[state]}; "
                           "border-radius: 4px; }")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)
