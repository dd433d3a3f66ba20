"""The station's bearer token and the device secret: in the OS keyring when there is one, else sealed
0600 files in the data folder.

Never in the meta table: a copied data file must not carry a working login. The file
is sealed with the folder's file key (desktop/store/sealed.py), so a stolen laptop's
`token` file is no login either.
"""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import keyring.errors

from desktop.store import keys, sealed
from desktop.store.encrypting import TOKEN_FILE
from desktop.store.unlock import SERVICE, usable_keyring

log = logging.getLogger(__name__)
PURPOSE = "token"
SECRET_NAME = "device_secret"     # binds the device id to this folder at the station (sync.protocol)


class TokenStore:
    """Keeps one secret of one device (its token, or with `name` another one such as its device
    secret); `device_id` names the keyring entry so data folders never collide."""

    def __init__(self, folder: Path, device_id: str, name: str = TOKEN_FILE):
        self.file = Path(folder) / name
        self.device_id = device_id if name == TOKEN_FILE else f"{device_id}/{name}"
        self.folder = Path(folder)
        self.purpose = PURPOSE if name == TOKEN_FILE else name

    def save(self, token: str) -> str:
        """Store the token; return where it went: "keyring" or "file"."""
        backend = usable_keyring()
        if backend is not None:
            try:
                backend.set_password(SERVICE, self.device_id, token)
                self.file.unlink(missing_ok=True)
                return "keyring"
            except keyring.errors.KeyringError as exc:     # locked or refused: fall back, and say so
                log.warning("keyring refused the token (%s); keeping it in %s", exc, self.file)
        log.warning("no usable OS keyring; the sync token is kept in %s (sealed, mode 0600)", self.file)
        sealed.write(self.file, keys.opened(self.folder), token.encode(), self.purpose)
        return "file"

    def load(self) -> str | None:
        backend = usable_keyring()
        if backend is not None:
            try:
                token = backend.get_password(SERVICE, self.device_id)
                if token:
                    return token
            except keyring.errors.KeyringError as exc:
                log.warning("keyring unreadable (%s)", exc)
        try:
            return sealed.read(self.file, keys.opened(self.folder), self.purpose).decode().strip() or None
        except FileNotFoundError:
            return None
        except sealed.SealBroken:
            log.warning("the token file %s does not open with this folder's key: log in again", self.file)
            return None

    def clear(self) -> None:
        backend = usable_keyring()
        if backend is not None:
            with contextlib.suppress(keyring.errors.KeyringError):      # nothing stored there
                backend.delete_password(SERVICE, self.device_id)
        self.file.unlink(missing_ok=True)
