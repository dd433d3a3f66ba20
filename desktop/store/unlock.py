"""Find a data folder's key: this process's, the OS keyring's, or the recovery passphrase's (given or from the env).

A new folder gets a new random key, wrapped by the passphrase it must be given. A key
unwrapped by the passphrase is put into the keyring (where there is one), so the next
start asks nothing. Nothing here changes a file unless the key was found or created.
"""
from __future__ import annotations

import base64
import binascii
import logging
import os
from pathlib import Path

import keyring
import keyring.errors
from keyring.backends import chainer, fail

from . import keys
from .keys import DataKey, KeyUnavailable

log = logging.getLogger(__name__)
SERVICE = "Gridbook"


def usable_keyring():
    """The keyring backend if it can really store secrets, else None."""
    try:
        backend = keyring.get_keyring()
    except Exception:                      # a broken keyring configuration is no keyring
        return None
    if isinstance(backend, fail.Keyring) or type(backend).__module__.startswith("keyring.backends.null"):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    return backend


def _entry(key_id: str) -> str:
    return f"data-key:{key_id}"


def from_keyring(header: dict) -> DataKey | None:
    backend = usable_keyring()
    if backend is None:
        return None
    try:
        stored = backend.get_password(SERVICE, _entry(header["key_id"]))
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unreadable (%s)", exc)
        return None
    if not stored:
        return None
    try:
        key = DataKey(header["key_id"], base64.b64decode(stored, validate=True))
    except (binascii.Error, ValueError):
        return None
    return key if key.check_value() == header.get("check") else None      # not this folder's key


def to_keyring(key: DataKey) -> bool:
    """Keep the data key in the OS keyring; False where there is none (the passphrase is then asked each start)."""
    backend = usable_keyring()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, _entry(key.key_id), base64.b64encode(key.secret).decode())
        return True
    except keyring.errors.KeyringError as exc:
        log.warning("keyring refused the data key (%s); the passphrase will be asked at start", exc)
        return False


def passphrase_or_env(passphrase: str | None) -> str | None:
    return passphrase if passphrase is not None else os.environ.get(keys.PASSPHRASE_ENV) or None


def is_plain_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(16) == b"SQLite format 3\x00"
    except FileNotFoundError:
        return False


def holds_data(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def unlock(folder: Path, data_file: Path, passphrase: str | None = None) -> DataKey:
    """The folder's data key, creating it for a folder that has none; raises KeyUnavailable with the reason."""
    folder = Path(folder)
    header = keys.read_header(folder)
    if header is None:
        if holds_data(data_file) and not is_plain_sqlite(data_file):
            raise KeyUnavailable("store_key_file_missing", file=keys.KEY_FILE)
        try:
            return create(folder, passphrase_or_env(passphrase))
        except FileExistsError:              # another program made the key a moment ago: use that one
            return unlock(folder, data_file, passphrase)
    try:
        key = keys.opened(folder)
        if key.key_id == header["key_id"]:
            return key
    except KeyUnavailable:
        pass
    found = from_keyring(header)
    if found is None:
        given = passphrase_or_env(passphrase)
        if given is None:
            raise KeyUnavailable("store_locked")
        found = keys.unwrap(header, given)
        to_keyring(found)
    keys.remember(folder, found)
    return found


def create(folder: Path, passphrase: str | None) -> DataKey:
    """A new data key for the folder, wrapped by the passphrase (required: it is the only way back)."""
    if passphrase is None:
        raise KeyUnavailable("store_passphrase_needed", min=keys.MIN_PASSPHRASE)
    keys.check_new_passphrase(passphrase)
    key = keys.new_key()
    keys.write_header(folder, keys.wrap(key, passphrase), exclusive=True)
    to_keyring(key)
    keys.remember(folder, key)
    return key


def change_passphrase(folder: Path, key: DataKey, new_passphrase: str) -> None:
    """Wrap the same data key under a new passphrase: the data file and sealed files stay as they are."""
    keys.check_new_passphrase(new_passphrase)
    keys.write_header(folder, keys.wrap(key, new_passphrase))
