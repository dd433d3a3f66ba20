"""The recovery passphrase (恢复口令): set at the first run (or when an older plain ledger is encrypted),
asked for when this computer's credential store has no key for the ledger.

The opening itself (argon2id, and encrypting an old ledger) runs off the GUI thread
through `opener(passphrase) -> Store`, given by the caller: the UI never opens files.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from .i18n import translate
from .tasks import TaskRunner

CREATE, ENCRYPT, UNLOCK = "create", "encrypt", "unlock"


class PassphraseDialog(QDialog):
    """`mode`: CREATE (a new ledger), ENCRYPT (an older plain one) or UNLOCK; `store` is set once it opened."""

    def __init__(self, opener: Callable[[str], object], mode: str, min_length: int = 8,
                 runner: TaskRunner | None = None, parent=None):
        super().__init__(parent)
        self.opener, self.mode, self.min_length = opener, mode, min_length
        self.runner = runner or TaskRunner(self)
        self.store = None
        self.setObjectName("passphrase_dialog")
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.warning = QLabel(self)
        self.warning.setObjectName("passphrase_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b03a2e; font-weight: bold;")
        self.warning.setVisible(mode != UNLOCK)
        layout.addWidget(self.warning)
        form = QFormLayout()
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("passphrase")
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("passphrase_again")
        for field in (self.passphrase, self.confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.returnPressed.connect(self.submit)
        self.labels = [QLabel(self), QLabel(self)]
        form.addRow(self.labels[0], self.passphrase)
        if mode != UNLOCK:
            form.addRow(self.labels[1], self.confirm)
        else:
            self.confirm.hide()
            self.labels[1].hide()
        layout.addLayout(form)
        self.reveal = QCheckBox(self)
        self.reveal.setObjectName("show_passphrase")
        self.reveal.toggled.connect(self._reveal)
        layout.addWidget(self.reveal)
        self.message = QLabel(self)
        self.message.setObjectName("passphrase_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addStretch()
        buttons = QHBoxLayout()
        self.quit_button = QPushButton(self)
        self.quit_button.setObjectName("passphrase_quit")
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        self.ok_button = QPushButton(self)
        self.ok_button.setObjectName("passphrase_ok")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        buttons.addWidget(self.quit_button)
        buttons.addStretch()
        buttons.addWidget(self.ok_button)
        layout.addLayout(buttons)
        self.retranslate()
        self.resize(540, 300)

    def retranslate(self) -> None:
        if self.mode == UNLOCK:
            self.setWindowTitle(translate("PassphraseDialog", "Enter the recovery passphrase"))
            self.intro.setText(translate(
                "PassphraseDialog", "Gridbook's ledger on this computer is encrypted, and this computer's credential "
                "store holds no key for it: perhaps you signed in with another Windows account, or the computer was "
                "restored or replaced. Enter the recovery passphrase that was set when Gridbook was first used."))
            self.ok_button.setText(translate("PassphraseDialog", "Open the ledger"))
        else:
            self.setWindowTitle(translate("PassphraseDialog", "Set a recovery passphrase"))
            intro = translate(
                "PassphraseDialog", "Gridbook keeps the households, residents, ID numbers and phone numbers of your "
                "grid encrypted on this computer: if the laptop is lost or stolen, nobody can read them. You do not "
                "type the key every day, Windows keeps it for your account. You need the recovery passphrase only "
                "to open the ledger under another Windows account or on a restored or new computer.")
            if self.mode == ENCRYPT:
                intro += "\n\n" + translate(
                    "PassphraseDialog", "The ledger already on this computer will be encrypted now: it is backed "
                    "up first, and every record is kept.")
            self.intro.setText(intro)
            self.ok_button.setText(translate("PassphraseDialog", "Set the passphrase and continue"))
        self.warning.setText(translate(
            "PassphraseDialog", "Write the passphrase down and keep it apart from the laptop. It cannot be "
            "recovered: if it is forgotten and this computer's key is lost, nobody, not even support, can open "
            "the ledger again. Records already synced stay at the township station."))
        self.labels[0].setText(translate("PassphraseDialog", "Recovery passphrase"))
        self.labels[1].setText(translate("PassphraseDialog", "Once more"))
        self.passphrase.setPlaceholderText(
            translate("PassphraseDialog", "At least %1 characters; Chinese characters are fine")
            .replace("%1", str(self.min_length)))
        self.reveal.setText(translate("PassphraseDialog", "Show what I type"))
        self.quit_button.setText(translate("PassphraseDialog", "Quit"))

    def _reveal(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirm.setEchoMode(mode)

    def _say(self, text: str, error: bool = True) -> None:
        self.message.setStyleSheet("color: #c0392b;" if error else "color: #2471a3;")
        self.message.setText(text)

    def submit(self) -> None:
        if not self.ok_button.isEnabled():
            return
        passphrase = self.passphrase.text()
        if self.mode != UNLOCK:
            if len(passphrase.strip()) < self.min_length:
                self._say(translate("PassphraseDialog", "The recovery passphrase needs at least %1 characters.")
                          .replace("%1", str(self.min_length)))
                return
            if self.confirm.text() != passphrase:
                self._say(translate("PassphraseDialog", "The two entries differ: type the same passphrase twice."))
                self.confirm.selectAll()
                self.confirm.setFocus()
                return
        elif not passphrase:
            self._say(translate("PassphraseDialog", "Enter the recovery passphrase."))
            return
        self.ok_button.setEnabled(False)
        self.quit_button.setEnabled(False)
        self._say(translate("PassphraseDialog", "Encrypting the ledger: this can take a minute for a large one…")
                  if self.mode == ENCRYPT else translate("PassphraseDialog", "Opening the ledger…"), error=False)
        self.runner.run(lambda: self.opener(passphrase), self._opened, self._failed)

    def _opened(self, store) -> None:
        self.store = store
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.ok_button.setEnabled(True)
        self.quit_button.setEnabled(True)
        self._say(exc.message() if hasattr(exc, "message") else
                  translate("PassphraseDialog", "The ledger could not be opened: %1").replace("%1", str(exc)))
        self.passphrase.selectAll()
        self.passphrase.setFocus()


def mode_for(code: str, holds_data: bool) -> str | None:
    """Which dialog a KeyUnavailable code asks for; None: no passphrase can help (say why and stop)."""
    if code in ("store_locked", "store_wrong_passphrase"):     # wrong: GRIDBOOK_PASSPHRASE was set wrong
        return UNLOCK
    if code == "store_passphrase_needed":
        return ENCRYPT if holds_data else CREATE
    return None
