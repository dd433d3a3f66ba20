"""Where data, logs and settings live: platformdirs, overridable by --data or GRIDBOOK_DATA."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Gridbook"
DATA_FILE = "gridbook.sqlite3"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data folder: the explicit override, else GRIDBOOK_DATA, else the user data dir."""
    chosen = override or os.environ.get("GRIDBOOK_DATA")
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_file(folder: Path) -> Path:
    return folder / DATA_FILE


def log_dir(folder: Path | None = None) -> Path:
    """Logs beside a portable/overridden data folder, else in the platform's log dir."""
    path = folder / "logs" if folder else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir(folder: Path) -> Path:
    path = folder / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path
