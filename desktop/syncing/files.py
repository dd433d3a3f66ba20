"""Sync by file (a USB stick): export the unacknowledged change log, apply the station's reply."""
from __future__ import annotations

import orjson
from pydantic import ValidationError

from desktop.store import identity, replication
from sync import records, syncfile
from sync.protocol import PullRow, Rejection

from .errors import BadSyncFile, refuse_demo
from .pull import CURSOR_KEY
from .push import batch_message

FORK_KEY = "file_fork"     # meta: the device this folder continues, until the station knows the new one


def export_push(store, path, batch_size: int, secrets=None) -> int:
    """Write every unacknowledged change as a "push" file; return how many changes it carries.

    secrets(device_id): the device secret the station issued to this folder, if any; the file
    carries it (the station applies a file only from the laptop its device is registered to)."""
    refuse_demo(store)
    batches, count, after = [], 0, replication.acked_seq(store)
    while True:
        batch = replication.next_batch(store, batch_size, after=after)
        if not batch:
            break
        batches.append(batch_message(store.device_id, batch))
        count += sum(1 for e in batch if e["state"] == "pending")
        after = batch[-1]["seq"]
    payload = {"device": store.device_id, "user": store.get_meta("user"),
               "cursor": int(store.get_meta(CURSOR_KEY, "0")), "batches": batches}
    secret = secrets(store.device_id) if secrets else None
    if secret:
        payload["device_secret"] = secret
    fork = store.get_meta(FORK_KEY)
    if fork:
        payload["fork"] = orjson.loads(fork)
    syncfile.write(path, "push", payload)
    return count


def _checked(payload: dict) -> tuple[int, int, list[Rejection], list[dict]]:
    """The reply's parts, checked before anything is applied; a bad one is a damaged file."""
    try:
        acked, cursor = int(payload.get("acked") or 0), int(payload.get("cursor") or 0)
        rejected = [Rejection.model_validate(r) for r in payload.get("rejected") or []]
        rows = [PullRow.model_validate(r).model_dump() for r in payload.get("rows") or []]
    except (TypeError, ValueError, ValidationError) as exc:
        raise BadSyncFile(syncfile.SyncFileError("file_format")) from exc
    if acked < 0 or cursor < 0 or any(r["type"] not in records.RECORD_TYPES for r in rows):
        raise BadSyncFile(syncfile.SyncFileError("file_format"))
    return acked, cursor, rejected, rows


def import_reply(store, path, result, secrets=None):
    """Apply a station's "reply" file; applying it twice, or an older one, changes nothing.

    secrets: (load, save) of device secrets by device id, for the secret a reply may carry
    and for the fork a reply may ask for (a copied folder)."""
    try:
        payload = syncfile.read(path, "reply")
    except syncfile.SyncFileError as exc:
        raise BadSyncFile(exc) from exc
    if payload.get("device") != store.device_id:
        raise BadSyncFile(device=payload.get("device"))
    load, save = secrets or (lambda _device: None, lambda _device, _secret: None)
    if isinstance(payload.get("device_secret"), str):
        save(store.device_id, payload["device_secret"])
    if isinstance(payload.get("diverged_at"), int) and payload["diverged_at"] >= 1:
        # the station holds another change at one of our sequences: this folder is a copy. It
        # continues as a new device, which the next file introduces with the old one's secret.
        old, keep_upto = store.device_id, payload["diverged_at"] - 1
        identity.fork(store, keep_upto, "copied")
        store.set_meta(**{FORK_KEY: orjson.dumps({"from": old, "after": keep_upto, "secret": load(old)}).decode()})
        return result
    acked, cursor, rejected, rows = _checked(payload)
    reasons = {r.seq: r.message or r.code for r in rejected}
    # counted first: reads do not see the writes of the transaction below until it commits
    newly_aside = set(reasons) - {e["seq"] for e in replication.set_aside_changes(store)}
    result.set_aside = len(newly_aside)
    result.pushed = replication.pending_count(store, upto=acked) - sum(1 for seq in newly_aside if seq <= acked)
    advance = cursor > int(store.get_meta(CURSOR_KEY, "0"))
    # one transaction: a reply is applied whole or not at all (nested writes become savepoints)
    with store.atomic():
        store.set_meta(**{FORK_KEY: None})      # the station knows this device now
        replication.set_aside(store, reasons)
        # a stale reply never moves the device back: only a live push may rewind (see push._adopt)
        replication.acknowledge(store, acked)
        replication.apply_remote(store, rows, CURSOR_KEY if advance else None, cursor if advance else None)
    result.pulled = len(rows)
    result.conflicts = int(payload.get("conflicts") or 0) if str(payload.get("conflicts") or 0).isdigit() else 0
    return result
