"""Table models over the store that fetch lazily: a page of rows at a time, never a whole table."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from desktop.services import Ledger
from desktop.store.queries import Filter
from sync import registers, sensitive

from . import lights
from .i18n import field_label, mask_id_number, translate, value_label
from .local_time import local_minute

ROOT = QModelIndex()        # the invalid index Qt passes for a table's root; one shared default

PAGE_SIZE = 200
# Which fields each table shows, in order (the record definitions stay in sync/records.py).
COLUMNS = {
    "household": ("head_name", "head_id_number", "address", "phone", "grid_code", "tags"),
    "person": ("name", "gender", "birth_date", "id_number", "residence", "relation_to_head", "phone", "tags"),
    "building": ("name", "address", "floors", "use", "structure", "grid_code"),
    "organisation": ("name", "kind", "address", "contact", "phone", "grid_code"),
    # "_light": the case's five-colour light, derived from its steps (not a stored field)
    "incident": ("_light", "title", "category", "status", "level", "deadline", "reported_at", "grid_code"),
    "patrol": ("worker", "started_at", "ended_at", "notes", "grid_code"),
}
CHOICE_FIELDS = ("gender", "residence", "use", "category", "status", "level")
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1


# The five-colour lights (五色亮灯) of open cases, as the incidents page annotates its rows: row tints.
LIGHTS = {colour: QColor(tint) for colour, tint in lights.TINT.items()}
DERIVED = {"status": "_status", "level": "_level"}     # a case's stored value is its report's; steps move it


def display(field: str, value) -> str:
    """How a value reads in a list: labels for codes, masked ID numbers, short times."""
    if value is None:
        return ""
    if field in ("id_number", "head_id_number"):
        return mask_id_number(value)
    if field == "tags":          # lists mask the sensitive key groups (sync/sensitive.py)
        return "、".join(value_label(t) for t in sensitive.masked(value))
    if field == "status" and value == "registered":
        return value_label("registered_case")     # the catalogue's "registered" is 户籍人口
    if field in CHOICE_FIELDS:
        return value_label(value)
    if field in registers.TABLES:                # 民族 and the like: stored as national codes
        return value_label(value, field=field, record_type="person")
    if field in ("reported_at", "deadline", "started_at", "ended_at"):
        return local_minute(value)
    return str(value)


class RecordTableModel(QAbstractTableModel):
    """Rows of one record type under a Filter, sorted in SQL, fetched PAGE_SIZE at a time.

    With a TaskRunner the pages are read on a worker thread (a sorted, filtered page of
    200,000 residents can take a few hundred ms); without one, right away (tests, tools).
    """
    loaded = Signal()                 # a page arrived

    def __init__(self, ledger: Ledger, record_type: str, page_size: int = PAGE_SIZE, parent=None,
                 runner=None):
        super().__init__(parent)
        self.ledger, self.record_type, self.page_size, self.runner = ledger, record_type, page_size, runner
        self.columns = COLUMNS[record_type]
        self.flt = Filter()
        self.order_by: str | None = None
        self.descending = False
        self._rows: list[dict] = []
        self._exhausted = False
        self._loading = False
        self._generation = 0          # bumped by every reload: late pages of an old query are dropped
        self.annotate = None          # rows -> rows, run with the query off the GUI thread (derived values)
        self.reload()

    # -- querying ---------------------------------------------------------------------
    def reload(self) -> None:
        """Start again from the first page (after a filter, sort or save)."""
        self.grid_names = {g["code"]: g["name"] for g in self.ledger.hierarchy()}
        self._generation += 1
        self.beginResetModel()
        self._rows, self._exhausted, self._loading = [], False, False
        self.endResetModel()
        self._request(0)

    def _request(self, offset: int) -> None:
        generation, query = self._generation, (self.record_type, self.flt, self.order_by, self.descending)

        annotate = self.annotate

        def read() -> list[dict]:
            rows = self.ledger.page(*query, limit=self.page_size, offset=offset)
            return annotate(rows) if annotate else rows

        self._loading = True
        if self.runner is None:
            self._receive(generation, offset, read())
        else:
            self.runner.run(read, lambda rows: self._receive(generation, offset, rows),
                            lambda _exc: self._receive(generation, offset, []))

    def _receive(self, generation: int, offset: int, rows: list[dict]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return
        self._loading = False
        self._exhausted = len(rows) < self.page_size
        if rows:
            self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.loaded.emit()

    def set_filter(self, flt: Filter) -> None:
        if flt != self.flt:
            self.flt = flt
            self.reload()

    def is_loading(self) -> bool:
        return self._loading

    def canFetchMore(self, parent=ROOT) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent=ROOT) -> None:
        if self.canFetchMore(parent):
            self._request(len(self._rows))

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns) and not self.columns[column].startswith("_"):
            self.order_by = self.columns[column]
            self.descending = order == Qt.SortOrder.DescendingOrder
            self.reload()

    # -- the model interface ----------------------------------------------------------
    def rowCount(self, parent=ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        field = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if field == "grid_code":
                return self.grid_names.get(row[field], row[field])
            if field == "_light":
                return lights.name(row["_light"]) if row.get("_light") else ""
            if field == "deadline" and "_deadline_ms" in row:
                return self._deadline_text(row)
            if field in DERIVED and row.get(DERIVED[field]):
                return display(field, row[DERIVED[field]])
            return display(field, row.get(field))
        if role == Qt.ItemDataRole.DecorationRole and field == "_light" and row.get("_light") in LIGHTS:
            return lights.icon(row["_light"])
        if role == Qt.ItemDataRole.ToolTipRole:
            if field == "grid_code":
                return row[field]
            if field == "_light" and row.get("_light") in LIGHTS:
                return lights.meaning(row["_light"])
        if role == Qt.ItemDataRole.BackgroundRole and row.get("_light") in LIGHTS:
            return LIGHTS[row["_light"]]
        if role == Qt.ItemDataRole.ForegroundRole and row.get("_status") == "closed":
            return lights.CLOSED_INK                  # closed cases read as done
        if role == Qt.ItemDataRole.FontRole and row.get("_status") == "closed":
            font = QFont()
            font.setItalic(True)
            return font
        if role == RECORD_ROLE:
            return row
        return None

    @staticmethod
    def _deadline_text(row: dict) -> str:
        """The due time in local time, and how long is left (or how late it is)."""
        due = row["_deadline_ms"]
        if due is None:
            return translate("RecordTable", "closed") if row.get("_status") == "closed" else ""
        return f"{local_minute(due)} · {lights.countdown(due, row['_now_ms'])}"

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if self.columns[section] == "_light":
                return translate("RecordTable", "Light")
            return field_label(self.columns[section], self.record_type)
        return None

    def record(self, row: int) -> dict:
        return self._rows[row]

    def row_of(self, record_id: str) -> int:
        """The row of a record among those loaded, or -1."""
        return next((i for i, r in enumerate(self._rows) if r["id"] == record_id), -1)
