"""The sync status bar: online or offline, pending and set-aside changes, last sync, 同步 button."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from .i18n import translate
from .local_time import local_minute
from .set_aside import SetAsideDialog
from .sync_controller import SyncController

__all__ = ["SetAsideDialog", "SyncStatusBar"]


class SyncStatusBar(QWidget):
    def __init__(self, controller: SyncController, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("sync_status")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.online_label = QLabel(self)
        self.online_label.setObjectName("online")
        self.pending_label = QLabel(self)
        self.pending_label.setObjectName("pending")
        self.set_aside_button = QPushButton(self)
        self.set_aside_button.setObjectName("set_aside")
        self.set_aside_button.setFlat(True)
        self.set_aside_button.clicked.connect(self.show_set_aside)
        self.last_label = QLabel(self)
        self.last_label.setObjectName("last_sync")
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(translate("SyncStatusBar", "Cancel"), self)
        self.cancel_button.clicked.connect(controller.cancel)
        self.sync_button = QPushButton(translate("SyncStatusBar", "Sync"), self)
        self.sync_button.setObjectName("sync")
        self.sync_button.clicked.connect(controller.sync_now)
        for widget in (self.online_label, self.pending_label, self.set_aside_button, self.last_label,
                       self.progress, self.cancel_button, self.sync_button):
            layout.addWidget(widget)
        controller.changed.connect(self.update_view)
        controller.progress.connect(self.show_progress)
        controller.finished.connect(self.on_finished)
        self.update_view()

    def update_view(self) -> None:
        c = self.controller
        if not c.logged_in:
            text, colour = translate("SyncStatusBar", "Offline · not logged in"), "#7f8c8d"
        elif c.syncing:
            text, colour = translate("SyncStatusBar", "Syncing…"), "#2471a3"
        elif c.online:
            text, colour = translate("SyncStatusBar", "Online"), "#1e8449"
        else:
            text, colour = translate("SyncStatusBar", "Offline"), "#c0392b"
        self.online_label.setText(f"● {text}")
        self.online_label.setStyleSheet(f"color: {colour};")
        self.pending_label.setText(translate("SyncStatusBar", "Pending: %1").replace("%1", str(c.pending)))
        self.set_aside_button.setText(translate("SyncStatusBar", "Set aside: %1").replace("%1", str(c.set_aside)))
        self.set_aside_button.setEnabled(c.set_aside > 0)
        last = local_minute(c.last_sync) if c.last_sync else translate("SyncStatusBar", "never")
        self.last_label.setText(translate("SyncStatusBar", "Last sync: %1").replace("%1", last))
        self.last_label.setToolTip(c.last_error or "")
        self.progress.setVisible(c.syncing)
        self.cancel_button.setVisible(c.syncing)
        self.sync_button.setEnabled(c.logged_in and not c.syncing)

    def show_progress(self, phase: str, done: int, total: int) -> None:
        label = translate("SyncStatusBar", "Sending") if phase == "push" else translate("SyncStatusBar", "Receiving")
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:
            self.progress.setRange(0, 0)               # busy indicator: the total is not known
        self.progress.setFormat(f"{label} {done}")

    def on_finished(self, result, error) -> None:
        self.update_view()
        window = self.window()
        bar = window.statusBar() if hasattr(window, "statusBar") else None
        if bar is None:
            return
        if error:
            bar.showMessage(error, 15_000)
        elif result is not None:
            # conflicts: concurrent edits the station recorded for a township account to review
            bar.showMessage(translate("SyncStatusBar", "Synced: %1 sent, %2 received, %3 set aside, "
                                                       "%4 conflicts for the township to review")
                            .replace("%1", str(result.pushed)).replace("%2", str(result.pulled))
                            .replace("%3", str(result.set_aside)).replace("%4", str(result.conflicts)), 15_000)

    def show_set_aside(self) -> None:
        SetAsideDialog(self.controller.ledger, self, on_changed=self.controller.refresh_counts).open()
