"""The household form (一户一表): the household's fields and its members, edited in place."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
)

from desktop.services import Ledger
from sync import records, sensitive
from sync.validation import ValidationError, clean_record, id_birth_date, id_gender, is_valid_id_number

from .forms import ERROR_STYLE, RecordForm
from .i18n import field_label, translate, value_label

MEMBER_COLUMNS = ("name", "id_number", "relation_to_head", "gender", "birth_date", "residence", "phone", "tags")
TEXT_COLUMNS = ("name", "id_number", "phone")
DERIVED = ("gender", "birth_date")
RELATIONS = ("户主", "配偶", "子", "女", "父亲", "母亲", "孙子", "孙女", "儿媳", "女婿", "兄弟姐妹", "其他")
BAD_CELL = QColor("#fde2e1")


class HouseholdForm(RecordForm):
    def __init__(self, ledger: Ledger, record: dict | None = None, defaults: dict | None = None, parent=None):
        self._members, self.member_seen = ledger.opened_members(record["id"]) if record else ([], {})
        self.removed: list[str] = []
        super().__init__(ledger, "household", record, defaults=defaults, parent=parent)
        for member in self._members:
            self._append_row(member)
        self.dirty = False
        self.resize(900, 720)                 # room for the members table

    def add_extra(self, layout: QVBoxLayout) -> None:
        header = QHBoxLayout()
        header.addWidget(QLabel(translate("HouseholdForm", "Members"), self))
        header.addStretch()
        add = QPushButton(translate("HouseholdForm", "Add member"), self)
        add.setObjectName("add_member")
        add.setAutoDefault(False)                 # Enter saves the form, it does not add rows
        add.clicked.connect(lambda: self.add_member())
        remove = QPushButton(translate("HouseholdForm", "Remove member"), self)
        remove.setAutoDefault(False)
        remove.clicked.connect(self.remove_selected)
        header.addWidget(add)
        header.addWidget(remove)
        layout.addLayout(header)
        self.table = QTableWidget(0, len(MEMBER_COLUMNS), self)
        self.table.setObjectName("members")
        self.table.setHorizontalHeaderLabels([field_label(c, "person") for c in MEMBER_COLUMNS])
        self.table.itemChanged.connect(self._on_cell_changed)
        self.table.setColumnWidth(MEMBER_COLUMNS.index("id_number"), 170)
        layout.addWidget(self.table)
        self.member_errors = QLabel(self)
        self.member_errors.setObjectName("member_errors")
        self.member_errors.setStyleSheet(ERROR_STYLE)
        self.member_errors.setWordWrap(True)
        layout.addWidget(self.member_errors)

    # -- rows -------------------------------------------------------------------------
    def add_member(self, values: dict | None = None) -> int:
        """Append a member row (optionally filled in) and return its index."""
        self._members.append(dict(values or {}))
        row = self._append_row(self._members[-1])
        self.dirty = True
        return row

    def _append_row(self, member: dict) -> int:
        table = self.table
        row = table.rowCount()
        table.blockSignals(True)
        table.insertRow(row)
        for col, name in enumerate(MEMBER_COLUMNS):
            if name in TEXT_COLUMNS or name in DERIVED:
                item = QTableWidgetItem(str(member.get(name) or ""))
                if name == "gender":
                    item.setText(value_label(member.get(name)))
                if name in DERIVED:            # follow from the ID number, not typed
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                table.setItem(row, col, item)
            elif name in ("relation_to_head", "residence"):
                box = QComboBox(table)
                box.setEditable(name == "relation_to_head")
                for value in (RELATIONS if name == "relation_to_head" else records.RESIDENCES):
                    box.addItem(value if name == "relation_to_head" else value_label(value), value)
                current = member.get(name) or ("registered" if name == "residence" else None)
                if current is None:
                    # one head per household: a new member is the 户主 only while the household has none
                    current = "" if self._has_head() else RELATIONS[0]
                if current == "":
                    box.setCurrentIndex(-1)
                    box.setEditText("")
                else:
                    index = box.findData(current)
                    box.setCurrentIndex(index) if index >= 0 else box.setEditText(current)
                box.currentIndexChanged.connect(self._mark_dirty)
                table.setCellWidget(row, col, box)
            else:
                table.setCellWidget(row, col, self._tag_button(member.get("tags") or []))
        table.blockSignals(False)
        return row

    def _has_head(self) -> bool:
        column = MEMBER_COLUMNS.index("relation_to_head")
        for row in range(self.table.rowCount()):
            box = self.table.cellWidget(row, column)
            if isinstance(box, QComboBox) and box.currentText().strip() in ("户主", "本人"):
                return True
        return False

    def _tag_button(self, tags: list[str]) -> QToolButton:
        button = QToolButton(self.table)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        for tag in records.PERSON_TAGS:
            action = QAction(value_label(tag), menu, checkable=True, checked=tag in tags)
            action.setData(tag)
            # hidden, not removed: a member's protected groups are kept as they are (sync/sensitive.py)
            action.setVisible(tag not in records.SENSITIVE_TAGS or self.sees_sensitive())
            action.toggled.connect(lambda *_: (self._mark_dirty(), self._label_tags(button)))
            menu.addAction(action)
        button.setMenu(menu)
        self._label_tags(button)
        return button

    def sees_sensitive(self) -> bool:
        if not hasattr(self, "_sees_sensitive"):
            self._sees_sensitive = self.ledger.full_view(self.grid_of(self.record))
        return self._sees_sensitive

    def _label_tags(self, button: QToolButton) -> None:
        chosen = [a.data() for a in button.menu().actions() if a.isChecked()]
        shown = chosen if self.sees_sensitive() else sensitive.masked(chosen)
        button.setText("、".join(value_label(t) for t in shown) or translate("HouseholdForm", "none"))

    def _mark_dirty(self, *_):
        self.dirty = True

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            member = self._members.pop(row)
            if member.get("id"):
                self.removed.append(member["id"])
            self.table.removeRow(row)
            self.dirty = True

    def _on_cell_changed(self, item: QTableWidgetItem) -> None:
        self.dirty = True
        if MEMBER_COLUMNS[item.column()] == "id_number":
            number = item.text().strip().upper()
            if is_valid_id_number(number):           # derive birth date and gender as typed
                self.table.blockSignals(True)
                self.table.item(item.row(), MEMBER_COLUMNS.index("birth_date")).setText(id_birth_date(number))
                self.table.item(item.row(), MEMBER_COLUMNS.index("gender")).setText(value_label(id_gender(number)))
                self.table.blockSignals(False)
        self._check_timer.start()

    def member_values(self) -> list[dict]:
        out = []
        for row, original in enumerate(self._members):
            values = {k: v for k, v in original.items() if k in records.fields_of("person")}
            for col, name in enumerate(MEMBER_COLUMNS):
                widget = self.table.cellWidget(row, col)
                if name in TEXT_COLUMNS:
                    values[name] = self.table.item(row, col).text().strip() or None
                elif name == "relation_to_head":
                    values[name] = widget.currentText().strip() or None   # a free word is allowed
                elif isinstance(widget, QComboBox):
                    values[name] = widget.currentData()
                elif isinstance(widget, QToolButton):
                    values[name] = [a.data() for a in widget.menu().actions() if a.isChecked()]
            if not original.get("id_number") or original.get("id_number") != values.get("id_number"):
                values["gender"] = values["birth_date"] = None     # derived again from the ID
            out.append(values)
        return out

    # -- validation and saving --------------------------------------------------------
    def member_errors_now(self) -> list[tuple[int, str, str]]:
        found = []
        for index, member in enumerate(self.member_values()):
            try:
                clean_record("person", {**member, "id": member.get("id") or "new", "household_id": None})
            except ValidationError as exc:
                found.extend((index, e.field, e.message()) for e in exc.errors)
        return found

    def validate(self, show_all: bool = True) -> bool:
        household_ok = super().validate(show_all)
        problems = self.member_errors_now()
        self._show_member_errors(problems)
        return household_ok and not problems

    def _show_member_errors(self, problems: list[tuple[int, str, str]]) -> None:
        bad = {(row, field) for row, field, _ in problems}
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            for col, name in enumerate(MEMBER_COLUMNS):
                item = self.table.item(row, col)
                if item is not None:
                    item.setBackground(QBrush(BAD_CELL) if (row, name) in bad else QBrush())
        self.table.blockSignals(False)
        lines = [translate("HouseholdForm", "Member %1: %2").replace("%1", str(row + 1)).replace("%2", message)
                 for row, _, message in problems]
        self.member_errors.setText("\n".join(lines))

    def member_changes(self) -> list[dict]:
        """New members whole; for the others their id and the fields changed since the form opened."""
        out = []
        for original, values in zip(self._members, self.member_values(), strict=True):
            if not original.get("id"):
                out.append(values)
                continue
            changed = {name: value for name, value in values.items() if value != original.get(name)}
            out.append({"id": original["id"], **changed})
        return out

    def write(self) -> str:
        seen = {**self.member_seen, **({self.record["id"]: self.seen} if self.seen is not None else {})}
        saved = self.ledger.save_household_edits(self.changes(), self.member_changes(), self.removed, seen)
        self.tell_overlaps(saved.overlaps)
        return saved.record_id

    def show_save_errors(self, errors: list) -> list:
        # a member's refusal (a second 户主, an ID number already taken) is said under the member table
        member = [(e.params["member"], e.field, e.message()) for e in errors if "member" in e.params]
        self._show_member_errors(member)
        return super().show_save_errors([e for e in errors if "member" not in e.params])

    def title(self) -> str:
        if self.record:
            return translate("HouseholdForm", "Edit household")
        return translate("HouseholdForm", "New household")
