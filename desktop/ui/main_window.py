"""The main window: hierarchy tree, one page per record type, dashboard, menus, sync status bar."""
from __future__ import annotations

import importlib

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QSplitter, QTabWidget

from desktop.services import Ledger
from desktop.services.township import is_reviewer

from .dashboard_page import DashboardPage
from .duty_pages import make_duty_pages
from .hierarchy import HierarchyTree
from .i18n import translate
from .pages import RecordPage, make_page
from .report_page import ReportPage
from .sync_controller import SyncController
from .sync_status import SetAsideDialog, SyncStatusBar
from .tasks import TaskRunner
from .township_desk import TownshipDesk

PAGE_TYPES = ("household", "person", "building", "organisation", "incident", "patrol")
SETTINGS_FILE = "gridbook.ini"
FRAME_GUESS = 32                # a title bar, before the window system has framed the window


def settings_for(ledger: Ledger) -> QSettings:
    """Window settings in an ini file beside the data file: tests and portable installs stay apart."""
    return QSettings(str(ledger.store.path.parent / SETTINGS_FILE), QSettings.Format.IniFormat)


def page_titles() -> dict[str, str]:
    return {"dashboard": translate("MainWindow", "Dashboard"),
            "household": translate("MainWindow", "Households"),
            "person": translate("MainWindow", "Residents"),
            "building": translate("MainWindow", "Buildings"),
            "organisation": translate("MainWindow", "Organisations"),
            "incident": translate("MainWindow", "Incidents"),
            "patrol": translate("MainWindow", "Patrols")}


class MainWindow(QMainWindow):
    def __init__(self, ledger: Ledger, sync_engine=None, parent=None, poll_ms: int = 15_000):
        super().__init__(parent)
        self.ledger, self.engine = ledger, sync_engine
        self.settings = settings_for(ledger)
        self._fitted = False
        self.runner = TaskRunner(self)
        self.setObjectName("main_window")
        self.setWindowTitle(translate("MainWindow", "Gridbook · grid ledger"))
        self.tree = HierarchyTree(ledger, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("pages")
        titles = page_titles()
        self.dashboard = DashboardPage(ledger, self.runner, self)
        self.tabs.addTab(self.dashboard, titles["dashboard"])
        self.pages: dict[str, RecordPage] = {}
        for record_type in PAGE_TYPES:
            self.pages[record_type] = make_page(ledger, record_type, self.runner, self)
            self.tabs.addTab(self.pages[record_type], titles[record_type])
        if sync_engine is not None:
            self.pages["incident"].fetch_photo = sync_engine.fetch_photo
        self.duty_pages = make_duty_pages(self)
        self.reports = ReportPage(ledger, self.runner, self)
        self.tabs.addTab(self.reports, translate("MainWindow", "Reports"))
        self.desk: TownshipDesk | None = None
        self.offer_desk()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 980])
        self.setCentralWidget(self.splitter)
        self.sync = SyncController(ledger, sync_engine, self.runner, self, poll_ms=poll_ms)
        self.sync_bar = SyncStatusBar(self.sync, self)
        self.statusBar().addPermanentWidget(self.sync_bar)
        self._build_menus()
        self.tree.grid_chosen.connect(self.set_grid)
        self.dashboard.open_list.connect(self.open_list)
        self.tabs.currentChanged.connect(self._on_page_changed)
        self.sync.finished.connect(lambda result, _error: self.refresh_after_sync(result))
        self.restore_layout()
        self.dashboard.refresh()
        self.sync.start()
        self._watch_network()

    # -- menus and shortcuts ----------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(translate("MainWindow", "&File"))
        self.import_action = self._action(file_menu, translate("MainWindow", "Import ledger…"), self.open_import)
        self.import_action.setEnabled(self._dialog_class("import_dialog", "ImportDialog") is not None)
        self.export_action = self._action(file_menu, translate("MainWindow", "Export…"), self.open_export)
        self.export_action.setEnabled(self._dialog_class("export_dialog", "ExportDialog") is not None)
        file_menu.addSeparator()
        self._action(file_menu, translate("MainWindow", "Quit"), self.close, QKeySequence.StandardKey.Quit)
        records_menu = self.menuBar().addMenu(translate("MainWindow", "&Records"))
        self.new_action = self._action(records_menu, translate("MainWindow", "New record"), self.new_record,
                                       QKeySequence.StandardKey.New)
        self.find_action = self._action(records_menu, translate("MainWindow", "Search"), self.focus_search,
                                        QKeySequence.StandardKey.Find)
        self._action(records_menu, translate("MainWindow", "Refresh"), self.refresh,
                     QKeySequence.StandardKey.Refresh)
        sync_menu = self.menuBar().addMenu(translate("MainWindow", "&Sync"))
        self._action(sync_menu, translate("MainWindow", "Sync now"), self.sync.sync_now)
        self.login_action = self._action(sync_menu, translate("MainWindow", "Log in to the township station…"),
                                         self.open_login)
        self.login_action.setEnabled(self.engine is not None)
        self.switch_action = self._action(sync_menu, translate("MainWindow", "Switch account…"), self.switch_account)
        self.logout_action = self._action(sync_menu, translate("MainWindow", "Log out"), self.log_out)
        for action in (self.switch_action, self.logout_action):
            action.setEnabled(self.engine is not None)
        self._action(sync_menu, translate("MainWindow", "Changes set aside…"),
                     lambda: SetAsideDialog(self.ledger, self, on_changed=self.sync.refresh_counts).open())
        help_menu = self.menuBar().addMenu(translate("MainWindow", "&Help"))
        self._action(help_menu, translate("MainWindow", "About Gridbook"), self.about)

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda *_: slot())
        menu.addAction(action)
        return action

    @staticmethod
    def _dialog_class(module: str, name: str):
        """Another engineer's dialog, if this build has it."""
        try:
            return getattr(importlib.import_module(f"desktop.ui.{module}"), name)
        except (ImportError, AttributeError):
            return None

    def open_import(self):
        dialog_class = self._dialog_class("import_dialog", "ImportDialog")
        if dialog_class is None:
            return None
        dialog = dialog_class(self.ledger, self)
        self._start_from_selected_grid(dialog)
        dialog.finished.connect(lambda *_: self.refresh())
        dialog.open()
        return dialog

    def open_export(self):
        dialog_class = self._dialog_class("export_dialog", "ExportDialog")
        if dialog_class is None:
            return None
        dialog = dialog_class(self.ledger, self)
        self._start_from_selected_grid(dialog)
        dialog.open()
        return dialog

    def _start_from_selected_grid(self, dialog) -> None:
        """Import and export start from the grid selected in the tree."""
        box, code = getattr(dialog, "grid_combo", None), self.tree.current_code()
        if box is not None and code and box.findData(code) >= 0:
            box.setCurrentIndex(box.findData(code))

    def open_login(self) -> None:
        from .first_run import LoginDialog
        dialog = LoginDialog(self.engine, self.runner, self)
        dialog.accepted.connect(lambda: (self.sync.refresh_counts(), self.sync.poll(), self.offer_desk()))
        dialog.open()

    def log_out(self) -> None:
        """Forget this device's token; the records stay. The township's desk goes with the account."""
        if self.engine is None:
            return
        self.engine.logout()
        if self.desk is not None:
            self.tabs.removeTab(self.tabs.indexOf(self.desk))
            self.desk.deleteLater()
            self.desk = None
        self.sync.refresh_counts()

    def switch_account(self) -> None:
        self.log_out()
        self.open_login()

    def offer_desk(self) -> None:
        """A township or county account gets its desk as the first page."""
        if self.desk is None and self.engine is not None and is_reviewer(self.ledger.store):
            self.desk = TownshipDesk(self.ledger, self.engine, self.runner, self)
            self.tabs.insertTab(0, self.desk, translate("MainWindow", "Township desk"))
            self.tabs.setCurrentIndex(0)
            self.desk.refresh()

    def about(self) -> None:
        status = self.ledger.status()
        lines = [translate("MainWindow", "Gridbook: the offline-first ledger of a grid worker."),
                 translate("MainWindow", "Data file: %1").replace("%1", status.data_file),
                 translate("MainWindow", "Device: %1").replace("%1", status.device_id)]
        QMessageBox.about(self, translate("MainWindow", "About Gridbook"), "\n".join(lines))

    # -- pages ------------------------------------------------------------------------
    def current_page(self) -> RecordPage | None:
        page = self.tabs.currentWidget()
        return page if isinstance(page, RecordPage) else None

    def show_page(self, name: str) -> None:
        self.tabs.setCurrentWidget(self.dashboard if name == "dashboard" else self.pages[name])

    def open_list(self, page: str, criterion: dict) -> None:
        """A workbench card or bar clicked: its list, narrowed to what it counted."""
        if page == "sync":
            self.sync.sync_now()
        elif page == "set_aside":
            SetAsideDialog(self.ledger, self, on_changed=self.sync.refresh_counts).open()
        elif page == "incident":
            self.show_page("incident")
            self.pages["incident"].show_only(criterion.get("light"), criterion.get("status"))
        elif page in self.duty_pages:
            self.tabs.setCurrentWidget(self.duty_pages[page])
        elif page in self.pages:
            self.show_page(page)
            target = self.pages[page]
            if target.tag_filter is not None and "tag" in criterion:
                target.tag_filter.setCurrentIndex(max(0, target.tag_filter.findData(criterion["tag"])))

    def new_record(self) -> None:
        page = self.current_page() or self.pages["household"]
        self.tabs.setCurrentWidget(page)
        page.new_record()

    def focus_search(self) -> None:
        page = self.current_page()
        if page is None:
            page = self.pages["person"]
            self.tabs.setCurrentWidget(page)
        page.search.setFocus()
        page.search.selectAll()

    def set_grid(self, code) -> None:
        for page in self.pages.values():
            page.set_grid(code)
        for duty in self.duty_pages.values():
            duty.set_grid(code)
        self.dashboard.set_grid(code)

    def refresh(self) -> None:
        self.tree.reload()
        for page in self.pages.values():
            page.reload()
        for duty in self.duty_pages.values():
            duty.refresh()
        self.reports.reload()
        self.dashboard.refresh()
        self.sync.refresh_counts()

    def refresh_after_sync(self, result) -> None:
        if result is not None and result.pulled:
            self.refresh()

    def _on_page_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.dashboard:
            self.dashboard.refresh()

    # -- layout memory ----------------------------------------------------------------
    def restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.fit_screen()
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self.tabs.setCurrentIndex(int(self.settings.value("window/page", 0)))
        grid = self.settings.value("window/grid")
        if grid:
            self.tree.select_code(grid)

    def fit_screen(self) -> None:
        """Never larger than the screen (1366x768 at 125% leaves 1093x614): the status bar and 同步 stay visible.

        Before the first show the window system's frame is unknown: a title bar's worth is kept free."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        room, frame = screen.availableGeometry(), self.frameGeometry()
        extra_w = frame.width() - self.width()
        extra_h = frame.height() - self.height() if self.isVisible() else FRAME_GUESS
        width, height = min(self.width(), room.width() - extra_w), min(self.height(), room.height() - extra_h)
        if (width, height) != (self.width(), self.height()) or not room.contains(frame):
            self.resize(width, height)
            self.move(room.topLeft())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fitted:                 # the frame is known now
            self._fitted = True
            self.fit_screen()

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/page", self.tabs.currentIndex())
        self.settings.setValue("window/grid", self.tree.current_code() or "")
        self.settings.sync()

    def _watch_network(self) -> None:
        """Qt's network information is only a hint (it says "online" whenever a route exists)."""
        try:
            from PySide6.QtNetwork import QNetworkInformation
            if QNetworkInformation.loadDefaultBackend() and QNetworkInformation.instance():
                QNetworkInformation.instance().reachabilityChanged.connect(
                    lambda r: self.sync.network_hint(r == QNetworkInformation.Reachability.Online))
        except (ImportError, RuntimeError, AttributeError):
            pass

    def closeEvent(self, event) -> None:
        self.save_layout()
        self.sync.stop()
        self.runner.shutdown()
        super().closeEvent(event)
