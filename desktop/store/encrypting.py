"""Encrypt a data folder an older build left in the clear: its backups, photos, token file, then the data file.

Runs at open, only while the data file is still plain SQLite. The data file goes last,
renamed over in one step: a crash anywhere before leaves it plain, and the next open
simply does the rest again (each step skips what is already sealed). No plain copy is
ever written: the backup taken first is exported straight into an encrypted file.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from .. import paths
from . import sealed
from .engine import backup_path
from .keys import DataKey
from .unlock import is_plain_sqlite

log = logging.getLogger(__name__)
PHOTOS = "photos"
TOKEN_FILE = "token"


def export_encrypted(source: Path, target: Path, key: DataKey) -> None:
    """SQLCipher's sqlcipher_export: every table, index, trigger and FTS5 table of a plain file into a keyed one."""
    target.unlink(missing_ok=True)
    conn = sqlcipher.connect(str(source), isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("ATTACH DATABASE ? AS sealed KEY ?", (str(target), key.database_key()))
        conn.execute("SELECT sqlcipher_export('sealed')")
        conn.execute("DETACH DATABASE sealed")
    finally:
        conn.close()


def _encrypt_in_place(path: Path, key: DataKey) -> None:
    temp = path.with_name(path.name + ".encrypting")
    export_encrypted(path, temp, key)
    for suffix in ("-wal", "-shm"):
        # the plain file's WAL was checkpointed into it; left beside the new file it would be replayed into it
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(temp, path)


def encrypt_backups(folder: Path, key: DataKey) -> int:
    done = 0
    for backup in sorted(paths.backup_dir(folder).glob("*.sqlite3")):
        if is_plain_sqlite(backup):
            _encrypt_in_place(backup, key)
            done += 1
    return done


def photo_purpose(sha256: str) -> str:
    return f"photo:{sha256}"


def encrypt_photos(folder: Path, key: DataKey) -> int:
    done = 0
    photos = folder / PHOTOS
    if photos.is_dir():
        for photo in sorted(photos.iterdir()):
            if photo.is_file() and photo.suffix != ".part" and not sealed.is_sealed(photo):
                sealed.write(photo, key, photo.read_bytes(), photo_purpose(photo.name))
                done += 1
    return done


def encrypt_token(folder: Path, key: DataKey) -> bool:
    token = folder / TOKEN_FILE
    if token.is_file() and not sealed.is_sealed(token):
        sealed.write(token, key, token.read_bytes(), "token")
        return True
    return False


def encrypt_folder(folder: Path, data_file: Path, key: DataKey) -> bool:
    """Encrypt what an older build left plain; True if the data file was plain (and now is not)."""
    data_file.with_name(data_file.name + ".encrypting").unlink(missing_ok=True)    # a crash mid-export
    if not is_plain_sqlite(data_file):
        return False
    backups = encrypt_backups(folder, key)
    target = backup_path(data_file, "before-encryption")
    export_encrypted(data_file, target, key)
    photos, token = encrypt_photos(folder, key), encrypt_token(folder, key)
    _encrypt_in_place(data_file, key)
    log.info("data folder encrypted: the data file, a backup of it (%s), %d older backups, %d photos%s",
             target.name, backups, photos, ", the token file" if token else "")
    return True
