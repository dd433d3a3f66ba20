"""A page per record type: a lazily filled table, search as you type, key-group filter, new/edit."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services import Ledger
from desktop.store.queries import Filter
from sync import messages, records

from .forms import open_form
from .household_form import MEMBER_COLUMNS
from .i18n import field_label, translate, value_label
from .table_model import RecordTableModel, display

UNDELETABLE = ("incident",)
# Pages with a print button, and its text (a callable: translated when the page is made)
PRINTABLE = {"household": lambda: translate("RecordPage", "Print household form…"),
             "incident": lambda: translate("RecordPage", "Print case sheet…")}

SEARCH_DELAY_MS = 250       # type a few letters, then the query runs once


class RecordPage(QWidget):
    """Records of one type under the grid chosen in the tree."""
    count_changed = Signal(int)

    def __init__(self, ledger: Ledger, record_type: str, runner=None, parent=None):
        super().__init__(parent)
        self.ledger, self.record_type, self.runner = ledger, record_type, runner
        self.grid: str | None = None
        self.setObjectName(f"page_{record_type}")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.new_button = QPushButton(translate("RecordPage", "New"), self)
        self.new_button.setObjectName("new")
        self.new_button.clicked.connect(self.new_record)
        self.edit_button = QPushButton(translate("RecordPage", "Edit"), self)
        self.edit_button.clicked.connect(self.edit_current)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        if record_type in ("household", "person"):
            hint = translate("RecordPage", "Search: name, pinyin initials, ID number, phone, address")
        else:
            hint = translate("RecordPage", "Search")
        self.search.setPlaceholderText(hint)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda *_: self._search_timer.start())
        self.delete_button = QPushButton(translate("RecordPage", "Delete"), self)
        self.delete_button.setObjectName("delete")
        self.delete_button.clicked.connect(self.delete_current)
        # A case is never deleted: it is closed (销号) through its steps, and its history stays.
        self.delete_button.setVisible(record_type not in UNDELETABLE)
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.delete_button)
        bar.addWidget(self.search, 1)
        self.tag_filter = None
        if "tags" in records.fields_of(record_type):
            self.tag_filter = QComboBox(self)
            self.tag_filter.setObjectName("tag_filter")
            self.tag_filter.addItem(translate("RecordPage", "All people"), None)
            # filtering by a protected group would show who is in it: only for an account allowed to see it
            hidden = () if ledger.full_view() else records.SENSITIVE_TAGS
            for tag in records.PERSON_TAGS:
                if tag not in hidden:
                    self.tag_filter.addItem(value_label(tag), tag)
            self.tag_filter.currentIndexChanged.connect(lambda *_: self.apply_filter())
            bar.addWidget(self.tag_filter)
        self.count_label = QLabel(self)
        bar.addWidget(self.count_label)
        self.print_button = None
        if record_type in PRINTABLE:
            self.print_button = QPushButton(PRINTABLE[record_type](), self)
            self.print_button.setObjectName("print")
            self.print_button.setAutoDefault(False)
            self.print_button.clicked.connect(lambda *_: self.print_current())
            bar.addWidget(self.print_button)
        layout.addLayout(bar)
        self.model = RecordTableModel(ledger, record_type, parent=self, runner=runner)
        self._select_after_load: str | None = None
        self.model.loaded.connect(self._on_loaded)
        self.view = QTableView(self)
        self.view.setObjectName("table")
        self.view.setModel(self.model)
        # No sort column at first: the store's key order (time-ordered ids, oldest first).
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda *_: self.edit_current())
        self.view.activated.connect(lambda *_: self.edit_current())
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.view)
        self.add_detail()
        layout.addWidget(self.splitter, 1)
        self.refresh_count()

    def add_detail(self) -> None:
        pass

    def print_document(self):
        """The selected record as a printable document (pages that print override this)."""
        return None

    def print_current(self):
        """Print preview of the selected record (一户一表, a case sheet), its print button one click on."""
        from .print_preview import preview
        doc = self.print_document()
        if doc is None:
            return None
        return preview(self, doc, self.print_button.text().rstrip("…") if self.print_button else "")

    # -- filtering --------------------------------------------------------------------
    def current_filter(self) -> Filter:
        text = self.search.text().strip()
        tag = self.tag_filter.currentData() if self.tag_filter else None
        ids = self.ledger.search_ids(text, self.record_type) if text else None
        return Filter(grid=self.grid, tag=tag, ids=ids)

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())
        self.refresh_count()

    def set_grid(self, grid: str | None) -> None:
        self.grid = grid
        self.apply_filter()

    def refresh_count(self) -> None:
        """The total under the filter, counted off the GUI thread (a big table takes a moment)."""
        flt, record_type = self.model.flt, self.record_type
        if self.runner is None:
            self._show_count(self.ledger.count_matching(record_type, flt))
            return
        self.runner.run(lambda: (flt, self.ledger.count_matching(record_type, flt)),
                        lambda result: self._show_count(result[1]) if result[0] == self.model.flt else None)

    def _show_count(self, total: int) -> None:
        self.count_label.setText(translate("RecordPage", "%1 records").replace("%1", f"{total:,}"))
        self.count_changed.emit(total)

    def reload(self) -> None:
        self.model.reload()
        self.refresh_count()

    # -- records ----------------------------------------------------------------------
    def current_record(self) -> dict | None:
        index = self.view.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def new_record(self) -> None:
        defaults = {"grid_code": self.grid} if self.grid and "-" in self.grid else None
        self._run_form(open_form(self.ledger, self.record_type, None, self, defaults))

    def edit_current(self) -> None:
        record = self.current_record()
        if record is not None:
            self._run_form(open_form(self.ledger, self.record_type, record, self))

    def delete_current(self) -> None:
        """Ask, then delete the selected record (a household with its members)."""
        record = self.current_record()
        if record is None or self.record_type in UNDELETABLE:
            return
        label = record.get("head_name") or record.get("name") or record.get("title") or record.get("address") or ""
        text = translate("RecordPage", "Delete %1? It is kept as deleted and the deletion syncs to the township.")
        if self.record_type == "household":
            count = len(self.ledger.members(record["id"]))
            text = translate("RecordPage", "Delete the household of %1 and its %2 members? They are kept as deleted and the deletion syncs to the township.")  # noqa: E501
            text = text.replace("%2", str(count))
        box = QMessageBox(QMessageBox.Icon.Question, translate("RecordPage", "Delete"), text.replace("%1", label),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirm_delete")
        box.button(QMessageBox.StandardButton.Yes).setText(translate("RecordPage", "Delete"))
        box.button(QMessageBox.StandardButton.No).setText(translate("RecordPage", "Keep"))
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(button) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self.ledger.delete(self.record_type, record["id"])
                self.reload()
            box.deleteLater()

        box.buttonClicked.connect(answered)
        box.open()

    def _run_form(self, form) -> None:
        form.finished.connect(lambda *_: self._after_form(form))
        form.open()

    def _after_form(self, form) -> None:
        if form.saved_id:
            self._select_after_load = form.saved_id
            self.reload()
        form.deleteLater()

    def _on_loaded(self) -> None:
        if self.model.rowCount() and self.view.columnWidth(0) == self.view.horizontalHeader().defaultSectionSize():
            self.view.resizeColumnsToContents()       # once, when the first rows arrive
        if self._select_after_load:
            row = self.model.row_of(self._select_after_load)
            if row >= 0:
                self.view.selectRow(row)
                self._select_after_load = None


class HouseholdPage(RecordPage):
    """Households, with the members of the selected one below (一户一档)."""

    def print_document(self):
        """一户一表 of the selected household, as it prints."""
        from desktop.services import exporting

        from .print_preview import document
        record = self.current_record()
        if record is None:
            return None
        return document(exporting.household_forms_html(self.ledger, None, [record["id"]], messages.language()))

    def add_detail(self) -> None:
        self.members_model = QStandardItemModel(0, len(MEMBER_COLUMNS), self)
        self.members_model.setHorizontalHeaderLabels([field_label(c, "person") for c in MEMBER_COLUMNS])
        self.members_view = QTableView(self)
        self.members_view.setObjectName("members_view")
        self.members_view.setModel(self.members_model)
        self.members_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members_view.horizontalHeader().setStretchLastSection(True)
        self.splitter.addWidget(self.members_view)
        self.splitter.setSizes([400, 160])
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.show_members())

    def show_members(self) -> None:
        self.members_model.removeRows(0, self.members_model.rowCount())
        record = self.current_record()
        if record is None:
            return
        for member in self.ledger.members(record["id"]):
            self.members_model.appendRow([QStandardItem(display(c, member.get(c))) for c in MEMBER_COLUMNS])
        self.members_view.resizeColumnsToContents()


def make_page(ledger: Ledger, record_type: str, runner=None, parent=None) -> RecordPage:
    if record_type == "incident":        # cases have their own page: history, steps, lights
        from .incident_page import IncidentPage
        return IncidentPage(ledger, record_type, runner, parent)
    if record_type == "patrol":          # with the patrol timer and the hazards found
        from .patrol_page import PatrolPage
        return PatrolPage(ledger, record_type, runner, parent)
    return (HouseholdPage if record_type == "household" else RecordPage)(ledger, record_type, runner, parent)
