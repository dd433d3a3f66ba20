"""A small dialog that writes one thing: its fields in a form, the store's refusal in words under them."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel

from desktop.store.repository import StorageFullError
from sync import messages
from sync.validation import ValidationError

from .i18n import translate


class RecordDialog(QDialog):
    """Subclasses add their rows to `self.form`, call `finish_form()` and implement `write()` (the id written);
    Save keeps the dialog open with the reason when the store refuses (an invalid value, a full disk)."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.saved: str | None = None

    def finish_form(self, save_text: str | None = None) -> None:
        self.form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_text or translate("RecordDialog", "Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("RecordDialog", "Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)

    def write(self) -> str:
        raise NotImplementedError       # each dialog says what it writes (QDialog's metaclass is not ABCMeta)

    def save(self) -> bool:
        try:
            self.saved = self.write()
        except ValidationError as exc:
            self.error.setText(exc.message())
            return False
        except StorageFullError:
            self.error.setText(messages.render("storage_full"))
            return False
        self.accept()
        return True
