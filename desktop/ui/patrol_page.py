"""The patrols page: the list of patrols with a start/stop timer above it (kept in the store, so it survives
a restart), today's hours against the target, and the hazards found, raised as cases linked to the patrol."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from desktop.services.patrols import Patrols
from desktop.store.repository import StorageFullError
from sync import incidents, messages
from sync.validation import ValidationError

from .i18n import translate, value_label
from .pages import RecordPage
from .record_dialog import RecordDialog
from .visits_page import fill, table

HAZARD_CATEGORIES = ("safety_hazard", "environment", "public_security", "dispute", "livelihood", "other")


def elapsed(since_ms: int, now_ms: int) -> str:
    seconds = max(0, (now_ms - since_ms) // 1000)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class HazardDialog(RecordDialog):
    """A hazard found on a patrol: a case raised from it."""

    def __init__(self, service: Patrols, patrol_id: str | None, parent=None):
        super().__init__(translate("HazardDialog", "Hazard found on the patrol"), parent)
        self.service, self.patrol_id = service, patrol_id
        self.setObjectName("hazard_dialog")
        self.title = QLineEdit(self)
        self.title.setObjectName("hazard_title")
        self.category = QComboBox(self)
        for category in HAZARD_CATEGORIES:
            self.category.addItem(value_label(category), category)
        self.location = QLineEdit(self)
        self.description = QPlainTextEdit(self)
        self.form.addRow(translate("HazardDialog", "Title"), self.title)
        self.form.addRow(translate("HazardDialog", "Category"), self.category)
        self.form.addRow(translate("HazardDialog", "Where"), self.location)
        self.form.addRow(translate("HazardDialog", "Description"), self.description)
        self.finish_form(translate("HazardDialog", "Report"))

    def write(self) -> str:
        return self.service.report_hazard(self.title.text(), self.patrol_id, self.category.currentData(),
                                          self.description.toPlainText().strip() or None,
                                          self.location.text().strip() or None)


class PatrolPage(RecordPage):
    def __init__(self, ledger, record_type: str = "patrol", runner=None, parent=None):
        self.service = Patrols(ledger.store)
        super().__init__(ledger, record_type, runner, parent)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self.update_timer)
        self.refresh_timer()

    def add_detail(self) -> None:
        bar = QHBoxLayout()
        self.start_button = QPushButton(translate("PatrolPage", "Start patrol"), self)
        self.start_button.setObjectName("start_patrol")
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton(translate("PatrolPage", "End patrol"), self)
        self.stop_button.setObjectName("stop_patrol")
        self.stop_button.clicked.connect(self.stop)
        self.hazard_button = QPushButton(translate("PatrolPage", "Report a hazard…"), self)
        self.hazard_button.setObjectName("report_hazard")
        self.hazard_button.clicked.connect(self.report_hazard)
        self.timer_label = QLabel(self)
        self.timer_label.setObjectName("patrol_timer")
        self.timer_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.today_label = QLabel(self)
        self.today_label.setObjectName("patrol_today")
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #c0392b;")
        for widget in (self.start_button, self.stop_button, self.timer_label, self.today_label, self.hazard_button,
                       self.message):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(0, bar)
        self.hazards = table([translate("PatrolPage", "Hazards found"), translate("PatrolPage", "Category"),
                              translate("PatrolPage", "Reported")], self)
        self.hazards.setObjectName("patrol_hazards")
        self.splitter.addWidget(self.hazards)
        self.splitter.setSizes([400, 140])
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.show_hazards())

    # -- the timer ----------------------------------------------------------------------
    def refresh_timer(self) -> None:
        today = self.service.today(self.grid if self.grid and "-" in self.grid else None)
        self.running = today.running
        self.start_button.setEnabled(self.running is None)
        self.stop_button.setEnabled(self.running is not None)
        state = translate("PatrolPage", "met") if today.met else translate("PatrolPage", "not met")
        self.today_label.setText(translate("PatrolPage", "Today %1 of %2 hours · %3")
                                 .replace("%1", f"{today.hours:.1f}").replace("%2", f"{today.target:g}")
                                 .replace("%3", state))
        self.today_label.setStyleSheet("" if today.met else "color: #b9770e;")
        if self.running is not None:
            self._tick.start()
        else:
            self._tick.stop()
        self.update_timer()

    def update_timer(self) -> None:
        if self.running is None:
            self.timer_label.setText(translate("PatrolPage", "No patrol running"))
            return
        since = incidents.iso_ms(self.running["started_at"]) or 0
        self.timer_label.setText(translate("PatrolPage", "On patrol %1").replace(
            "%1", elapsed(since, self.service.cases.now_ms())))

    def start(self) -> None:
        grid = self.grid if self.grid and "-" in self.grid else self.service.default_grid()
        self._act(lambda: self.service.start(grid or ""))

    def stop(self) -> None:
        self._act(self.service.stop)

    def _act(self, action) -> None:
        try:
            action()
        except ValidationError as exc:
            self.message.setText(exc.message())
            return
        except StorageFullError:
            self.message.setText(messages.render("storage_full"))
            return
        self.message.setText("")
        self.refresh_timer()
        self.reload()

    # -- hazards ------------------------------------------------------------------------
    def selected_patrol(self) -> str | None:
        record = self.current_record()
        return record["id"] if record else None

    def report_hazard(self) -> None:
        patrol = self.running["id"] if self.running else self.selected_patrol()
        if patrol is None:
            self.message.setText(translate("PatrolPage", "Start a patrol or choose one in the list first."))
            return
        dialog = HazardDialog(self.service, patrol, self)
        dialog.finished.connect(lambda *_: self.show_hazards() if dialog.saved else None)
        dialog.open()

    def show_hazards(self) -> None:
        patrol = self.selected_patrol() or (self.running or {}).get("id")
        found = self.service.hazards(patrol) if patrol else []
        fill(self.hazards, [[c["title"], value_label(c["category"]), str(c["reported_at"])[:16].replace("T", " ")]
                            for c in found])

    def set_grid(self, grid: str | None) -> None:
        super().set_grid(grid)
        self.refresh_timer()

    def reload(self) -> None:
        super().reload()
        self.refresh_timer()
