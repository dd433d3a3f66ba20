"""导出: a table of one record type (.xlsx/.csv) or the one-household-one-form (一户一表, .xlsx/.pdf)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
)

from desktop.services import exporting

from .i18n import translate
from .printing import household_forms_pdf
from .tasks import TaskRunner

FORMS = "household_forms"


class ExportDialog(QDialog):
    def __init__(self, ledger, parent=None):
        super().__init__(parent)
        self.ledger = ledger
        self.tasks = TaskRunner(self, threads=1)
        self.written: Path | None = None
        self.setWindowTitle(translate("ExportDialog", "Export"))
        form = QFormLayout(self)
        self.what_combo = QComboBox(self)
        for code, text in ((FORMS, translate("ExportDialog", "One household, one form (一户一表)")),
                           ("person", translate("ExportDialog", "Residents")),
                           ("household", translate("ExportDialog", "Households")),
                           ("building", translate("ExportDialog", "Buildings")),
                           ("organisation", translate("ExportDialog", "Organisations"))):
            self.what_combo.addItem(text, code)
        form.addRow(translate("ExportDialog", "What"), self.what_combo)
        self.grid_combo = QComboBox(self)
        self.grid_combo.addItem(translate("ExportDialog", "All grids"), None)
        for grid in ledger.list("grid"):
            self.grid_combo.addItem(f"{grid['name']} {grid['code']}", grid["code"])
        form.addRow(translate("ExportDialog", "Grid"), self.grid_combo)
        # the sensitive key groups stay out unless asked for, and only a role the township allows may ask
        self.sensitive_box = QCheckBox(translate("ExportDialog", "Include the protected key groups"), self)
        self.sensitive_box.setObjectName("include_sensitive")
        self.sensitive_box.setVisible(ledger.full_view())
        form.addRow(self.sensitive_box)
        self.path_edit = QLineEdit(self)
        browse = QPushButton(translate("ExportDialog", "Browse…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow(translate("ExportDialog", "File (.xlsx, .csv or .pdf)"), row)
        self.status = QLabel(self)
        form.addRow(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close,
                                        self)
        self.buttons.accepted.connect(self._export)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def _browse(self) -> None:
        kinds = translate("ExportDialog", "Spreadsheets (*.xlsx *.csv);;PDF (*.pdf)")
        path, _ = QFileDialog.getSaveFileName(self, translate("ExportDialog", "Export"), "", kinds)
        if path:
            self.path_edit.setText(path)

    def _export(self) -> None:
        path = Path(self.path_edit.text().strip())
        what, grid = self.what_combo.currentData(), self.grid_combo.currentData()
        suffix = path.suffix.lower()
        allowed = (".xlsx", ".pdf") if what == FORMS else (".xlsx", ".csv")
        if not self.path_edit.text().strip() or suffix not in allowed:
            text = translate("ExportDialog", "Choose a file ending in %1.").replace("%1", " / ".join(allowed))
            QMessageBox.warning(self, translate("ExportDialog", "Export"), text)
            return
        ledger = self.ledger
        sensitive = not self.sensitive_box.isHidden() and self.sensitive_box.isChecked()
        if what == FORMS and suffix == ".pdf":
            # Qt's text layout must run on the GUI thread; a grid's forms take a moment at most.
            self._done(household_forms_pdf(ledger, path, grid, include_sensitive=sensitive))
            return

        def work() -> int:
            if what == FORMS:
                return exporting.household_forms(ledger, path, grid, include_sensitive=sensitive)
            return exporting.export_table(ledger, what, path, grid, include_sensitive=sensitive)

        self.buttons.setEnabled(False)
        self.written = None
        self.tasks.run(work, self._done, self._failed)

    def _done(self, count: int) -> None:
        self.buttons.setEnabled(True)
        self.written = Path(self.path_edit.text().strip())
        self.status.setText(translate("ExportDialog", "Wrote %1 records to %2.")
                            .replace("%1", str(count)).replace("%2", str(self.written)))

    def _failed(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        QMessageBox.warning(self, translate("ExportDialog", "Export"),
                            translate("ExportDialog", "The file could not be written: %1").replace("%1", str(exc)))

    def reject(self) -> None:
        if not self.tasks.busy():
            self.tasks.shutdown()
            super().reject()
