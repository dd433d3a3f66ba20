"""The changes the station refused, for the worker to handle: open the record to fix it, or discard."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.services import Ledger
from desktop.store.repository import StorageFullError
from sync import messages

from .i18n import translate
from .tasks import TaskRunner


class SetAsideDialog(QDialog):
    """Each refused change by its record's name and the station's reason; the record opens in its
    form (saving it sends the fix as a new change) or the change is discarded after a yes."""

    def __init__(self, ledger: Ledger, parent=None, on_changed: Callable[[], None] | None = None,
                 runner: TaskRunner | None = None):
        super().__init__(parent)
        self.ledger, self.on_changed = ledger, on_changed
        self.runner = runner or TaskRunner(self)       # discarding a thousand changes is no GUI-thread job
        self.rows: list[dict] = []
        self.setWindowTitle(translate("SetAsideDialog", "Changes set aside"))
        layout = QVBoxLayout(self)
        intro = QLabel(translate("SetAsideDialog", "The township station did not accept these changes. Open a "
                                                   "record to correct it and save it again, or discard a change "
                                                   "to put the record back as the station has it."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("set_aside_table")
        self.table.setHorizontalHeaderLabels([translate("SetAsideDialog", "Record type"),
                                              translate("SetAsideDialog", "Record"),
                                              translate("SetAsideDialog", "Reason")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(1, 260)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda *_: self.open_record())
        layout.addWidget(self.table)
        actions = QHBoxLayout()
        self.open_button = QPushButton(translate("SetAsideDialog", "Open record to fix…"), self)
        self.open_button.setObjectName("open_record")
        self.open_button.clicked.connect(self.open_record)
        self.discard_button = QPushButton(translate("SetAsideDialog", "Discard change…"), self)
        self.discard_button.setObjectName("discard")
        self.discard_button.clicked.connect(self.ask_discard)
        for button in (self.open_button, self.discard_button):
            button.setAutoDefault(False)
            actions.addWidget(button)
        actions.addStretch()
        layout.addLayout(actions)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 380)
        self.reload()

    def reload(self) -> None:
        self.rows = self.ledger.set_aside()
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            for j, value in enumerate((messages.type_label(row["type"]), row["label"], row["reason"])):
                item = QTableWidgetItem(str(value))
                if j == 2:
                    item.setToolTip(str(value))
                self.table.setItem(i, j, item)
        self._update_buttons()

    def selected(self) -> list[dict]:
        return [self.rows[i] for i in sorted({index.row() for index in self.table.selectedIndexes()})]

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.open_button.setEnabled(len(chosen) == 1 and chosen[0]["editable"])
        self.discard_button.setEnabled(bool(chosen))

    def _changed(self) -> None:
        self.reload()
        if self.on_changed is not None:
            self.on_changed()

    # -- fixing -----------------------------------------------------------------------
    def open_record(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or not chosen[0]["editable"]:
            return
        from .forms import open_form
        record = self.ledger.get(chosen[0]["type"], chosen[0]["id"])
        if record is None:
            self.reload()
            return
        form = open_form(self.ledger, chosen[0]["type"], record, self)
        form.finished.connect(lambda *_: (self._changed() if form.saved_id else None, form.deleteLater()))
        form.open()

    # -- discarding -------------------------------------------------------------------
    def _failed(self, exc: Exception) -> None:
        """Nothing was discarded (one transaction): say why, in the user's language."""
        text = messages.render("storage_full") if isinstance(exc, StorageFullError) else str(exc)
        QMessageBox.warning(self, self.windowTitle(), text)
        self.reload()

    def ask_discard(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(),
                          translate("SetAsideDialog", "Discard %1 refused changes? They will never be sent, and "
                                                      "each record goes back to what the township station holds "
                                                      "(a record the station never accepted is removed from this "
                                                      "computer).").replace("%1", str(len(chosen))),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirm_discard")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        seqs = [c["seq"] for c in chosen]

        def answered(button) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self.discard_button.setEnabled(False)
                self.runner.run(lambda: self.ledger.discard_set_aside(seqs), lambda _n: self._changed(),
                                self._failed)
            box.deleteLater()

        box.buttonClicked.connect(answered)
        box.open()
