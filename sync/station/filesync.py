"""The USB transport at the station: apply a push file exactly like HTTP pushes, write the reply file.

Each batch of the file goes through push.apply_batch in its own transaction, so a
file imported twice changes nothing the second time. Refused changes are skipped
and travel back in the reply, where the device sets them aside; the rest apply.
"""
from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Engine, select, update

from sync.protocol import MAX_PAGE, SEQ_MAX, PushBatch, SkipMarker
from sync.syncfile import SyncFileError, read, write

from . import db, push, tables, upstream_file
from .auth import Caller, secret_hash
from .errors import StationError
from .pull import pull_page
from .upstream_below import of as devices_below
from .writer import audit

__all__ = ["SyncFileError", "import_file", "reply_path_for"]


def reply_path_for(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(f"{path.stem}-reply{path.suffix or '.gbsync'}")


def _parse(payload: dict) -> tuple[str, int, list[PushBatch]]:
    try:
        batches = [PushBatch.model_validate(b) for b in payload.get("batches") or []]
        cursor = int(payload.get("cursor") or 0)
    except (ValidationError, TypeError, ValueError) as exc:
        raise StationError(422, "malformed", detail=str(exc).splitlines()[0]) from exc
    device = payload.get("device")
    if not isinstance(device, str) or len(device) != 36:
        raise StationError(422, "malformed", detail="device")
    return device, cursor, batches


def _text(value) -> str | None:
    return value if isinstance(value, str) and len(value) <= 100 else None


def _caller(conn, operator_user: str | None, device_id: str, payload: dict) -> tuple[Caller, str | None]:
    """The file's author and a device secret to send back (None: the device keeps its own).

    A file is applied as the account its device is registered to, never as the user the
    file names; a device registered with a secret must present it (device ids are public).
    A device the station has not seen is registered only to the user the operator names
    (`--user`), or, for a folder that forked after a copy (`fork` in the file), to the
    account of the device it continues, if the file carries that device's secret."""
    d = tables.device
    device = conn.execute(select(d).where(d.c.id == device_id)).mappings().first()
    secret, issued = _text(payload.get("device_secret")), None
    if device is None:
        fork = payload.get("fork") if isinstance(payload.get("fork"), dict) else None
        if fork:
            owner, after = _forked_owner(conn, fork)
        elif operator_user:
            owner, after = operator_user, 0
        else:
            raise StationError(422, "file_device_unknown", id=device_id)
        _account(conn, owner)
        issued = secrets.token_urlsafe(32)
        conn.execute(d.insert().values(id=device_id, user_name=owner, name="USB", token_hash=None, acked=after,
                                       revoked=False, registered_ms=db.now_ms(), secret_hash=secret_hash(issued),
                                       secret_pending=issued, forked_from=fork["from"] if fork else None))
    else:
        if device["revoked"]:
            raise StationError(401, "revoked")
        holds = bool(secret and device["secret_hash"] and
                     secrets.compare_digest(device["secret_hash"], secret_hash(secret)))
        if device["secret_hash"] and not holds and (secret or not device["secret_pending"]):
            raise StationError(403, "file_not_from_device", id=device_id)
        if operator_user and operator_user != device["user_name"]:
            raise StationError(422, "device_other_user", id=device_id, owner=device["user_name"])
        owner = device["user_name"]
        if holds and device["secret_pending"]:            # the folder has it: from now on it is required
            conn.execute(update(d).where(d.c.id == device_id).values(secret_pending=None))
        elif not holds:
            # a device from before secrets gets one; a reply left unread gets the same one again
            issued = device["secret_pending"] or secrets.token_urlsafe(32)
            conn.execute(update(d).where(d.c.id == device_id).values(secret_hash=secret_hash(issued),
                                                                     secret_pending=issued))
    account = _account(conn, owner)
    return Caller(account["name"], account["role"], list(account["grids"]), device_id), issued


def _account(conn, name: str):
    account = conn.execute(select(tables.user).where(tables.user.c.name == name)).mappings().first()
    if account is None:
        raise StationError(422, "user_missing", name=name)
    if account["disabled"]:
        raise StationError(401, "user_disabled")
    return account


def _forked_owner(conn, fork: dict) -> tuple[str, int]:
    """The account of the device a forked folder continues, checked by that device's secret."""
    d = tables.device
    old = conn.execute(select(d).where(d.c.id == _text(fork.get("from")))).mappings().first()
    secret = _text(fork.get("secret"))
    after = fork.get("after")
    if old is None or old["revoked"] or not isinstance(after, int) or not 0 <= after <= SEQ_MAX:
        raise StationError(422, "file_device_unknown", id=str(fork.get("from")))
    if old["secret_hash"] and not (secret and secrets.compare_digest(old["secret_hash"], secret_hash(secret))):
        raise StationError(403, "file_not_from_device", id=old["id"])
    return old["user_name"], after


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
    """Apply a push file; write the reply file; return a summary. Nothing applied if the file is unsound.

    user_name: the account the operator names for a device the station has not seen; the
    file's own `user` is never believed."""
    payload = read(path, "push")
    device_id, cursor, batches = _parse(payload)
    with engine.begin() as conn:
        caller, issued = _caller(conn, user_name, device_id, payload)
    applied, rejected, diverged = 0, [], None
    for batch in batches:
        try:
            count, refused = _apply_setting_aside(engine, caller, batch, lang)
        except StationError as exc:
            if exc.code == "diverged":          # a copied folder: the reply tells it to fork
                diverged = exc.extra["diverged_at"]
                break
            if exc.code != "gap":
                raise
            break
        applied += count
        rejected += refused
    rows = []
    with engine.begin() as conn:        # a lower station's file: its conflicts and the devices below it
        upstream_answer = upstream_file.answer_upstream(conn, caller, payload)
    with db.reading(engine) as conn:
        acked = conn.execute(select(tables.device.c.acked).where(tables.device.c.id == device_id)).scalar()
        below = devices_below(conn, caller)
        while True:
            page = pull_page(conn, caller.grids, device_id, cursor, MAX_PAGE, below)
            rows += page["rows"]
            cursor = page["cursor"]
            if not page["more"]:
                break
    reply = Path(reply_path) if reply_path else reply_path_for(path)
    answer = {"device": device_id, "acked": acked, "rejected": rejected, "rows": rows, "cursor": cursor}
    if issued:
        answer["device_secret"] = issued
    if upstream_answer is not None:
        answer["upstream"] = upstream_answer
    if diverged is not None:         # nothing of the folder's own is applied; it forks and sends again
        answer.update(diverged_at=diverged, rows=[], cursor=0)
        rows = []
    write(reply, "reply", answer)
    with engine.begin() as conn:
        audit(conn, [{"user_name": actor, "device_id": device_id, "action": "file_import",
                      "detail": {"file": str(path), "user": caller.user, "applied": applied, "acked": acked,
                                 "rejected": len(rejected), "rows": len(rows)}}])
    return {"device": device_id, "user": caller.user, "batches": len(batches), "applied": applied, "acked": acked,
            "rejected": rejected, "rows": len(rows), "cursor": cursor, "reply": str(reply), "diverged_at": diverged}
