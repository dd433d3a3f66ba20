"""gridbook: parse arguments, resolve the data folder, start Qt, unlock and open the store."""
from __future__ import annotations

import argparse
import os
import sys

from . import paths

NO_DISPLAY = ("No display found (没有图形显示): run `xvfb-run -a make run` to see the window on a virtual screen, "
              "or `make screenshots` to render every page to docs/screenshots/.")


def has_display() -> bool:
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="gridbook", description="Gridbook 网格台账")
    parser.add_argument("--data", help="data folder (default: the user data folder, or GRIDBOOK_DATA)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="interface language (default zh_CN)")
    parser.add_argument("--demo", action="store_true", help="fill an empty data folder with a demo village")
    parser.add_argument("--selftest", nargs="?", const="", metavar="SCREENSHOT",
                        help="check this installation offscreen on a scratch folder; exit 0 if it works")
    return parser.parse_args(argv)


def make_sync_engine(store):
    """The sync engine, if this build has it; the workbench works offline without it."""
    try:
        from .syncing import SyncEngine
    except ImportError:
        return None
    return SyncEngine(store)


def make_demo(store) -> None:
    """The demo village, unless the folder syncs with a station (then say why not)."""
    from PySide6.QtWidgets import QMessageBox

    from .services.demo import DemoRefused, create_demo
    try:
        create_demo(store)
    except DemoRefused as exc:
        QMessageBox.information(None, "Gridbook", exc.message())


def open_encrypted_store(folder):
    """The store, unlocked by the keyring (or GRIDBOOK_PASSPHRASE), else by the passphrase dialog; None: quit."""
    from PySide6.QtWidgets import QMessageBox

    from .store import keys, open_store, unlock
    from .store.keys import KeyUnavailable
    from .ui.passphrase_dialog import PassphraseDialog, mode_for

    try:
        return open_store(folder)
    except KeyUnavailable as exc:
        mode = mode_for(exc.code, unlock.holds_data(paths.data_file(folder)))
        if mode is None:                 # a missing key file, a damaged ledger: say so, change nothing
            QMessageBox.critical(None, "网格台账 Gridbook", exc.message())
            return None
    dialog = PassphraseDialog(lambda passphrase: open_store(folder, passphrase=passphrase), mode,
                              keys.MIN_PASSPHRASE)
    return dialog.store if dialog.exec() else None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.selftest is not None:
        from .ui.selftest import run
        return run(args.selftest or None, args.lang or "zh_CN")
    if not has_display():
        print(NO_DISPLAY)
        return 0
    from .ui import crash
    crash.install(args.data)            # log file + friendly dialog instead of dying silently
    from PySide6.QtCore import QSettings, QTimer

    from sync import gc_tuning

    from .services import Ledger
    from .services.demo import is_empty
    from .ui.app import create_application
    from .ui.first_run import LoginDialog
    from .ui.main_window import SETTINGS_FILE, MainWindow, settings_for
    from .ui.single_instance import SingleInstance, already_open, bring_forward

    folder = paths.data_dir(args.data)
    saved_lang = QSettings(str(folder / SETTINGS_FILE), QSettings.Format.IniFormat).value("language")
    lang = args.lang or saved_lang or "zh_CN"
    app = create_application(sys.argv[:1], lang=lang)
    guard = SingleInstance(folder, app)      # one workbench per data folder
    if not guard.acquire():
        return already_open(guard)
    store = open_encrypted_store(folder)
    if store is None:
        guard.release()
        return 0
    ledger = Ledger(store)
    settings = settings_for(ledger)
    engine = make_sync_engine(store)
    if args.demo and is_empty(store):
        make_demo(store)
    if not settings.value("first_run_done") and not args.demo:
        dialog = LoginDialog(engine, offer_demo=is_empty(store), first_run=True)
        if dialog.exec() and dialog.demo.isChecked() and dialog.logged_in is None and is_empty(store):
            make_demo(store)
        settings.setValue("language", dialog.language)
        settings.setValue("first_run_done", True)
        settings.sync()
    window = MainWindow(ledger, engine)
    guard.activated.connect(lambda: bring_forward(window))
    window.show()
    # the window and its modules are what the process keeps; its ~50 ms collection waits for the event loop
    QTimer.singleShot(0, gc_tuning.settle)
    try:
        return app.exec()
    finally:
        guard.release()


if __name__ == "__main__":
    sys.exit(main())
