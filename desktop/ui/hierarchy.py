"""The hierarchy tree (township → village → grid) that chooses which grid the pages show."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTreeView

from desktop.services import Ledger

from .i18n import translate, value_label

CODE_ROLE = Qt.ItemDataRole.UserRole + 1


class HierarchyTree(QTreeView):
    """Emits `grid_chosen(code or None)`; None is "everything in this ledger"."""
    grid_chosen = Signal(object)

    def __init__(self, ledger: Ledger, parent=None):
        super().__init__(parent)
        self.ledger = ledger
        self.setObjectName("hierarchy")
        self.setHeaderHidden(True)
        self.model_ = QStandardItemModel(self)
        self.setModel(self.model_)
        self.reload()
        self.selectionModel().currentChanged.connect(self._on_current)

    def reload(self) -> None:
        current = self.current_code()
        self.model_.clear()
        everything = QStandardItem(translate("HierarchyTree", "All grids"))
        everything.setData(None, CODE_ROLE)
        self.model_.appendRow(everything)
        items = {}
        for unit in self.ledger.hierarchy():          # ordered by code: parents come first
            item = QStandardItem(unit["name"])
            item.setData(unit["code"], CODE_ROLE)
            item.setToolTip(f"{value_label(unit['level'])} {unit['code']}")
            parent = items.get(unit["parent_code"], everything)
            parent.appendRow(item)
            items[unit["code"]] = item
        self.expandAll()
        self.select_code(current)

    def current_code(self) -> str | None:
        index = self.currentIndex()
        return index.data(CODE_ROLE) if index.isValid() else None

    def select_code(self, code: str | None) -> None:
        matches = self.model_.match(self.model_.index(0, 0), CODE_ROLE, code, 1,
                                    Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly) if code else []
        self.setCurrentIndex(matches[0] if matches else self.model_.index(0, 0))

    def _on_current(self, current, _previous) -> None:
        self.grid_chosen.emit(current.data(CODE_ROLE) if current.isValid() else None)
