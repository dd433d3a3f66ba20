"""The push loop: send the change log in contiguous batches until the station holds it all."""
from __future__ import annotations

import contextlib
import logging
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from pydantic import ValidationError as SchemaError

from desktop.store import replication
from sync import protocol

from . import forking
from .errors import StationError
from .pull import CURSOR_KEY

log = logging.getLogger(__name__)
MAX_GAPS = 3           # gap answers in a row before we stop trusting the exchange


def batch_message(device_id: str, batch: list[dict]) -> dict:
    """A PushBatch for a contiguous run of change-log rows (set-aside rows go as skip markers)."""
    return {"device": device_id, "first": batch[0]["seq"], "last": batch[-1]["seq"],
            "changes": [protocol.change_to_wire(entry) for entry in batch]}


def push(ctx, result, report) -> None:
    """Send every unacknowledged change; acks and set-asides are stored only once the station answered.

    Two batches travel at once (WINDOW): the next is sent before the station answered the one
    before it, so the station decodes and checks it while it writes the first, and the link
    is never idle while the laptop waits. The station takes a device's batches in the order
    they arrived. Answers are taken in order; anything but a plain acknowledgement of the
    first (a refusal, a gap, a lost answer) drops the one behind it unread, and the loop goes
    on from what the store holds: whatever the station did with it, it answers again when
    resent (idempotent on device and sequence)."""
    with ThreadPoolExecutor(WINDOW, thread_name_prefix="push-sender") as sender:
        _push(ctx, result, report, sender)


WINDOW = 2                       # batches in flight


def _prepare(store, limit: int, after: int) -> tuple[list[dict], protocol.EncodedBody | None]:
    batch = replication.wire_batch(store, limit, after)
    return batch, protocol.encode_ahead(batch_message(store.device_id, batch)) if batch else None


def _send(ctx, deadline, body, behind: int | None):
    """One push call from a sender thread, inside the syncing thread's overall deadline.

    behind: the last sequence of the batch sent just before this one and not yet answered; the
    station then waits a moment for that batch if this one overtook it on the way."""
    with ctx.transport.within(deadline):
        return ctx.call("POST", "/v1/push", json_body=body, expect=(200, 403, 409, 413, 422),
                        headers={protocol.BEHIND_HEADER: str(behind)} if behind is not None else None)


def _drain(flight: deque) -> None:
    """Wait for the batches still travelling and drop their answers (the loop resends from the store)."""
    while flight:
        _batch, pending, _behind = flight.popleft()
        with contextlib.suppress(Exception):
            pending.result()


def _push(ctx, result, report, sender) -> None:
    store, batch_size, gaps = ctx.store, ctx.batch_size, 0
    report("push", 0)
    flight: deque = deque()                 # (batch, future of its answer, sent behind another), oldest first
    deadline = ctx.transport.current_deadline()
    try:
        while True:
            ctx.check_cancel()
            while len(flight) < WINDOW:
                behind = flight[-1][0][-1]["seq"] if flight else None
                batch, body = _prepare(store, batch_size, replication.acked_seq(store) if behind is None else behind)
                if not batch:
                    break
                flight.append((batch, sender.submit(_send, ctx, deadline, body, behind), behind is not None))
            if not flight:
                return
            batch, pending, sent_behind = flight.popleft()
            answer = pending.result()
            if answer.status == 200:
                gaps = 0
                if not _acknowledged(ctx, store, answer, batch, result, report):
                    _drain(flight)              # forked: a new device numbers what follows
                continue
            _drain(flight)
            if answer.status == 409 and answer.code == "diverged":
                # the station holds another change at one of our sequences: this folder is a copy
                forking.fork_at_station(ctx, int(answer.body["diverged_at"]) - 1, "restored")
            elif answer.status == 409 and answer.code == "gap":
                gaps += 1
                if gaps > MAX_GAPS:
                    raise StationError(answer.message, status=409)
                if not sent_behind:        # behind another, it may only have overtaken it: sent again, first
                    _adopt(store, int(answer.body.get("acked", 0)), batch, result)
            elif answer.status in (403, 422) and answer.body.get("rejected"):
                _set_aside(store, answer, batch, result)
            elif answer.status == 413 and batch_size > 1:
                batch_size = max(1, batch_size // 2)      # too big for this station: smaller batches
                log.info("batch too large; trying %d changes per batch", batch_size)
            else:
                ctx.transport.refuse(answer)
    finally:
        _drain(flight)


def _acknowledged(ctx, store, answer, batch: list[dict], result, report) -> bool:
    """Store the station's acknowledgement of `batch`; False if the folder forked instead."""
    try:
        reply = protocol.PushReply.model_validate(answer.body)
    except SchemaError as exc:
        raise StationError(f"unexpected push reply: {exc}", status=200) from exc
    before = replication.acked_seq(store)
    if reply.acked <= before:
        if batch[-1]["seq"] <= before:        # a batch sent behind one the station acknowledged beyond it
            return True
        # the station applied nothing of a batch that starts right after our ack
        raise StationError(f"the station did not acknowledge batch {batch[0]['seq']}", status=200)
    # beyond this batch: the station had the next one too (this answer was lost and the batch resent)
    sent = _pending_upto(batch, reply.acked) if reply.acked <= batch[-1]["seq"] else \
        replication.pending_count(store, upto=reply.acked)
    if forking.held_beyond_us(store, reply.acked):       # a copy: the original wrote more since
        result.pushed += sent
        forking.fork_at_station(ctx, batch[-1]["seq"], "restored")
        return False
    replication.acknowledge(store, reply.acked)
    result.pushed += sent
    result.conflicts += reply.conflicts
    report("push", result.pushed)
    return True


def _pending_upto(batch: list[dict], upto: int) -> int:
    return sum(1 for e in batch if e["state"] == "pending" and e["seq"] <= upto)


def _adopt(store, station_acked: int, batch: list[dict], result) -> None:
    """Take the station's view of what it holds: forward after a lost answer, back after a restore."""
    ours = replication.acked_seq(store)
    if station_acked > ours:
        result.pushed += replication.pending_count(store, upto=station_acked)
        replication.acknowledge(store, station_acked)
    elif station_acked < ours:
        log.warning("the station holds changes up to %d only, not %d (restored from a backup?): "
                    "sending the rest again and pulling everything afresh", station_acked, ours)
        # its record sequence went back too: our cursor may point past records we never had
        replication.rewind(store, station_acked, forget=(CURSOR_KEY,))
    else:
        raise StationError(f"the station reports a gap at {batch[0]['seq']} after {ours}", status=409)


def _set_aside(store, answer, batch: list[dict], result) -> None:
    """Changes the station refused go aside with its reason; the batch is then resent without them."""
    in_batch = {e["seq"]: e["state"] for e in batch}
    reasons = {}
    for rejection in answer.body["rejected"]:
        seq = rejection.get("seq")
        if in_batch.get(seq) == "pending":
            reasons[seq] = str(rejection.get("message") or rejection.get("code"))
    if not reasons:          # refusing what is already a skip marker: resending would loop
        raise StationError(answer.message, status=answer.status)
    replication.set_aside(store, reasons)
    result.set_aside += len(reasons)
