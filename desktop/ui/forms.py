"""The record form: every field with inline validation in the user's language, Enter saves, Esc asks."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.services import Ledger
from desktop.store.repository import LOCAL_REFERENCE_TYPES, StorageFullError
from sync import messages, records, sensitive
from sync.ids import new_id
from sync.validation import ValidationError, clean_record, id_birth_date, id_gender, is_valid_id_number

from .editors import FieldEditor, make_editor, now_text
from .i18n import field_label, translate

# A case's status, level and deadline follow from its steps (desktop/services/incidents):
# the form does not offer them, so they cannot be edited past the history.
HIDDEN = {"household": ("id",), "incident": ("id", "status", "level", "deadline")}
ERROR_STYLE = "color: #c0392b;"


def shown(value, name: str | None = None, record_type: str | None = None) -> str:
    """A value as a message quotes it: choices and tags by their labels."""
    if value is None or value == []:
        return translate("RecordForm", "(empty)")
    if isinstance(value, list):
        return "、".join(messages.value_label(str(v)) for v in value)
    return messages.value_label(value, field=name, record_type=record_type) if isinstance(value, str) else str(value)


class RecordForm(QDialog):
    """Create or edit one record; `saved_id` holds its id after a successful save."""

    def __init__(self, ledger: Ledger, record_type: str, record: dict | None = None,
                 defaults: dict | None = None, parent=None):
        super().__init__(parent)
        self.ledger, self.record_type = ledger, record_type
        self.record, self.seen = self.open_record(record)
        self.saved_id: str | None = None
        self.new_id = new_id()
        self.dirty = False
        self.touched: set[str] = set()
        self.grids = [g for g in ledger.hierarchy() if g["level"] == "grid"] or ledger.hierarchy()
        self._known_grids = {g["code"] for g in ledger.hierarchy()}
        self.setObjectName(f"form_{record_type}")
        self.setWindowTitle(self.title())
        self.editors: dict[str, FieldEditor] = {}
        self.errors: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        self.fields_widget = QWidget(self)
        self.form = QFormLayout(self.fields_widget)
        buildings = ledger.page("building", limit=1000) if "building_id" in records.fields_of(record_type) else None
        for name in records.fields_of(record_type):
            if name in HIDDEN.get(record_type, ("id",)) or (record_type == "grid" and name == "code" and record):
                continue
            editor = make_editor(record_type, name, self.grids, buildings, self, ledger)
            editor.edited.connect(self._on_edited)
            error = QLabel(self.fields_widget)
            error.setObjectName(f"error_{name}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(editor.widget)
            box.addWidget(error)
            self.form.addRow(field_label(name, record_type), box)
            self.editors[name], self.errors[name] = editor, error
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.fields_widget)
        layout.addWidget(scroll)
        self.add_extra(layout)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(translate("RecordForm", "Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("RecordForm", "Cancel"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)   # Enter saves
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check_timer = QTimer(self, singleShot=True, interval=250)
        self._check_timer.timeout.connect(lambda: self.validate(show_all=False))
        initial = {**self.default_values(), **(defaults or {}), **self.record}
        for name, editor in self.editors.items():
            editor.set_value(initial.get(name))
        if "tags" in self.editors and record_type in sensitive.TAGGED_TYPES and \
                not ledger.full_view(self.grid_of(initial)):
            self.editors["tags"].widget.hide_sensitive()
        # what the worker saw: a save sends only what differs from it, against these stamps
        self.opened = {name: editor.value() for name, editor in self.editors.items()}
        self.resize(640, 680)

    def open_record(self, record: dict | None) -> tuple[dict, dict | None]:
        """The record as stored now, with its stamps (the list it was picked from may be older)."""
        key = records.key_field(self.record_type)
        if not record or not record.get(key) or self.record_type in LOCAL_REFERENCE_TYPES:
            return dict(record or {}), None
        fresh, stamps = self.ledger.opened(self.record_type, record[key])
        return (fresh, stamps) if fresh is not None else (dict(record), None)

    def grid_of(self, values: dict) -> str | None:
        """The record's grid (a resident's is its household's), for the township's settings."""
        if values.get("grid_code"):
            return values["grid_code"]
        household = self.ledger.get("household", values["household_id"]) if values.get("household_id") else None
        return household["grid_code"] if household else None

    # -- hooks for the household form -------------------------------------------------
    def add_extra(self, layout: QVBoxLayout) -> None:
        pass

    def title(self) -> str:
        label = messages.type_label(self.record_type)
        title = translate("RecordForm", "Edit %1") if self.record else translate("RecordForm", "New %1")
        return title.replace("%1", label)

    def default_values(self) -> dict:
        defaults = {f: now_text() for f in ("reported_at", "started_at") if f in records.fields_of(self.record_type)}
        if self.grids and "grid_code" in records.fields_of(self.record_type):
            defaults["grid_code"] = self.grids[0]["code"]
        return defaults

    # -- values and validation --------------------------------------------------------
    def values(self) -> dict:
        values = {k: v for k, v in self.record.items() if k in records.fields_of(self.record_type)}
        if records.key_field(self.record_type) == "id" and not values.get("id"):
            values["id"] = self.new_id       # made once, on opening: a second save cannot duplicate
        values.update({name: editor.value() for name, editor in self.editors.items()})
        return values

    def changes(self) -> dict:
        """What to save: a new record whole; for one that exists, its key and the fields the worker changed."""
        values = self.values()
        key = records.key_field(self.record_type)
        if not self.record.get(key):
            return values
        return {key: values[key], **{name: value for name, value in values.items()
                                     if name in self.opened and value != self.opened[name]}}

    def _on_edited(self, name: str) -> None:
        self.dirty = True
        self.touched.add(name)
        if name == "id_number":
            self._derive_from_id()
        self._check_timer.start()

    def _derive_from_id(self) -> None:
        """Birth date and gender follow from a valid ID number: fill them in as it is typed."""
        number = self.editors["id_number"].value()
        if number and is_valid_id_number(number):
            number = number.upper()
            self.editors["birth_date"].set_value(id_birth_date(number))
            self.editors["gender"].set_value(id_gender(number))

    def field_errors(self) -> dict[str, str]:
        """Field -> message for the current values (empty when the record is valid)."""
        try:
            clean_record(self.record_type, self.values(), self._known_grids.__contains__)
        except ValidationError as exc:
            found: dict[str, str] = {}
            for error in exc.errors:
                found.setdefault(error.field, error.message())
            return found
        return {}

    def validate(self, show_all: bool = True) -> bool:
        errors = self.field_errors()
        self.show_errors(errors, show_all)
        return not errors

    def show_errors(self, errors: dict[str, str], show_all: bool = True) -> None:
        for name, label in self.errors.items():
            message = errors.get(name) if (show_all or name in self.touched) else None
            label.setText(message or "")
            label.setVisible(bool(message))

    # -- saving and leaving -----------------------------------------------------------
    def save(self) -> bool:
        self._check_timer.stop()
        if not self.validate(show_all=True):
            self._focus_first_error()
            return False
        try:
            self.saved_id = self.write()
        except ValidationError as exc:                    # e.g. a record the store says is gone
            unshown = self.show_save_errors(exc.errors)
            if unshown:
                QMessageBox.warning(self, self.windowTitle(), ValidationError(unshown).message())
            return False
        except StorageFullError:
            # Nothing was written; the form stays open with everything typed.
            QMessageBox.critical(self, self.windowTitle(), messages.render("storage_full"))
            return False
        self.dirty = False
        self.accept()
        return True

    def show_save_errors(self, errors: list) -> list:
        """Show the store's refusal beside the fields; return what still needs saying in a message box."""
        self.show_errors({e.field: e.message() for e in errors}, True)
        return errors

    def write(self) -> str:
        saved = self.ledger.save(self.record_type, self.changes(), self.seen)
        self.tell_overlaps(saved.overlaps)
        return saved.record_id

    def tell_overlaps(self, overlaps) -> None:
        """Say which fields another laptop changed while this form was open, and what was kept."""
        if not overlaps:
            return
        text = translate("RecordForm", "%1: changed on another device to “%2” while this form was open; "
                                       "your “%3” is kept.")
        lines = [text.replace("%1", field_label(o.field, o.record_type))
                 .replace("%2", shown(o.theirs, o.field, o.record_type))
                 .replace("%3", shown(o.mine, o.field, o.record_type)) for o in overlaps]
        lines.append(translate("RecordForm", "The other value is kept at the township station as a conflict "
                                             "for review."))
        QMessageBox.information(self, translate("RecordForm", "Changed on another device"), "\n".join(lines))

    def _focus_first_error(self) -> None:
        for name, label in self.errors.items():
            if label.isVisible() and name in self.editors:
                self.editors[name].widget.setFocus()
                return

    def reject(self) -> None:
        if self.dirty:
            answer = self.ask_unsaved()
            if answer == QMessageBox.StandardButton.Save:
                self.save()
                return
            if answer == QMessageBox.StandardButton.Cancel:
                return
        self.dirty = False
        super().reject()

    def ask_unsaved(self):
        return QMessageBox.question(
            self, self.windowTitle(), translate("RecordForm", "Save the changes before closing?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)


def open_form(ledger: Ledger, record_type: str, record: dict | None = None, parent=None,
              defaults: dict | None = None) -> RecordForm:
    """The right form for a record type (households get the one with members)."""
    if record_type == "household":
        from .household_form import HouseholdForm
        return HouseholdForm(ledger, record, defaults=defaults, parent=parent)
    if record_type == "person":          # with the resident's visit history
        from .person_form import PersonForm
        return PersonForm(ledger, record, defaults=defaults, parent=parent)
    return RecordForm(ledger, record_type, record, defaults=defaults, parent=parent)
