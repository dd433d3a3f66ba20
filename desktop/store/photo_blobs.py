"""The local side of photo bytes: files in the data folder's photos/ (named by sha256) and their upload progress.

Each file is sealed with the folder's file key (sealed.py), bound to its name: a photo
of a case shows faces and homes, and a stolen laptop must not show them. Progress is a
local table (photo_blob, migration 0003), never synced: the record says which photo a
case has, this says how much of its bytes the station holds.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, select, update

from sync.validation import SHA256_RE

from . import keys, sealed
from .encrypting import photo_purpose
from .repository import Store

metadata = MetaData()
photo_blob = Table("photo_blob", metadata,
                   Column("sha256", String(64), primary_key=True),
                   Column("size", Integer, nullable=False),
                   Column("sent", Integer, nullable=False, default=0),
                   Column("done", Boolean, nullable=False, default=False))


def folder(store: Store) -> Path:
    path = store.path.parent / "photos"
    path.mkdir(exist_ok=True)
    return path


def path_of(store: Store, sha256: str) -> Path:
    """The file of a photo's bytes; ValueError unless `sha256` is a checksum (a pulled record's
    field must never name a path: "/etc/passwd" or "../token")."""
    if not SHA256_RE.match(sha256 or ""):
        raise ValueError(f"not a SHA-256 checksum: {sha256[:80]!r}")
    return folder(store) / sha256


def read(store: Store, sha256: str) -> bytes:
    """The photo's bytes; sealed.SealBroken if the file was changed or is not this folder's."""
    return sealed.read(path_of(store, sha256), store.key, photo_purpose(sha256))


def read_file(path: Path) -> bytes:
    """The bytes of a photo file of an open data folder (the UI has the path of each photo)."""
    path = Path(path)
    return sealed.read(path, keys.opened(path.parent.parent), photo_purpose(path.name))


def _write(store: Store, sha256: str, data: bytes) -> Path:
    # sealed and written aside, then renamed: never half a file
    return sealed.write(path_of(store, sha256), store.key, data, photo_purpose(sha256))


def keep(store: Store, data: bytes) -> tuple[str, int]:
    """Save the bytes under their sha256, sealed; queue the upload."""
    sha256 = hashlib.sha256(data).hexdigest()
    if not path_of(store, sha256).exists():
        _write(store, sha256, data)
    with store.atomic() as conn:
        if conn.execute(select(photo_blob.c.sha256).where(photo_blob.c.sha256 == sha256)).first() is None:
            conn.execute(photo_blob.insert().values(sha256=sha256, size=len(data), sent=0, done=False))
    return sha256, len(data)


def pending(store: Store) -> list[dict]:
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(select(photo_blob).where(photo_blob.c.done.is_(False))
                                                       .order_by(photo_blob.c.sha256))]


def progress(store: Store, sha256: str, sent: int, done: bool = False) -> None:
    with store.atomic() as conn:
        conn.execute(update(photo_blob).where(photo_blob.c.sha256 == sha256).values(sent=sent, done=done))


def save_downloaded(store: Store, sha256: str, data: bytes) -> Path:
    """Bytes fetched from the station, kept only if they match their name."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError(f"downloaded bytes do not match {sha256}")
    target = _write(store, sha256, data)
    with store.atomic() as conn:
        if conn.execute(select(photo_blob.c.sha256).where(photo_blob.c.sha256 == sha256)).first() is None:
            conn.execute(photo_blob.insert().values(sha256=sha256, size=len(data), sent=len(data), done=True))
    return target
