"""A push batch worked out before it reaches the writer: what needs no database, done once, off the writer.

For every change: its fingerprint, and the first refusal its shape earns (unknown type,
a grid, unknown fields). For every change that could be a record's first (it carries the
type's required fields; a first push is nearly all of them): the record exactly as
BatchMerge would make it of a change the station has not seen — stamped, validated,
cleaned, and its row in column order, ready for executemany. The writer then only asks
the database what it must (does the record exist, do its grid and household), and takes
the prepared row if the record is indeed new; otherwise the change goes the general way.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field

import orjson

from sync import clock, records
from sync.protocol import DELETED
from sync.validation import REQUIRED, FieldError, ValidationError, clean_record

from .errors import StationError
from .push_wire import WireBatch, WireChange
from .writer import row_values

SKIP_DIGEST = 0


class Refusal(Exception):
    """One change refused: status 403 or 422, a code, FieldErrors or a message code."""

    def __init__(self, status: int, code: str, errors: list[FieldError]):
        self.status, self.code, self.errors = status, code, errors


@dataclass(slots=True)
class AsNew:
    """A change taken as its record's first (BatchMerge._apply_new, without the database)."""
    merged: dict                   # the record: key, fields (cleaned values), clocks, tombstone
    cleaned: dict                  # clean_record's values (the defaults of NOT NULL columns)
    errors: list[FieldError]       # clean_record's, the grid's existence not yet checked
    grid: str | None               # the grid code whose existence validation asks about
    row: tuple | None              # the row in column order (no errors)


@dataclass
class Prepared:
    batch: WireBatch
    device: str
    changes: list[WireChange]                       # the changes (not skip markers), in batch order
    digests: dict[int, int]                         # seq -> fingerprint, skip markers included
    static: dict[int, Refusal] = field(default_factory=dict)    # seq -> refusal by shape alone
    as_new: dict[int, AsNew] = field(default_factory=dict)      # seq -> the change as a first


@functools.cache
def known_fields(record_type: str) -> frozenset[str]:
    """What a change of this type may carry: its fields and the tombstone."""
    return frozenset(records.fields_of(record_type)) | {DELETED}


@functools.cache
def _required(record_type: str) -> frozenset[str]:
    return frozenset(REQUIRED[record_type]) - {records.key_field(record_type)}


def fingerprint(change) -> int:
    """A signed 64-bit digest of what a change is (record, operation, clock, fields); 0 for a skip marker
    (a WireSkip, or sync.protocol's SkipMarker)."""
    if not hasattr(change, "f"):
        return SKIP_DIGEST
    head = f"{change.type}\x1f{change.id}\x1f{change.op}\x1f{change.hlc}\x1f".encode()
    digest = hashlib.blake2b(head + orjson.dumps(change.f, option=orjson.OPT_SORT_KEYS), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True) or 1        # 0 is the skip marker's


def shape_refusal(c: WireChange) -> Refusal | None:
    """The refusal a change earns by its shape alone, before any merge (None: a well-formed change)."""
    if c.type not in records.RECORD_TYPES:
        return Refusal(422, "invalid", [FieldError("type", "unknown_type", {
            "value": c.type, "choices": ", ".join(records.RECORD_TYPES)})])
    if c.type == "grid":
        return Refusal(403, "grid_readonly", [])
    f = c.f
    known = known_fields(c.type)
    if f and f.keys() <= known and f.get("id", c.id) == c.id and isinstance(f.get(DELETED, False), bool):
        return None                 # the usual case, in one test; the errors are worked out below
    key = records.key_field(c.type)
    errors = [FieldError(k, "unknown_field", {"name": k}) for k in f if k not in known]
    if key in f and f[key] != c.id:
        errors.append(FieldError(key, "bad_id", {"value": f[key]}))
    if DELETED in f and not isinstance(f[DELETED], bool):
        errors.append(FieldError(DELETED, "choice", {"value": f[DELETED], "choices": "true, false"}))
    if not f:
        errors.append(FieldError(key, "required"))
    return Refusal(422, "invalid", errors) if errors else None


def store_cleaned(merged: dict, winners: dict, cleaned: dict) -> None:
    """The station stores what validation returns (trimmed codes, an upper-case X, text for a
    number), not what was sent: exports and pulls then never meet a raw value."""
    for name, value in winners.items():
        if value is not None and name in cleaned:
            merged[name] = cleaned[name]


def as_new(c: WireChange, device: str) -> AsNew:
    """The record a change makes if the station has not seen it: every field wins, nothing to note."""
    stamp = clock.stamp(c.hlc, device)
    merged = {records.key_field(c.type): c.id, **c.f, "clocks": dict.fromkeys(c.f, stamp)}
    merged.setdefault(DELETED, False)
    asked: list[str] = []

    def noted(code: str) -> bool:   # the grid's existence is the database's to say: noted, checked by the writer
        asked.append(code)
        return True
    try:
        cleaned = clean_record(c.type, merged, noted, known_only=True)
    except ValidationError as exc:
        return AsNew(merged, {}, exc.errors, asked[0] if asked else None, None)
    store_cleaned(merged, c.f, cleaned)
    return AsNew(merged, cleaned, [], asked[0] if asked else None, row_values(c.type, merged, cleaned))


def prepare(batch: WireBatch, device_id: str) -> Prepared:
    """Everything about `batch` that needs no database; StationError 403/400 for a batch that is not
    this device's or not one contiguous run (the refusals that come first)."""
    if batch.device != device_id:
        raise StationError(403, "wrong_device")
    seqs = sorted(c.seq for c in batch.changes)
    if batch.last < batch.first or seqs != list(range(batch.first, batch.last + 1)):
        raise StationError(400, "not_contiguous", first=batch.first, last=batch.last)
    changes = [c for c in batch.changes if isinstance(c, WireChange)]
    plan = Prepared(batch, device_id, changes, {c.seq: fingerprint(c) for c in batch.changes})
    for c in changes:
        refusal = shape_refusal(c)
        if refusal is not None:
            plan.static[c.seq] = refusal
        elif _required(c.type) <= c.f.keys():
            plan.as_new[c.seq] = as_new(c, device_id)
    return plan
