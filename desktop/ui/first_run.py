"""First run: language, station address and login, or "work offline now, log in later"."""
from __future__ import annotations

import itertools

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .app import install_language
from .i18n import translate
from .tasks import TaskRunner


class LoginDialog(QDialog):
    """Station address, user and password; the login itself runs off the GUI thread."""

    def __init__(self, engine=None, runner: TaskRunner | None = None, parent=None, offer_demo: bool = False,
                 first_run: bool = False):
        super().__init__(parent)
        self.engine, self.runner = engine, runner or TaskRunner(self)
        self.first_run = first_run
        self.language = QApplication.instance().property("gridbook_language") or "zh_CN"
        self.logged_in = None
        self.setObjectName("login_dialog")
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.language_box = QComboBox(self)
        self.language_box.addItem("中文（简体）", "zh_CN")
        self.language_box.addItem("English", "en")
        self.language_box.setCurrentIndex(1 if self.language == "en" else 0)
        self.language_box.currentIndexChanged.connect(self._language_chosen)
        self.station = QLineEdit(self)
        self.station.setObjectName("station_url")
        self.station.setPlaceholderText("http://192.168.1.10:8470")
        if engine is not None and engine.station_url:
            self.station.setText(engine.station_url)
        self.user = QLineEdit(self)
        self.user.setObjectName("user")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # a township station with its own certificate authority: the worker is handed its file
        self.ca_bundle = QLineEdit(self)
        self.ca_bundle.setObjectName("ca_bundle")
        if engine is not None:
            self.ca_bundle.setText(engine.ca_bundle or "")
        self.ca_browse = QPushButton(self)
        self.ca_browse.setObjectName("ca_browse")
        self.ca_browse.setAutoDefault(False)
        self.ca_browse.clicked.connect(self._choose_ca_bundle)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(self.ca_browse)
        self.labels = [QLabel(self) for _ in range(5)]
        if first_run:
            form.addRow(self.labels[0], self.language_box)
        else:
            # not in the form: left as a loose child it sat at the dialog's corner, over the intro
            self.labels[0].hide()
            self.language_box.hide()
        for label, field in zip(self.labels, (self.language_box, self.station, self.user, self.password,
                                              self.ca_bundle), strict=True):
            label.setBuddy(field)
        form.addRow(self.labels[1], self.station)
        form.addRow(self.labels[2], self.user)
        form.addRow(self.labels[3], self.password)
        form.addRow(self.labels[4], ca_row)
        layout.addLayout(form)
        self.demo = QCheckBox(self)
        self.demo.setObjectName("demo")
        self.demo.setVisible(offer_demo)
        # a demo is for trying things out: ticked only while no station is named
        self.demo.setChecked(offer_demo and not self.station.text().strip())
        self.station.textEdited.connect(lambda text: self.demo.setChecked(False) if text.strip() else None)
        layout.addWidget(self.demo)
        self.message = QLabel(self)
        self.message.setObjectName("login_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.offline_button = QPushButton(self)
        self.offline_button.setObjectName("work_offline")
        self.offline_button.setAutoDefault(False)
        self.offline_button.clicked.connect(self.accept)
        self.login_button = QPushButton(self)
        self.login_button.setObjectName("login")
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.login)
        self.login_button.setEnabled(engine is not None)
        buttons.addWidget(self.offline_button)
        buttons.addStretch()
        buttons.addWidget(self.login_button)
        layout.addLayout(buttons)
        # Tab in reading order: top to bottom, left to right
        order = [self.language_box, self.station, self.user, self.password, self.ca_bundle, self.ca_browse,
                 self.demo, self.offline_button, self.login_button]
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)
        self.retranslate()
        self.resize(520, 320)

    @property
    def demo_folder(self) -> bool:
        return self.engine is not None and self.engine.store.is_demo

    def retranslate(self) -> None:
        if self.first_run:
            self.setWindowTitle(translate("LoginDialog", "Welcome to Gridbook"))
            self.offline_button.setText(translate("LoginDialog", "Work offline now, log in later"))
        else:
            self.setWindowTitle(translate("LoginDialog", "Log in to the township station"))
            self.offline_button.setText(translate("LoginDialog", "Cancel"))
        self.intro.setText(translate("LoginDialog", "Gridbook keeps everything on this computer and works without "
                                                    "a connection. Log in to your township station to sync, or work "
                                                    "offline now and log in later: records made before the login "
                                                    "sync after it."))
        texts = (translate("LoginDialog", "Language"), translate("LoginDialog", "Station address"),
                 translate("LoginDialog", "User"), translate("LoginDialog", "Password"),
                 translate("LoginDialog", "Certificate file"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.demo.setText(translate("LoginDialog", "Fill this empty ledger with a demo village to try things out"))
        self.login_button.setText(translate("LoginDialog", "Log in"))
        self.ca_bundle.setPlaceholderText(translate("LoginDialog", "Only if the township gave you one (.pem, .crt)"))
        self.ca_browse.setText(translate("LoginDialog", "Choose…"))
        if self.demo_folder:                # said before anything is typed
            from desktop.syncing.errors import DemoFolder
            self.message.setText(DemoFolder().message(self.language))

    def _choose_ca_bundle(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, translate("LoginDialog", "The township station's certificate file"), self.ca_bundle.text(),
            translate("LoginDialog", "Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.ca_bundle.setText(path)

    def _language_chosen(self) -> None:
        self.language = self.language_box.currentData()
        install_language(QApplication.instance(), self.language)
        self.retranslate()

    def login(self) -> None:
        url, user, password = self.station.text().strip(), self.user.text().strip(), self.password.text()
        if not (url and user and password):
            self.message.setText(translate("LoginDialog", "Fill in the station address, user and password."))
            return
        if self.demo.isVisible() and self.demo.isChecked():
            self.message.setText(translate("LoginDialog", "A demo village never leaves this computer: untick the "
                                                          "demo to log in, or work offline to try it."))
            return
        self.login_button.setEnabled(False)
        self.message.setStyleSheet("color: #2471a3;")
        self.message.setText(translate("LoginDialog", "Connecting…"))
        ca_bundle = self.ca_bundle.text().strip()
        self.runner.run(lambda: self.engine.login(url, user, password, ca_bundle=ca_bundle),
                        self._on_login, self._on_failed)

    def _on_login(self, answer: dict) -> None:
        self.logged_in = answer
        self.accept()

    def _on_failed(self, exc: Exception) -> None:
        self.login_button.setEnabled(True)
        self.message.setStyleSheet("color: #c0392b;")
        self.message.setText(exc.message() if hasattr(exc, "message") else str(exc))
