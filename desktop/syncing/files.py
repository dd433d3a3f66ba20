"""Sync by file (a USB stick): export the unacknowledged change log, apply the station's reply."""
from __future__ import annotations

from desktop.store import replication
from sync import syncfile

from .errors import BadSyncFile
from .pull import CURSOR_KEY
from .push import batch_message


def export_push(store, path, batch_size: int) -> int:
    """Write every unacknowledged change as a "push" file; return how many changes it carries."""
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
    syncfile.write(path, "push", payload)
    return count


def import_reply(store, path, result):
    """Apply a station's "reply" file; applying it twice, or an older one, changes nothing."""
    try:
        payload = syncfile.read(path, "reply")
    except syncfile.SyncFileError as exc:
        raise BadSyncFile(exc) from exc
    if payload.get("device") != store.device_id:
        raise BadSyncFile(device=payload.get("device"))
    acked = int(payload.get("acked") or 0)
    reasons = {int(r["seq"]): str(r.get("message") or r.get("code")) for r in payload.get("rejected") or []}
    already_aside = {e["seq"] for e in replication.set_aside_changes(store)}
    result.set_aside = len(set(reasons) - already_aside)
    replication.set_aside(store, reasons)
    # a stale reply never moves the device back: only a live push may rewind (see push._adopt)
    result.pushed = replication.pending_count(store, upto=acked)
    replication.acknowledge(store, acked)
    rows = payload.get("rows") or []
    cursor = int(payload.get("cursor") or 0)
    advance = cursor > int(store.get_meta(CURSOR_KEY, "0"))
    replication.apply_remote(store, rows, CURSOR_KEY if advance else None, cursor if advance else None)
    result.pulled = len(rows)
    result.conflicts = int(payload.get("conflicts") or 0)
    return result
