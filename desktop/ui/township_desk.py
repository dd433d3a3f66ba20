"""The township's desk (乡镇工作台): its inbox with the steps it may take, conflicts side by side, its laptops.

The inbox reads the local replica (a township account pulls all its villages); conflicts and the
laptops' sync state come from the station (desktop.services.township), always on a worker thread.
"""
from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services.township import Laptop, Township
from sync import clock, messages

from . import lights
from .i18n import translate
from .local_time import local_minute

DESK_STEPS = ("dispatch", "supervise", "escalate", "return", "close")


def _table(parent, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


DUPLICATE = "duplicate"          # the station's conflict kind for one ID number on two residents


def _resident(value) -> str:
    """One side of a duplicate: the resident as the station holds it, by what a reviewer compares."""
    if not isinstance(value, dict):
        return _shown(value)
    parts = [value.get("name"), value.get("id_number"), value.get("phone"), value.get("registered_address")]
    return " · ".join(str(p) for p in parts if p)


def _shown(value) -> str:
    if value is None:
        return translate("TownshipDesk", "(empty)")
    if isinstance(value, bool):
        return translate("TownshipDesk", "yes") if value else translate("TownshipDesk", "no")
    if isinstance(value, list):
        return "、".join(messages.value_label(str(v)) for v in value)
    return messages.value_label(str(value)) if isinstance(value, str) else str(value)


class TownshipDesk(QWidget):
    def __init__(self, ledger, engine, runner, parent=None):
        super().__init__(parent)
        self.setObjectName("page_township")
        self.ledger, self.runner = ledger, runner
        self.desk = Township(ledger.store, engine)
        self.names = {}
        self.inbox_rows: list = []
        self.conflict_rows: list[dict] = []
        self.laptop_rows: list[Laptop] = []
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("desk_tabs")
        layout.addWidget(self.tabs)
        self.message = QLabel(self)
        self.message.setObjectName("desk_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.tabs.addTab(self._inbox_tab(), translate("TownshipDesk", "Inbox"))
        self.tabs.addTab(self._conflicts_tab(), translate("TownshipDesk", "Conflicts"))
        self.tabs.addTab(self._laptops_tab(), translate("TownshipDesk", "Villages' sync"))

    # -- the inbox --------------------------------------------------------------------------
    def _inbox_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        self.inbox = _table(tab, "desk_inbox", [translate("TownshipDesk", "Light"), translate("TownshipDesk", "Case"),
                                                translate("TownshipDesk", "Category"),
                                                translate("TownshipDesk", "Village / grid"),
                                                translate("TownshipDesk", "Status"), translate("TownshipDesk", "Due")])
        self.inbox.itemSelectionChanged.connect(self._offer)
        layout.addWidget(self.inbox, 1)
        row = QHBoxLayout()
        self.assignee = QComboBox(tab)
        self.assignee.setObjectName("desk_assignee")
        self.assignee.setEditable(True)
        self.assignee.lineEdit().setPlaceholderText(translate("TownshipDesk", "Village, department or worker"))
        self.notes = QLineEdit(tab)
        self.notes.setObjectName("desk_notes")
        self.notes.setPlaceholderText(translate("TownshipDesk", "Instruction or notes (a return needs one)"))
        row.addWidget(QLabel(translate("TownshipDesk", "To:"), tab))
        row.addWidget(self.assignee, 1)
        row.addWidget(self.notes, 2)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        labels = {"dispatch": translate("TownshipDesk", "Dispatch"),
                  "supervise": translate("TownshipDesk", "Instruct (督办)"),
                  "escalate": translate("TownshipDesk", "Escalate to the county"),
                  "return": translate("TownshipDesk", "Return to the village"),
                  "close": translate("TownshipDesk", "Close")}
        self.step_buttons = {}
        for step in DESK_STEPS:
            button = QPushButton(labels[step], tab)
            button.setObjectName(f"desk_{step}")
            button.clicked.connect(lambda _=False, step=step: self.take(step))
            buttons.addWidget(button)
            self.step_buttons[step] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return tab

    def refresh_inbox(self) -> None:
        self.names = {g["code"]: g["name"] for g in self.ledger.hierarchy()}
        self.assignee.clear()
        for village in self.desk.villages():
            self.assignee.addItem(village["name"], village["name"])
        self.assignee.setCurrentIndex(-1)
        self.inbox_rows = self.desk.inbox()
        now = self.desk.cases.now_ms()
        self.inbox.setRowCount(len(self.inbox_rows))
        for n, row in enumerate(self.inbox_rows):
            code = row.incident["grid_code"]
            cells = [lights.name(row.colour) if row.colour else "", row.incident.get("title") or "",
                     messages.value_label(row.state.category or "other"),
                     self.names.get(code, code),
                     messages.value_label(row.state.status, field="status", record_type="incident"),
                     f"{local_minute(row.deadline_ms)} · {lights.countdown(row.deadline_ms, now)}"
                     if row.deadline_ms else ""]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.colour:
                    item.setBackground(QColor(lights.TINT[row.colour]))
                    if column == 0:
                        item.setIcon(lights.icon(row.colour))
                self.inbox.setItem(n, column, item)
        self._offer()

    def current_case(self):
        row = self.inbox.currentRow()
        return self.inbox_rows[row] if 0 <= row < len(self.inbox_rows) else None

    def _offer(self) -> None:
        case = self.current_case()
        offered = set(self.desk.steps_for(case)) if case else set()
        for step, button in self.step_buttons.items():
            button.setEnabled(step in offered)

    def take(self, step: str) -> None:
        case = self.current_case()
        if case is None:
            return
        fields = {"notes": self.notes.text().strip() or None}
        if step == "dispatch":
            fields["assignee"] = self.assignee.currentText().strip() or None
        try:
            self.desk.cases.record(case.incident["id"], step, **fields)
        except Exception as exc:                       # a refused step: its reason, in the user's language
            self.message.setText(exc.message() if hasattr(exc, "message") else str(exc))
            return
        self.message.setText(translate("TownshipDesk", "Recorded: %1 · %2").replace(
            "%1", messages.value_label(step, field="step", record_type="incident_event"))
            .replace("%2", case.incident.get("title") or ""))
        self.notes.clear()
        self.refresh_inbox()

    # -- conflicts -----------------------------------------------------------------------------
    def _conflicts_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        self.conflicts = _table(tab, "desk_conflicts", [
            translate("TownshipDesk", "Record"), translate("TownshipDesk", "Field"),
            translate("TownshipDesk", "Value kept"), translate("TownshipDesk", "Kept: who, when"),
            translate("TownshipDesk", "Value overwritten"), translate("TownshipDesk", "Overwritten: who, when")])
        layout.addWidget(self.conflicts, 1)
        row = QHBoxLayout()
        self.keep_button = QPushButton(translate("TownshipDesk", "Keep the value kept"), tab)
        self.keep_button.setObjectName("desk_keep")
        self.keep_button.clicked.connect(lambda: self.resolve("local"))
        self.take_button = QPushButton(translate("TownshipDesk", "Take the overwritten value"), tab)
        self.take_button.setObjectName("desk_take")
        self.take_button.clicked.connect(lambda: self.resolve("remote"))
        # a resident registered twice (one ID number on two laptops): merge into one, or two people after all
        self.merge_button = QPushButton(translate("TownshipDesk", "Merge into one person"), tab)
        self.merge_button.setObjectName("desk_merge")
        self.merge_button.clicked.connect(lambda: self.resolve("merge"))
        reload_button = QPushButton(translate("TownshipDesk", "Refresh"), tab)
        reload_button.clicked.connect(self.refresh_station)
        self.conflicts.itemSelectionChanged.connect(self._offer_resolutions)
        for button in (self.keep_button, self.take_button, self.merge_button, reload_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return tab

    def _record_name(self, conflict: dict) -> str:
        try:
            record = self.ledger.store.get(conflict["record_type"], conflict["record_id"])
        except Exception:
            record = None
        kind = messages.type_label(conflict["record_type"])
        if record is None:
            return kind
        name = record.get("head_name") or record.get("name") or record.get("title") or record.get("address") or ""
        return f"{kind}：{name}"

    def _show_conflicts(self, rows: list[dict]) -> None:
        self.conflict_rows = rows
        self.conflicts.setRowCount(len(rows))
        for n, c in enumerate(rows):
            duplicate = c.get("kind") == DUPLICATE
            field = translate("TownshipDesk", "Registered twice (same ID number)") if duplicate else \
                messages.field_label(c["field"], c["record_type"])
            show = _resident if duplicate else _shown
            cells = [self._record_name(c), field, show(c.get("kept_value")),
                     f"{c.get('kept_user') or ''} · {self._stamp_time(c.get('kept_stamp'))}",
                     show(c.get("lost_value")),
                     f"{c.get('lost_user') or ''} · {self._stamp_time(c.get('lost_stamp'))}"]
            for column, text in enumerate(cells):
                self.conflicts.setItem(n, column, QTableWidgetItem(text))
        if rows:
            self.conflicts.selectRow(0)
        self._offer_resolutions()

    def _offer_resolutions(self) -> None:
        """A duplicate resident is merged or kept as two people; any other conflict keeps or takes a value."""
        row = self.conflicts.currentRow()
        chosen = self.conflict_rows[row] if 0 <= row < len(self.conflict_rows) else None
        duplicate = chosen is not None and chosen.get("kind") == DUPLICATE
        self.keep_button.setText(translate("TownshipDesk", "Two people after all: keep both") if duplicate
                                 else translate("TownshipDesk", "Keep the value kept"))
        self.keep_button.setEnabled(chosen is not None)
        self.take_button.setEnabled(chosen is not None and not duplicate)
        self.merge_button.setEnabled(duplicate)

    @staticmethod
    def _stamp_time(stamp: str | None) -> str:
        """When a change was made: its stamp's hybrid clock carries the wall-clock time."""
        if not stamp:
            return ""
        try:
            return local_minute(clock.wall_ms(clock.stamp_hlc(stamp)))
        except ValueError:
            return ""

    def resolve(self, take: str) -> None:
        row = self.conflicts.currentRow()
        if not 0 <= row < len(self.conflict_rows):
            return
        conflict_id = self.conflict_rows[row]["id"]
        self.runner.run(lambda: self.desk.resolve(conflict_id, take), lambda _: self.refresh_station(),
                        self._failed)

    # -- laptops ---------------------------------------------------------------------------------
    def _laptops_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        self.laptops = _table(tab, "desk_laptops", [
            translate("TownshipDesk", "Worker"), translate("TownshipDesk", "Laptop"),
            translate("TownshipDesk", "Grids"), translate("TownshipDesk", "Last sent"),
            translate("TownshipDesk", "Changes received"), translate("TownshipDesk", "State")])
        layout.addWidget(self.laptops, 1)
        note = QLabel(translate("TownshipDesk", "What is pending or set aside on a laptop shows here only after "
                                                "it syncs; a laptop not heard from for 3 days is marked."), tab)
        note.setWordWrap(True)
        layout.addWidget(note)
        return tab

    def _show_laptops(self, rows: list[Laptop]) -> None:
        self.laptop_rows = rows
        self.names = self.names or {g["code"]: g["name"] for g in self.ledger.hierarchy()}
        self.laptops.setRowCount(len(rows))
        for n, laptop in enumerate(rows):
            days = laptop.days_unseen
            if laptop.revoked:
                state = translate("TownshipDesk", "revoked")
            elif laptop.last_push_ms is None:
                state = translate("TownshipDesk", "never sent anything")
            elif laptop.stale:
                state = translate("TownshipDesk", "not seen for %1 days").replace("%1", str(int(days or 0)))
            else:
                state = translate("TownshipDesk", "up to date")
            cells = [laptop.user, laptop.name, "、".join(self.names.get(g, g) for g in laptop.grids),
                     local_minute(laptop.last_push_ms) if laptop.last_push_ms else "", str(laptop.acked), state]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if laptop.stale:
                    item.setBackground(QColor(lights.TINT["red"]))
                self.laptops.setItem(n, column, item)

    # -- refreshing --------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.refresh_inbox()
        self.refresh_station()

    def refresh_station(self) -> None:
        """Conflicts and laptops from the station, on a worker thread."""
        self.message.setText(translate("TownshipDesk", "Asking the station…"))
        self.runner.run(lambda: (self.desk.conflicts(), self.desk.laptops()), self._show_station, self._failed)

    def _show_station(self, result) -> None:
        conflicts, laptops = result
        self._show_conflicts(conflicts)
        self._show_laptops(laptops)
        self.message.setText(translate("TownshipDesk", "%1 conflicts to review, %2 laptops")
                             .replace("%1", str(len(conflicts))).replace("%2", str(len(laptops))))

    def _failed(self, exc) -> None:
        detail = exc.message() if hasattr(exc, "message") and callable(exc.message) else str(exc)
        self.message.setText(translate("TownshipDesk", "The station cannot be reached: %1").replace("%1", detail))
