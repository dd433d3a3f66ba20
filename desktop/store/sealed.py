"""Files sealed with the folder's file key (AES-256-GCM): the photo cache and the sync token's fallback file.

Layout: MAGIC, a 12-byte random nonce, then the ciphertext with its 16-byte tag. The
file's role and name are bound in as associated data, so one sealed file cannot be
passed off as another (a photo renamed to another photo's checksum fails to open).
"""
from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidTag

from .keys import DataKey

MAGIC = b"GBSEAL1\n"


class SealBroken(ValueError):
    """The file is not sealed with this key for this purpose, or was changed since."""


def seal(key: DataKey, data: bytes, purpose: str) -> bytes:
    nonce = os.urandom(12)
    return MAGIC + nonce + key.file_key().encrypt(nonce, data, MAGIC + purpose.encode())


def unseal(key: DataKey, blob: bytes, purpose: str) -> bytes:
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 12 + 16:
        raise SealBroken(f"not a sealed file ({purpose})")
    nonce, body = blob[len(MAGIC):len(MAGIC) + 12], blob[len(MAGIC) + 12:]
    try:
        return key.file_key().decrypt(nonce, body, MAGIC + purpose.encode())
    except InvalidTag:
        raise SealBroken(f"sealed file does not open ({purpose})") from None


def is_sealed(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(MAGIC)) == MAGIC
    except FileNotFoundError:
        return False


def write(path: Path, key: DataKey, data: bytes, purpose: str) -> Path:
    """Sealed, written aside (0600) and renamed over: never half a file, never readable by other users."""
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(seal(key, data, purpose))
    partial.replace(path)
    return path


def read(path: Path, key: DataKey, purpose: str) -> bytes:
    return unseal(key, Path(path).read_bytes(), purpose)
