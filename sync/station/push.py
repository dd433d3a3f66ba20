"""Apply a push batch in one transaction: idempotent on (device, seq), all or nothing, audited.

A replay (a change at a sequence the station already holds) is acknowledged only if it is
the change the station holds there (its fingerprint matches): a laptop restored from a
backup numbers its new changes from an old sequence again, and those must not be taken
for replays and dropped; the station answers 409 diverged and the laptop forks.

Used by POST /v1/push and by the file transport (`gridbook-station import`), so a
batch carried on a USB stick goes through exactly the same checks.
"""
from __future__ import annotations

import orjson
from sqlalchemy import Connection, bindparam, select, update

from sync import clock, records
from sync.merge import stamp_device
from sync.protocol import PushBatch, PushReply, Rejection

from . import db, duplicates, incident_check, tables
from .auth import Caller
from .batch_merge import BatchMerge, Refusal
from .errors import StationError
from .push_plan import SKIP_DIGEST, Prepared, fingerprint, prepare
from .push_wire import WireBatch, WireChange, from_model
from .writer import (
    audit_values,
    bump_versions,
    chunks,
    complete_row,
    device_users,
    held_fingerprints,
    record_fingerprints,
    row_values,
    write_values,
)

__all__ = ["SKIP_DIGEST", "apply_batch", "fingerprint", "prepare"]


# Built once (every push runs it): building it cost more than running it.
_ACKED = (update(tables.device).where(tables.device.c.id == bindparam("b_device"))
          .values(acked=bindparam("b_acked"), last_push_ms=bindparam("b_now")))


def apply_batch(conn: Connection, caller: Caller, batch: PushBatch | WireBatch, lang: str | None = None,
                originals: dict[int, int] | None = None, prepared: Prepared | None = None) -> PushReply:
    """Apply `batch` for `caller` inside the caller's transaction; StationError if refused.

    prepared: push_plan.prepare(batch) done before (off the station's writer); made here if not.
    originals: fingerprints of the changes the station itself turned into skip markers (a sync
    file's refused changes), so the same file imported again is a replay and not a divergence."""
    if prepared is None or prepared.device != caller.device_id:
        prepared = prepare(from_model(batch), caller.device_id)
    batch = prepared.batch
    if caller.role != "station" and any(c.s is not None for c in prepared.changes):
        raise StationError(403, "stamps_station_only")     # a laptop's fields are stamped with its own device
    # concurrent batches for one record must merge one after the other: the writers' lock, and the device's row
    device = db.lock_writers_and_device(conn, caller.device_id)
    acked = device["acked"]
    if batch.first > acked + 1:
        raise StationError(409, "gap", extra={"acked": acked}, acked=acked, next=acked + 1)
    _check_replays(conn, caller.device_id, [c for c in prepared.changes if c.seq <= acked], acked, prepared)
    if batch.last <= acked:
        return PushReply(acked=acked, applied=0)          # a replay: nothing to do
    changes = sorted((c for c in prepared.changes if c.seq > acked), key=lambda c: c.seq)
    _check_clocks(changes)
    merge = BatchMerge(conn, caller, changes)
    rejected: list[tuple[int, Refusal]] = []
    for c in changes:
        try:
            static = prepared.static.get(c.seq)
            if static is not None:
                raise static
            merge.apply(c, prepared.as_new.get(c.seq), shape_checked=True)
        except Refusal as refusal:
            rejected.append((c.seq, refusal))
    rejected += incident_check.refusals(conn, caller, merge, changes, {s for s, _r in rejected}, lang)
    if rejected:
        _refuse(rejected, acked, lang)
    _write(conn, caller, merge, changes)
    originals = originals or {}
    record_fingerprints(conn, caller.device_id, [(s, originals.get(s) or prepared.digests[s])
                                                 for s in range(acked + 1, batch.last + 1)])
    conn.execute(_ACKED, {"b_device": caller.device_id, "b_acked": batch.last, "b_now": db.now_ms()})
    return PushReply(acked=batch.last, applied=len(changes), conflicts=len(merge.conflicts))


def _check_replays(conn: Connection, device_id: str, replayed: list[WireChange], acked: int,
                   prepared: Prepared) -> None:
    """409 diverged at the first replayed change whose content is not what the station holds.

    A skip marker replays anything (it writes nothing, and the change it stands for was refused);
    sequences applied before the station kept fingerprints (schema 4) cannot be compared."""
    if not replayed:
        return
    seqs = [c.seq for c in replayed]
    held = held_fingerprints(conn, device_id, min(seqs), max(seqs))
    for c in sorted(replayed, key=lambda c: c.seq):
        if c.seq in held and held[c.seq] != prepared.digests[c.seq]:
            raise StationError(409, "diverged", extra={"acked": acked, "diverged_at": c.seq}, diverged_at=c.seq)


def _check_clocks(changes: list[WireChange]) -> None:
    now = db.now_ms()
    ahead = max((clock.wall_ms(c.hlc) - now for c in changes), default=0)
    if ahead > clock.MAX_DRIFT_MS:
        raise StationError(409, "clock_ahead", extra={"station_time_ms": now}, hours=ahead // 3_600_000)


MAX_LISTED = 500          # refused changes named in one answer; the device sets them aside and sends again
MAX_MESSAGE = 500


def _refuse(rejected: list[tuple[int, Refusal]], acked: int, lang: str | None) -> None:
    scope_refused = any(r.status == 403 for _seq, r in rejected)
    listed = []
    for seq, refusal in rejected[:MAX_LISTED]:
        text = StationError(refusal.status, refusal.code).message(lang) if not refusal.errors else \
            " ".join(e.message(lang) for e in refusal.errors)
        listed.append({**Rejection(seq=seq, code=refusal.code, message=text[:MAX_MESSAGE]).model_dump(),
                       "fields": [e.field for e in refusal.errors][:50]})
    code = "out_of_scope" if scope_refused else "invalid"
    raise StationError(403 if scope_refused else 422, code, count=len(rejected),
                       extra={"rejected": listed, "acked": acked, "refused": len(rejected)})


def _write(conn: Connection, caller: Caller, merge: BatchMerge, changes: list[WireChange]) -> None:
    by_type: dict[str, tuple[list, list]] = {}
    versions: list[tuple[str, str, str | None]] = []
    prebuilt = merge.prebuilt
    for (record_type, record_id), is_new in merge.dirty.items():
        row = merge.rows[record_type][record_id]
        assert row is not None              # a dirty record has its working copy
        defaults = merge.defaults[(record_type, record_id)]
        values = prebuilt.get((record_type, record_id)) or row_values(record_type, row, defaults)
        by_type.setdefault(record_type, ([], []))[0 if is_new else 1].append(values)
        placed = row.get("household_id" if record_type == "person" else "grid_code") is not None
        versions.append((record_type, record_id,
                         merge.grid_of(record_type, row if placed else complete_row(record_type, row, defaults))))
    for record_type in records.RECORD_TYPES:            # households before the people in them
        if record_type in by_type:
            write_values(conn, record_type, *by_type[record_type])
    versions += _moved_people(conn, merge)
    bump_versions(conn, versions)
    _drop_noted(conn, merge)
    merge.conflicts += duplicates.find(conn, *_numbered(merge, changes))
    if merge.conflicts:
        users = device_users(conn, [c["kept_stamp"] for c in merge.conflicts] +
                             [c["lost_stamp"] for c in merge.conflicts])
        now = db.now_ms()
        conn.execute(tables.conflict.insert(), [
            {**c, "created_ms": now, "kept_user": users.get(stamp_device(c["kept_stamp"] or "")),
             "lost_user": users.get(stamp_device(c["lost_stamp"] or ""))} for c in merge.conflicts])
    if not changes:                     # skip markers only: nothing applied, nothing to audit
        return
    # one audit row per batch: who, from which device, and each change's sequence, record and fields
    detail = orjson.dumps({"first": changes[0].seq, "last": changes[-1].seq,
                           "changes": [[c.seq, c.type, c.id, list(c.f)] for c in changes]}).decode()
    audit_values(conn, [(caller.user, caller.device_id, "push", None, None, None, detail)])


def _numbered(merge: BatchMerge, changes: list[WireChange]) -> tuple[list[str], set[str]]:
    """The residents whose ID number this batch set, and the numbers the live ones hold now (as written)."""
    ids = [c.id for c in changes if c.type == "person" and "id_number" in c.f]
    people = merge.rows["person"]
    numbers = {row["id_number"] for row in map(people.get, ids)
               if row and not row.get("deleted") and row.get("id_number")}
    return ids, numbers


def _drop_noted(conn: Connection, merge: BatchMerge) -> None:
    """Soft conflicts already noted by an earlier batch (the same other change) are not noted again."""
    soft = [c for c in merge.conflicts if c["kind"] == "soft"]
    if not soft:
        return
    t = tables.conflict
    noted = set()
    for part in chunks(sorted({c["record_id"] for c in soft})):
        noted |= set(conn.execute(select(t.c.record_type, t.c.record_id, t.c.field, t.c.kept_stamp)
                                  .where(t.c.kind == "soft", t.c.record_id.in_(part))).all())
    merge.conflicts = [c for c in merge.conflicts if c["kind"] != "soft" or
                       (c["record_type"], c["record_id"], c["field"], c["kept_stamp"]) not in noted]


def _moved_people(conn: Connection, merge: BatchMerge) -> list[tuple[str, str, str | None]]:
    """People whose household moved to another grid follow it (new grid, new sequence)."""
    moved = {h: r["grid_code"] for h, r in merge.rows["household"].items()
             if r and ("household", h) in merge.dirty and merge.original_grid.get(h) not in (None, r["grid_code"])}
    if not moved:
        return []
    person = records.record_table("person")
    out = []
    for part in chunks(sorted(moved)):
        for pid, hid in conn.execute(select(person.c.id, person.c.household_id)
                                     .where(person.c.household_id.in_(part))):
            if ("person", pid) not in merge.dirty:
                out.append(("person", pid, moved[hid]))
    return out
