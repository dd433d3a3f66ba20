"""gridbook: parse arguments, resolve the data folder, open the store, start Qt."""
from __future__ import annotations

import argparse
import os
import sys

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
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not has_display():
        print(NO_DISPLAY)
        return 0
    from PySide6.QtWidgets import QApplication, QMainWindow

    from .store import open_store

    store = open_store(args.data)
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("网格台账 Gridbook")
    window.statusBar().showMessage(str(store.path))
    window.resize(1100, 720)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
