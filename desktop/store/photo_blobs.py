"""The local side of photo bytes: files in the data folder's photos/ (named by sha256) and their upload progress.

Progress is a local table (photo_blob, migration 0003), never synced: the record
says which photo a case has, this says how much of its bytes the station holds.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, select, update

from sync.validation import SHA256_RE

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


def keep(store: Store, data: bytes) -> tuple[str, int]:
    """Save the bytes under their sha256 (written aside, then renamed: never half a file); queue the upload."""
    sha256 = hashlib.sha256(data).hexdigest()
    target = path_of(store, sha256)
    if not target.exists():
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)
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
    target = path_of(store, sha256)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)
    with store.atomic() as conn:
        if conn.execute(select(photo_blob.c.sha256).where(photo_blob.c.sha256 == sha256)).first() is None:
            conn.execute(photo_blob.insert().values(sha256=sha256, size=len(data), sent=len(data), done=True))
    return target
