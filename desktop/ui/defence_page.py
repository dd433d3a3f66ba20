"""The ten-household joint defence page (十户联防): the grid's groups with their leader and members, coverage,
watch and drill records, an alert that becomes a case, and the printable contact sheet."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.services.defence import Defence
from sync import records

from .i18n import translate, value_label
from .printing import html_to_pdf
from .record_dialog import RecordDialog
from .visits_page import fill, table


class GroupDialog(RecordDialog):
    """A new group, or a group's name, leader and members: the grid's households to tick."""

    def __init__(self, service: Defence, grid_code: str, group: dict | None = None, parent=None):
        super().__init__(translate("DefencePage", "Ten-household group"), parent)
        self.service, self.grid_code, self.group = service, grid_code, group or {}
        self.setObjectName("group_dialog")
        self.name = QLineEdit(self.group.get("name", ""), self)
        self.name.setObjectName("name")
        self.leader = QLineEdit(self.group.get("leader_name", ""), self)
        self.leader.setObjectName("leader")
        self.phone = QLineEdit(self.group.get("phone") or "", self)
        self.phone.setObjectName("phone")
        self.households = QListWidget(self)
        self.households.setObjectName("households")
        members = set(self.group.get("household_ids") or [])
        for home in service.households(grid_code):
            item = QListWidgetItem(f"{home['head_name']} · {home['address']}", self.households)
            item.setData(Qt.ItemDataRole.UserRole, home["id"])
            item.setCheckState(Qt.CheckState.Checked if home["id"] in members else Qt.CheckState.Unchecked)
        for label, widget in ((translate("DefencePage", "Name"), self.name),
                              (translate("DefencePage", "Leader"), self.leader),
                              (translate("DefencePage", "Leader's phone"), self.phone),
                              (translate("DefencePage", "Member households"), self.households)):
            self.form.addRow(label, widget)
        self.finish_form()

    def chosen(self) -> list[str]:
        items = [self.households.item(i) for i in range(self.households.count())]
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]

    def write(self) -> str:
        values = {"name": self.name.text().strip(), "leader_name": self.leader.text().strip(),
                  "phone": self.phone.text().strip() or None, "household_ids": self.chosen()}
        values.update({"id": self.group["id"]} if self.group.get("id") else {"grid_code": self.grid_code})
        return self.service.save_group(values)


class ActivityDialog(RecordDialog):
    """A watch or drill of a group, or an alert (which becomes a case)."""

    def __init__(self, service: Defence, group: dict, alert: bool = False, parent=None):
        title = translate("DefencePage", "Alert for %1") if alert else translate("DefencePage", "Record for %1")
        super().__init__(title.replace("%1", group["name"]), parent)
        self.service, self.group, self.alert = service, group, alert
        self.case_id: str | None = None
        self.setObjectName("activity_dialog")
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        for value in (records.ALERT_TYPES if alert else ("watch", "drill")):
            self.kind.addItem(value_label(value), value)
        self.title = QLineEdit(self)
        self.title.setObjectName("title")
        self.participants = QLineEdit(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("notes")
        self.form.addRow(translate("DefencePage", "Kind"), self.kind)
        if alert:
            self.form.addRow(translate("DefencePage", "Title of the case"), self.title)
        else:
            self.form.addRow(translate("DefencePage", "Participants"), self.participants)
        self.form.addRow(translate("DefencePage", "Notes"), self.notes)
        self.finish_form()

    def write(self) -> str:
        notes = self.notes.toPlainText().strip() or None
        if self.alert:
            activity, self.case_id = self.service.alert(self.group["id"], self.kind.currentData(),
                                                        self.title.text().strip(), notes)
            return activity
        return self.service.record(self.group["id"], self.kind.currentData(),
                                   self.participants.text().strip() or None, notes)


class DefencePage(QWidget):
    def __init__(self, ledger, runner=None, parent=None):
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.service = Defence(ledger.store)
        self.grid: str | None = None
        self.groups: list[dict] = []
        self.setObjectName("page_defence")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.coverage = QLabel(self)
        self.coverage.setObjectName("coverage")
        bar.addWidget(self.coverage)
        self.buttons = {}
        for name, text, slot in (("new", translate("DefencePage", "New group…"), self.new_group),
                                 ("edit", translate("DefencePage", "Members…"), self.edit_group),
                                 ("record", translate("DefencePage", "Watch or drill…"), self.record),
                                 ("alert", translate("DefencePage", "Alert…"), self.raise_alert),
                                 ("print", translate("DefencePage", "Print contact sheet…"), self.ask_print)):
            button = QPushButton(text, self)
            button.setObjectName(f"defence_{name}")
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
        self.message = QLabel(self)
        bar.addWidget(self.message)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = table([translate("DefencePage", "Group"), translate("DefencePage", "Leader"),
                            translate("DefencePage", "Leader's phone"), translate("DefencePage", "Households")], self)
        self.table.setObjectName("group_table")
        self.table.itemSelectionChanged.connect(self.show_group)
        self.members = table([translate("DefencePage", "Head"), translate("DefencePage", "Address"),
                              translate("DefencePage", "Phone")], self)
        self.members.setObjectName("group_members")
        self.activities = table([translate("DefencePage", "When"), translate("DefencePage", "Kind"),
                                 translate("DefencePage", "Notes"), translate("DefencePage", "Case")], self)
        self.activities.setObjectName("group_activities")
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(self.members)
        lower.addWidget(self.activities)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        layout.addWidget(splitter, 1)

    def grid_code(self) -> str | None:
        """The grid a new group belongs to: the chosen one, else this laptop's first."""
        if self.grid and "-" in self.grid:
            return self.grid
        return next((g["code"] for g in self.ledger.hierarchy() if g["level"] == "grid"
                     and (not self.grid or g["code"].startswith(self.grid))), None)

    def set_grid(self, grid: str | None) -> None:
        self.grid = grid
        self.refresh()

    def refresh(self) -> None:
        self.groups = self.service.groups(self.grid)
        fill(self.table, [[g["name"], g["leader_name"], g.get("phone") or "", str(len(g["household_ids"]))]
                          for g in self.groups])
        rows = self.service.coverage(self.grid)
        households, covered = sum(r["households"] for r in rows), sum(r["covered"] for r in rows)
        share = f"{covered / households * 100:.1f}%" if households else "—"
        self.coverage.setText(translate("DefencePage", "%1 groups · %2 of %3 households · coverage %4")
                              .replace("%1", str(len(self.groups))).replace("%2", str(covered))
                              .replace("%3", str(households)).replace("%4", share))
        self.show_group()

    def selected(self) -> dict | None:
        row = self.table.currentRow()
        return self.groups[row] if 0 <= row < len(self.groups) else None

    def show_group(self) -> None:
        group = self.selected()
        fill(self.members, [[h["head_name"], h["address"], h.get("phone") or ""]
                            for h in (self.service.members(group["id"]) if group else [])])
        fill(self.activities, [[str(a["at"])[:16].replace("T", " "),
                                value_label(a["alert_type"] if a["activity"] == "alert" else a["activity"]),
                                a.get("notes") or "", (a.get("case") or {}).get("title", "")]
                               for a in (self.service.activities(group["id"]) if group else [])])

    def _open(self, dialog) -> None:
        dialog.finished.connect(lambda *_: self.refresh() if dialog.saved else None)
        dialog.open()

    def _need_group(self) -> dict | None:
        group = self.selected()
        if group is None:
            self.message.setText(translate("DefencePage", "Choose a group in the list first."))
        return group

    def new_group(self) -> None:
        grid = self.grid_code()
        if grid:
            self._open(GroupDialog(self.service, grid, None, self))

    def edit_group(self) -> None:
        group = self._need_group()
        if group:
            self._open(GroupDialog(self.service, group["grid_code"], group, self))

    def record(self) -> None:
        group = self._need_group()
        if group:
            self._open(ActivityDialog(self.service, group, False, self))

    def raise_alert(self) -> None:
        group = self._need_group()
        if group:
            self._open(ActivityDialog(self.service, group, True, self))

    def ask_print(self) -> None:
        if not self.groups:
            return
        path, _ = QFileDialog.getSaveFileName(self, translate("DefencePage", "Print contact sheet"),
                                              "十户联防联系表.pdf", "*.pdf")
        if path:
            self.print_to(path)

    def print_to(self, path: str | Path) -> Path:
        """The contact sheet of the selected group, or of every group shown, as PDF."""
        chosen = self.selected()
        ids = [chosen["id"]] if chosen else [g["id"] for g in self.groups]
        html_to_pdf(self.service.contact_sheet_html(ids), path)
        return Path(path)
