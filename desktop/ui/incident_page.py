"""The incidents page: the case list, and below it the selected case's derived state, its history and a step form.

Status, level, holder and light come from the step events (desktop.services.incidents),
so the stored status columns are hidden. A refused step shows its reason beside the
form in the user's language; nothing is written.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.incident_photos import CasePhotos
from desktop.services.incidents import Incidents
from desktop.store.queries import Filter
from sync import incident_warnings as warnings
from sync import incidents, messages, records
from sync.validation import ValidationError

from . import lights
from .i18n import translate
from .local_time import local_minute
from .pages import RecordPage
from .photo_strip import PhotoStrip, PhotoViewer
from .tasks import TaskRunner

HISTORY_COLUMNS = ("at", "step", "actor", "actor_level", "assignee", "result", "notes")


OVERDUE = {"light_red", "purple", "red"}         # past the deadline (yellow warns before it, blue is 督办/退回)


def step_label(step: str) -> str:
    return messages.value_label(step, field="step", record_type="incident_event")


class IncidentPage(RecordPage):
    def __init__(self, ledger, record_type: str = "incident", runner=None, parent=None):
        self.service = Incidents(ledger.store)
        self.photos = CasePhotos(self.service)
        super().__init__(ledger, record_type, runner, parent)
        self.inbox_only = QCheckBox(translate("IncidentPage", "My inbox only"), self)
        self.inbox_only.setObjectName("inbox_only")
        self.inbox_only.toggled.connect(lambda *_: self.apply_filter())
        self.layout().itemAt(0).layout().insertWidget(2, self.inbox_only)
        self.light_filter = QComboBox(self)
        self.light_filter.setObjectName("light_filter")
        self.light_filter.addItem(translate("IncidentPage", "All lights"), None)
        self.light_filter.addItem(translate("IncidentPage", "Overdue"), "overdue")
        for colour in lights.COLOURS:
            self.light_filter.addItem(lights.icon(colour), lights.name(colour), colour)
        self.light_filter.currentIndexChanged.connect(lambda *_: self.apply_filter())
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("status_filter")
        self.status_filter.addItem(translate("IncidentPage", "All statuses"), None)
        for status in records.INCIDENT_STATUSES:
            self.status_filter.addItem(messages.value_label(status, field="status", record_type="incident"), status)
        self.status_filter.currentIndexChanged.connect(lambda *_: self.apply_filter())
        self.layout().itemAt(0).layout().insertWidget(3, self.light_filter)
        self.layout().itemAt(0).layout().insertWidget(4, self.status_filter)
        self.model.annotate = self.service.with_lights      # each row lit by its derived colour
        self.model.reload()

    # -- layout -------------------------------------------------------------------------
    def add_detail(self) -> None:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        self.state_label = QLabel(box)
        self.state_label.setObjectName("case_state")
        layout.addWidget(self.state_label)
        self.history = QTableWidget(0, len(HISTORY_COLUMNS) + 1, box)
        self.history.setObjectName("history")
        self.history.setHorizontalHeaderLabels([messages.field_label(c) for c in HISTORY_COLUMNS] +
                                               [translate("IncidentPage", "Superseded")])
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.history, 1)
        form = QFormLayout()
        self.step_box = QComboBox(box)
        self.step_box.setObjectName("step")
        for step in records.INCIDENT_STEPS[1:]:              # the report is made with the case itself
            self.step_box.addItem(step_label(step), step)
        self.assignee = QLineEdit(box)
        self.assignee.setObjectName("assignee")
        self.assignee.setPlaceholderText(translate("IncidentPage", "Department or person (for a dispatch)"))
        self.notes = QLineEdit(box)
        self.notes.setObjectName("notes")
        self.notes.setPlaceholderText(translate("IncidentPage", "What was done, instructions, result"))
        self.outcome = QComboBox(box)
        self.outcome.setObjectName("outcome")
        self.outcome.addItem(translate("IncidentPage", "No mediation"), None)
        for value in records.MEDIATION_OUTCOMES:
            self.outcome.addItem(messages.value_label(value, field="outcome", record_type="incident_event"), value)
        self.record_button = QPushButton(translate("IncidentPage", "Record step"), box)
        self.record_button.setObjectName("record_step")
        self.record_button.clicked.connect(self.record_step)
        self.error_label = QLabel(box)
        self.error_label.setObjectName("step_error")
        self.error_label.setStyleSheet("color: #b03a2e")
        self.error_label.setWordWrap(True)
        form.addRow(translate("IncidentPage", "Step"), self.step_box)
        form.addRow(translate("IncidentPage", "Assignee"), self.assignee)
        form.addRow(translate("IncidentPage", "Notes"), self.notes)
        form.addRow(translate("IncidentPage", "Mediation"), self.outcome)
        self.photo_button = QPushButton(translate("IncidentPage", "Add photo…"), box)
        self.photo_button.setObjectName("add_photo")
        self.photo_button.clicked.connect(self.ask_photo)
        self.photo_label = QLabel(box)
        self.photo_label.setObjectName("photos")
        self.photo_strip = PhotoStrip(self.runner or TaskRunner(self), box)
        self.photo_strip.open_requested.connect(self.open_photo)
        self.fetch_photo = None          # set by the main window when a station is configured: sha256 -> path
        layout.addWidget(self.photo_strip)
        buttons = QHBoxLayout()
        buttons.addWidget(self.photo_button)
        buttons.addWidget(self.photo_label)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.error_label, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        # In a scroll area: on a 1366x768 screen at 125% the form must not push the window off the screen.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(box)
        self.splitter.addWidget(scroll)
        self.splitter.setSizes([360, 300])
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.show_case())

    # -- the case ---------------------------------------------------------------------------
    def current_filter(self) -> Filter:
        flt = super().current_filter()
        if getattr(self, "inbox_only", None) is not None and self.inbox_only.isChecked():
            flt = self._among(flt, {r.incident["id"] for r in self.service.inbox()})
        light = self.light_filter.currentData() if getattr(self, "light_filter", None) is not None else None
        status = self.status_filter.currentData() if getattr(self, "status_filter", None) is not None else None
        if light or status:
            wanted = OVERDUE if light == "overdue" else {light}
            flt = self._among(flt, {r.incident["id"] for r in self.service.cases(self.grid)
                                    if (not light or r.colour in wanted) and (not status or r.state.status == status)})
        return flt

    @staticmethod
    def _among(flt: Filter, ids: set[str]) -> Filter:
        return dataclasses.replace(flt, ids=tuple(sorted(ids & set(flt.ids) if flt.ids is not None else ids)))

    def show_only(self, light: str | None = None, status: str | None = None) -> None:
        """The list narrowed as the workbench asked: one light (or "overdue"), one status, or all."""
        for box, value in ((self.light_filter, light), (self.status_filter, status)):
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(value)))
            box.blockSignals(False)
        self.apply_filter()

    def show_case(self) -> None:
        record = self.current_record()
        self.error_label.clear()
        self.history.setRowCount(0)
        if record is None:
            self.state_label.clear()
            return
        case = self.service.case(record["id"])
        self.state_label.setText(self.describe(case.state, record.get("grid_code")))
        self.offer_steps(case.state)
        photos = self.photos.of(record["id"])
        self.photo_label.setText(translate("IncidentPage", "%1 photos").replace("%1", str(len(photos))))
        self.photo_strip.show_photos(photos)
        for step in case.steps:
            row = self.history.rowCount()
            self.history.insertRow(row)
            for column, name in enumerate(HISTORY_COLUMNS):
                value = step.event.get(name) or ""
                text = step_label(value) if name == "step" else messages.value_label(value) \
                    if name == "actor_level" else local_minute(value) if name == "at" else str(value)
                self.history.setItem(row, column, QTableWidgetItem(text))
            reason = "" if step.applied else step.reason.message()
            self.history.setItem(row, len(HISTORY_COLUMNS), QTableWidgetItem(reason))
            if not step.applied:
                for column in range(self.history.columnCount()):
                    self.history.item(row, column).setForeground(QColor("#999999"))
        self.history.resizeColumnsToContents()

    def offer_steps(self, state: incidents.CaseState) -> None:
        """Only the steps this account may take on this case now (its status, its level, the account's role)."""
        chosen = self.step_box.currentData()
        self.step_box.blockSignals(True)
        self.step_box.clear()
        for step in self.service.steps_offered(state):
            self.step_box.addItem(step_label(step), step)
        self.step_box.setCurrentIndex(max(0, self.step_box.findData(chosen)))
        self.step_box.blockSignals(False)
        self.record_button.setEnabled(self.step_box.count() > 0)

    def print_document(self):
        """The selected case's sheet (事件办理单), as it prints."""
        from .print_preview import case_sheet_html, document
        record = self.current_record()
        if record is None:
            return None
        names = {g["code"]: g["name"] for g in self.ledger.hierarchy()}
        return document(case_sheet_html(self.service.case(record["id"]), names))

    def unit_name(self, holder: str | None) -> str:
        """The holding unit by its name, its code beside it; an assignee (a name already) as it is."""
        if not holder:
            return ""
        names = {g["code"]: g["name"] for g in self.ledger.hierarchy()}
        return f"{names[holder]}（{holder}）" if holder in names else holder

    def describe(self, state: incidents.CaseState, grid_code: str | None = None) -> str:
        settings = self.service.settings()
        due = warnings.deadline_ms(state, settings, grid_code)
        light = warnings.colour(state, self.service.now_ms(), settings, grid_code)
        notes = [translate("IncidentPage", "The station's setting %1 cannot be used: the defaults apply "
                           "until the township corrects it.").replace("%1", name) for name in settings.problems]
        parts = [*notes, translate("IncidentPage", "Status: %1").replace(
                     "%1", messages.value_label(state.status, field="status", record_type="incident")),
                 translate("IncidentPage", "Level: %1").replace("%1", messages.value_label(state.level)),
                 translate("IncidentPage", "Held by: %1").replace("%1", self.unit_name(state.holder))]
        if due:
            parts.append(translate("IncidentPage", "Due: %1").replace("%1", local_minute(due)))
            if state.open:
                parts.append(lights.countdown(due, self.service.now_ms()))
        if light:
            parts.append(f"{lights.name(light)}（{lights.meaning(light)}）")
            self.state_label.setStyleSheet(f"background: {lights.TINT[light]}; border-left: 6px solid "
                                           f"{lights.SOLID[light]}; padding: 4px")
        else:
            self.state_label.setStyleSheet("padding: 4px")
        return "    ".join(parts)

    def record_step(self) -> None:
        record = self.current_record()
        if record is None:
            return
        step = self.step_box.currentData()
        fields = {"notes": self.notes.text().strip() or None}
        if step == "handle":
            fields["outcome"] = self.outcome.currentData()
        if step == "dispatch":
            fields["assignee"] = self.assignee.text().strip() or None
        try:
            self.service.record(record["id"], step, **fields)
        except ValidationError as exc:
            self.error_label.setText(exc.message())
            return
        self.notes.clear()
        self.assignee.clear()
        self.show_case()

    def open_photo(self, photo: dict) -> PhotoViewer:
        """The photo at full size; one taken on another device is fetched from the station first."""
        viewer = PhotoViewer(self.photo_strip.runner, photo, self.fetch_photo, self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if photo.get("path") is None and self.fetch_photo is not None:
            viewer.finished.connect(lambda _code: self.show_case())      # fetched: its thumbnail now shows
        viewer.show()
        return viewer

    def ask_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("IncidentPage", "Choose a photo of the case"), "",
                                              "*.jpg *.jpeg *.png")
        if path:
            self.add_photo_file(path)

    def add_photo_file(self, path: str | Path) -> None:
        """Keep the photo with the case; its bytes are uploaded after the records at the next sync."""
        record = self.current_record()
        if record is None:
            return
        mime = "image/png" if str(path).lower().endswith(".png") else "image/jpeg"
        try:
            self.photos.add(record["id"], Path(path).read_bytes(), caption=Path(path).stem, mime=mime)
        except (OSError, ValidationError) as exc:
            self.error_label.setText(exc.message() if isinstance(exc, ValidationError) else str(exc))
            return
        self.show_case()

    def _after_form(self, form) -> None:
        """A case made with the generic form gets its first step, the report, right away."""
        if form.saved_id:
            self.service.ensure_reported(form.saved_id)
        super()._after_form(form)
