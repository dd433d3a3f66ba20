"""Raw DB-API connections to a data folder's encrypted files (data file, backups), keyed as the store keys them."""
from __future__ import annotations

from pathlib import Path

from desktop import paths
from desktop.store import engine, unlock


def connect(path: Path, folder: Path | None = None):
    """A sqlcipher3 connection to `path`, a file of the data folder `folder` (default: the file's own folder)."""
    folder = Path(folder or Path(path).parent)
    return engine.connect(path, unlock.unlock(folder, paths.data_file(folder)))
