"""The USB transport at the station: apply a push file exactly like HTTP pushes, write the reply file.

Each batch of the file goes through push.apply_batch in its own transaction, so a
file imported twice changes nothing the second time. Refused changes are skipped
and travel back in the reply, where the device sets them aside; the rest apply.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Engine, select

from sync.protocol import MAX_PAGE, PushBatch, SkipMarker
from sync.syncfile import SyncFileError, read, write

from . import db, push, tables
from .auth import Caller
from .errors import StationError
from .pull import pull_page
from .writer import audit

__all__ = ["SyncFileError", "import_file", "reply_path_for"]


def reply_path_for(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(f"{path.stem}-reply{path.suffix or '.gbsync'}")


def _parse(payload: dict) -> tuple[str, str | None, int, list[PushBatch]]:
    try:
        batches = [PushBatch.model_validate(b) for b in payload.get("batches") or []]
        cursor = int(payload.get("cursor") or 0)
    except (ValidationError, TypeError, ValueError) as exc:
        raise StationError(422, "malformed", detail=str(exc).splitlines()[0]) from exc
    device = payload.get("device")
    if not isinstance(device, str) or len(device) != 36:
        raise StationError(422, "malformed", detail="device")
    return device, payload.get("user"), cursor, batches


def _caller(conn, user_name: str | None, device_id: str) -> Caller:
    """The file's author; a device seen for the first time is registered to that user."""
    account = conn.execute(select(tables.user).where(tables.user.c.name == (user_name or ""))).mappings().first()
    if account is None:
        raise StationError(422, "user_missing", name=user_name or "")
    if account["disabled"]:
        raise StationError(401, "user_disabled")
    device = conn.execute(select(tables.device).where(tables.device.c.id == device_id)).mappings().first()
    if device is None:
        conn.execute(tables.device.insert().values(id=device_id, user_name=account["name"], name="USB",
                                                   token_hash=None, acked=0, revoked=False,
                                                   registered_ms=db.now_ms()))
    elif device["revoked"]:
        raise StationError(401, "revoked")
    elif device["user_name"] != account["name"]:
        raise StationError(422, "device_other_user", id=device_id, owner=device["user_name"])
    return Caller(account["name"], account["role"], list(account["grids"]), device_id)


def _apply_setting_aside(engine: Engine, caller: Caller, batch: PushBatch, lang: str | None) -> tuple[int, list]:
    """Apply a batch; changes the station refuses are skipped and reported, and the rest applied.

    Over HTTP the device sets refused changes aside and resends; a file cannot make that
    round trip without a second journey to the township, so the station does it here:
    the same all-or-nothing apply, retried with the refused seqs as skip markers.
    """
    refused: list[dict] = []
    originals = {c.seq: push.fingerprint(c) for c in batch.changes}
    while True:
        try:
            with engine.begin() as conn:
                return push.apply_batch(conn, caller, batch, lang, originals).applied, refused
        except StationError as exc:
            fresh = [r for r in exc.extra.get("rejected", []) if r["seq"] not in {f["seq"] for f in refused}]
            if exc.code not in ("invalid", "out_of_scope") or not fresh:
                raise
            refused += fresh
            skip = {r["seq"] for r in refused}
            batch = batch.model_copy(update={"changes": [
                SkipMarker(seq=c.seq, skip=True) if c.seq in skip else c for c in batch.changes]})


def import_file(engine: Engine, path: str | Path, user_name: str | None, reply_path: str | Path | None,
                actor: str, lang: str | None = None) -> dict:
    """Apply a push file; write the reply file; return a summary. Nothing applied if the file is unsound."""
    device_id, file_user, cursor, batches = _parse(read(path, "push"))
    with engine.begin() as conn:
        caller = _caller(conn, user_name or file_user, device_id)
    applied, rejected = 0, []
    for batch in batches:
        try:
            count, refused = _apply_setting_aside(engine, caller, batch, lang)
        except StationError as exc:
            if exc.code != "gap":
                raise
            break
        applied += count
        rejected += refused
    rows = []
    with db.reading(engine) as conn:
        acked = conn.execute(select(tables.device.c.acked).where(tables.device.c.id == device_id)).scalar()
        while True:
            page = pull_page(conn, caller.grids, device_id, cursor, MAX_PAGE)
            rows += page["rows"]
            cursor = page["cursor"]
            if not page["more"]:
                break
    reply = Path(reply_path) if reply_path else reply_path_for(path)
    write(reply, "reply", {"device": device_id, "acked": acked, "rejected": rejected, "rows": rows, "cursor": cursor})
    with engine.begin() as conn:
        audit(conn, [{"user_name": actor, "device_id": device_id, "action": "file_import",
                      "detail": {"file": str(path), "user": caller.user, "applied": applied, "acked": acked,
                                 "rejected": len(rejected), "rows": len(rows)}}])
    return {"device": device_id, "user": caller.user, "batches": len(batches), "applied": applied, "acked": acked,
            "rejected": rejected, "rows": len(rows), "cursor": cursor, "reply": str(reply)}
