"""Sync batches carried as a file (a USB stick from a village with no connection).

A file is one header line of JSON — format, version, kind, payload length and
SHA-256 — then the gzip-compressed JSON payload. Anything truncated, altered or of
another format is refused with a reason before a byte of it is applied.

kind "push" (device -> station):  {"device", "user", "cursor", "batches": [PushBatch, ...]}
kind "reply" (station -> device): {"device", "acked", "rejected": [Rejection], "rows": [PullRow], "cursor"}
"""
from __future__ import annotations

import gzip
import hashlib
import zlib
from pathlib import Path

import orjson

from . import messages
from .protocol import PROTOCOL_VERSION

FORMAT = "gridbook-sync"
KINDS = ("push", "reply")

messages.register({
    "file_unreadable": ("同步文件无法读取：{detail}", "The sync file cannot be read: {detail}"),
    "file_format": ("这不是网格台账同步文件。", "This is not a Gridbook sync file."),
    "file_version": ("同步文件版本 {found} 与本程序（{expected}）不符，请升级程序。",
                     "The sync file has version {found}, this program speaks {expected}: update the program."),
    "file_kind": ("同步文件类型应为“{expected}”，实为“{found}”。",
                  "Expected a '{expected}' sync file, got '{found}'."),
    "file_too_big": ("同步文件解压后超过 {mb} MB，不像网格台账的数据，已拒收。",
                     "The sync file inflates beyond {mb} MB, which is no Gridbook data: refused."),
    "file_truncated": ("同步文件不完整（可能未拷贝完），请重新导出。",
                       "The sync file is incomplete (perhaps not fully copied): export it again."),
    "file_checksum": ("同步文件校验失败（文件已损坏），请重新导出。",
                      "The sync file fails its checksum (it is damaged): export it again."),
})


class SyncFileError(ValueError):
    """A sync file that must not be applied; `code` names why, `message()` says it."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(self.message())

    def message(self, lang: str | None = None) -> str:
        return messages.render(self.code, lang, **self.params)


def write(path: str | Path, kind: str, payload: dict) -> int:
    """Write a sync file atomically (temp file, then rename); return its size in bytes."""
    body = gzip.compress(orjson.dumps(payload), compresslevel=6)
    header = {"format": FORMAT, "version": PROTOCOL_VERSION, "kind": kind, "length": len(body),
              "sha256": hashlib.sha256(body).hexdigest()}
    path = Path(path)
    temp = path.with_name(path.name + ".part")
    with open(temp, "wb") as out:
        out.write(orjson.dumps(header) + b"\n" + body)
    temp.replace(path)
    return path.stat().st_size


# JSON of records compresses 5-15 times; a file inflating far beyond that is a bomb, not a ledger
INFLATE_RATIO = 100
INFLATE_FLOOR = 64 * 1024 * 1024
INFLATE_CEILING = 2 * 1024 * 1024 * 1024


def _inflate(body: bytes) -> bytes:
    """The gzip body, decompressed up to a bound that grows with its size (SyncFileError beyond)."""
    limit = min(INFLATE_CEILING, max(INFLATE_FLOOR, INFLATE_RATIO * len(body)))
    stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = stream.decompress(body, limit + 1)
    if len(data) > limit or stream.unconsumed_tail:
        raise SyncFileError("file_too_big", mb=limit // (1024 * 1024))
    return data


def read(path: str | Path, expected_kind: str) -> dict:
    """The payload of a sound sync file of `expected_kind`, or SyncFileError."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SyncFileError("file_unreadable", detail=exc.strerror or str(exc)) from exc
    line, _, body = data.partition(b"\n")
    try:
        header = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise SyncFileError("file_format") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise SyncFileError("file_format")
    if header.get("version") != PROTOCOL_VERSION:
        raise SyncFileError("file_version", found=header.get("version"), expected=PROTOCOL_VERSION)
    if header.get("kind") != expected_kind:
        raise SyncFileError("file_kind", expected=expected_kind, found=header.get("kind"))
    if len(body) != header.get("length"):
        raise SyncFileError("file_truncated")
    if hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise SyncFileError("file_checksum")
    try:
        payload = orjson.loads(_inflate(body))
    except (OSError, EOFError, zlib.error, orjson.JSONDecodeError) as exc:
        raise SyncFileError("file_checksum") from exc
    if not isinstance(payload, dict):
        raise SyncFileError("file_format")
    return payload
