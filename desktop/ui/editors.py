"""One input widget per record field: text, choice lists, tag checkboxes, grids, long text."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from sync import records, registers
from sync.validation import CHOICES, REQUIRED

from .date_editors import DatePicker, DateTimePicker
from .i18n import translate, value_label

LONG_TEXT = ("notes", "description")
DATETIME_FIELDS = ("reported_at", "deadline", "started_at", "ended_at")
PLACEHOLDERS = {"id_number": "11010519491231002X", "head_id_number": "11010519491231002X",
                "phone": "13800138000", "birth_date": "1949-12-31", "reported_at": "2024-03-01 08:30",
                "deadline": "2024-03-08 17:00", "started_at": "2024-03-01 08:30", "ended_at": "2024-03-01 11:30"}


def now_text() -> str:
    return dt.datetime.now().astimezone().replace(second=0, microsecond=0).isoformat()


class FieldEditor(QObject):
    """A field's widget with value() / set_value() in canonical form and one `edited` signal."""
    edited = Signal(str)

    def __init__(self, name: str, widget: QWidget, parent=None):
        super().__init__(parent)
        self.name, self.widget = name, widget

    def value(self):
        w = self.widget
        if isinstance(w, (DatePicker, DateTimePicker)):
            return w.value()
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText().strip() or None
        if isinstance(w, TagBox):
            return w.all_tags()
        text = w.text().strip()
        if self.name in DATETIME_FIELDS and len(text) == 16 and text[10] == " ":
            text = text.replace(" ", "T") + ":00"          # what people type -> ISO 8601
        return text or None

    def set_value(self, value) -> None:
        w = self.widget
        w.blockSignals(True)
        if isinstance(w, (DatePicker, DateTimePicker)):
            w.set_value(value)
        elif isinstance(w, HouseholdPicker):
            w.set_household(value)
        elif isinstance(w, QComboBox):
            index = w.findData(value)
            if index < 0 and value is not None:        # a value from the station this build doesn't know
                w.addItem(str(value), value)
                index = w.count() - 1
            w.setCurrentIndex(max(index, 0))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(value or "")
        elif isinstance(w, TagBox):
            w.set_tags(value or [])
        else:
            w.setText("" if value is None else str(value))
        w.blockSignals(False)


class TagBox(QWidget):
    """Key-group tags (重点人群) as checkboxes."""
    changed = Signal()

    def __init__(self, tags=records.PERSON_TAGS, parent=None):
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, tag in enumerate(tags):
            box = QCheckBox(value_label(tag), self)
            box.setObjectName(f"tag_{tag}")
            box.toggled.connect(self.changed)
            layout.addWidget(box, i // 4, i % 4)
            self.boxes[tag] = box

    def tags(self) -> list[str]:
        return [t for t, box in self.boxes.items() if box.isChecked()]

    def hide_sensitive(self) -> None:
        """For an account the township does not let see the sensitive key groups: their boxes are hidden
        (what they hold is kept and saved as it was) and a note says so."""
        for tag in records.SENSITIVE_TAGS:
            self.boxes[tag].hide()
        note = QLabel(translate("Editors", "Protected key groups are hidden from this account; they are kept "
                                           "as they are."), self)
        note.setObjectName("protected_note")
        note.setWordWrap(True)
        grid = self.layout()
        assert isinstance(grid, QGridLayout)
        grid.addWidget(note, grid.rowCount(), 0, 1, 4)

    def set_tags(self, tags) -> None:
        extra = [t for t in tags if t not in self.boxes]
        for tag, box in self.boxes.items():
            box.setChecked(tag in tags)
        self._extra = extra        # tags this build has no box for are kept, not dropped

    def all_tags(self) -> list[str]:
        return self.tags() + getattr(self, "_extra", [])


class HouseholdPicker(QComboBox):
    """Choose a resident's household by typing the head's name, pinyin, ID or address."""

    def __init__(self, ledger, parent=None):
        super().__init__(parent)
        self.ledger = ledger
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.lineEdit().setPlaceholderText(translate("Editors", "Type the head's name, pinyin or address"))
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self._refresh)
        self.lineEdit().textEdited.connect(lambda *_: self._timer.start())

    def _refresh(self) -> None:
        text = self.lineEdit().text()
        found = self.ledger.search(text, ("household",), limit=20) if text.strip() else []
        self.blockSignals(True)
        self.clear()
        for row in found:
            self.addItem(self.label(row), row["id"])
        self.setEditText(text)
        self.blockSignals(False)
        if found:
            self.showPopup()

    @staticmethod
    def label(row: dict) -> str:
        return f"{row.get('label') or row.get('head_name')} · {row.get('address') or ''}"

    def set_household(self, household_id) -> None:
        self.clear()
        row = self.ledger.get("household", household_id) if household_id else None
        if row:
            self.addItem(self.label(row), household_id)
            self.setCurrentIndex(0)


def choice_box(record_type: str, name: str, parent=None) -> QComboBox:
    box = QComboBox(parent)
    if name not in REQUIRED[record_type] and records.RECORD_TYPES[record_type].model_fields[name].default is None:
        box.addItem(translate("Editors", "(not set)"), None)
    for value in CHOICES[(record_type, name)]:
        box.addItem(value_label("registered_case" if (record_type, value) == ("incident", "registered")
                                else value), value)
    return box


def register_box(name: str, parent=None) -> QComboBox:
    """民族, 文化程度, 婚姻状况, 政治面貌: the national code tables by name (stored as their codes)."""
    box = QComboBox(parent)
    box.addItem(translate("Editors", "(not set)"), None)
    for code in registers.TABLES[name]:
        box.addItem(value_label(code, field=name, record_type="person"), code)
    return box


def make_editor(record_type: str, name: str, grids: list[dict], buildings: list[dict] | None = None,
                parent=None, ledger=None) -> FieldEditor:
    """The editor of one field; `grids` are the grid-level units to choose from."""
    if name == "household_id" and ledger is not None:
        widget = HouseholdPicker(ledger, parent)
    elif (record_type, name) in CHOICES:
        widget = choice_box(record_type, name, parent)
    elif record_type == "person" and name in registers.TABLES:
        widget = register_box(name, parent)
    elif name == "tags":
        widget = TagBox(parent=parent)
    elif name == "grid_code":
        widget = QComboBox(parent)
        for g in grids:
            widget.addItem(f"{g['name']}（{g['code']}）", g["code"])
    elif name == "building_id":
        widget = QComboBox(parent)
        widget.addItem(translate("Editors", "(none)"), None)
        for b in buildings or []:
            widget.addItem(b.get("name") or b["address"], b["id"])
    elif name in DATETIME_FIELDS:
        widget = DateTimePicker(parent)
    elif name == "birth_date":
        widget = DatePicker(parent)
    elif name in LONG_TEXT:
        widget = QPlainTextEdit(parent)
        widget.setTabChangesFocus(True)          # Tab moves on, as in every other field
        widget.setMaximumHeight(80)
    else:
        widget = QLineEdit(parent)
        widget.setPlaceholderText(PLACEHOLDERS.get(name, ""))
        if name in ("id_number", "head_id_number"):
            widget.setMaxLength(20)
    widget.setObjectName(f"field_{name}")
    editor = FieldEditor(name, widget, parent)
    if isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(lambda *_: editor.edited.emit(name))
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(lambda: editor.edited.emit(name))
    elif isinstance(widget, TagBox):
        widget.changed.connect(lambda: editor.edited.emit(name))
    elif isinstance(widget, (DatePicker, DateTimePicker)):
        widget.editingFinished.connect(lambda: editor.edited.emit(name))
        widget.dateTimeChanged.connect(lambda *_: editor.edited.emit(name))
    else:
        widget.textEdited.connect(lambda *_: editor.edited.emit(name))
    return editor
