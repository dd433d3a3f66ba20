"""The station's bearer token and the device secret: in the OS keyring when there is one, else
0600 files in the data folder.

Never in the meta table: a copied data file must not carry a working login.
"""
from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

import keyring
import keyring.errors
from keyring.backends import chainer, fail

log = logging.getLogger(__name__)
SERVICE = "Gridbook"
TOKEN_FILE = "token"
SECRET_NAME = "device_secret"     # binds the device id to this folder at the station (sync.protocol)


def _usable_keyring():
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


class TokenStore:
    """Keeps one secret of one device (its token, or with `name` another one such as its device
    secret); `device_id` names the keyring entry so data folders never collide."""

    def __init__(self, folder: Path, device_id: str, name: str = TOKEN_FILE):
        self.file = Path(folder) / name
        self.device_id = device_id if name == TOKEN_FILE else f"{device_id}/{name}"

    def save(self, token: str) -> str:
        """Store the token; return where it went: "keyring" or "file"."""
        backend = _usable_keyring()
        if backend is not None:
            try:
                backend.set_password(SERVICE, self.device_id, token)
                self.file.unlink(missing_ok=True)
                return "keyring"
            except keyring.errors.KeyringError as exc:     # locked or refused: fall back, and say so
                log.warning("keyring refused the token (%s); keeping it in %s", exc, self.file)
        log.warning("no usable OS keyring; the sync token is kept in %s (mode 0600)", self.file)
        temp = self.file.with_name(self.file.name + ".part")
        temp.unlink(missing_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(token)
        temp.replace(self.file)
        return "file"

    def load(self) -> str | None:
        backend = _usable_keyring()
        if backend is not None:
            try:
                token = backend.get_password(SERVICE, self.device_id)
                if token:
                    return token
            except keyring.errors.KeyringError as exc:
                log.warning("keyring unreadable (%s)", exc)
        try:
            return self.file.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def clear(self) -> None:
        backend = _usable_keyring()
        if backend is not None:
            with contextlib.suppress(keyring.errors.KeyringError):      # nothing stored there
                backend.delete_password(SERVICE, self.device_id)
        self.file.unlink(missing_ok=True)
