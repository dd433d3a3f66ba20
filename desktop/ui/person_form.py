"""The resident's form: the record form with the resident's visit history (重点人群走访) below it."""
from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QVBoxLayout

from desktop.services.visits import Visits

from .forms import RecordForm
from .i18n import translate
from .visits_page import fill, history_columns, history_rows, table


class PersonForm(RecordForm):
    def __init__(self, ledger, record: dict | None = None, defaults: dict | None = None, parent=None):
        super().__init__(ledger, "person", record, defaults=defaults, parent=parent)

    def add_extra(self, layout: QVBoxLayout) -> None:
        box = QGroupBox(translate("PersonForm", "Visits"), self)
        inner = QVBoxLayout(box)
        self.visits = table(history_columns(), box)
        self.visits.setObjectName("person_visits")
        self.visits.setMaximumHeight(160)
        inner.addWidget(self.visits)
        layout.addWidget(box)
        person_id = self.record.get("id")
        fill(self.visits, history_rows(Visits(self.ledger.store).history(person_id)) if person_id else [])
        box.setVisible(bool(person_id))
