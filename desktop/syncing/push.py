"""The push loop: send the change log in contiguous batches until the station holds it all."""
from __future__ import annotations

import logging
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

    While the station merges one batch, a reader thread reads and encodes the next one (it
    only reads: what is stored changes only after an answer), so the two machines' work
    overlaps; a prepared batch is used only if it starts right after the stored ack."""
    with ThreadPoolExecutor(1, thread_name_prefix="push-reader") as reader:
        _push(ctx, result, report, reader)


def _prepare(store, limit: int, after: int) -> tuple[list[dict], protocol.EncodedBody | None]:
    batch = replication.wire_batch(store, limit, after)
    return batch, protocol.encode_ahead(batch_message(store.device_id, batch)) if batch else None


def _push(ctx, result, report, reader) -> None:
    store, batch_size, gaps = ctx.store, ctx.batch_size, 0
    report("push", 0)
    ahead = None                 # ((device, after, size), future of _prepare)
    while True:
        ctx.check_cancel()
        after = replication.acked_seq(store)
        if ahead is not None and ahead[0] == (store.device_id, after, batch_size):
            batch, body = ahead[1].result()
        else:
            batch, body = _prepare(store, batch_size, after)
        if not batch:
            return
        ahead = ((store.device_id, batch[-1]["seq"], batch_size),
                 reader.submit(_prepare, store, batch_size, batch[-1]["seq"]))
        answer = ctx.call("POST", "/v1/push", json_body=body, expect=(200, 403, 409, 413, 422))
        if answer.status == 200:
            gaps = 0
            try:
                reply = protocol.PushReply.model_validate(answer.body)
            except SchemaError as exc:
                raise StationError(f"unexpected push reply: {exc}", status=200) from exc
            before = replication.acked_seq(store)
            if reply.acked <= before:
                # the station applied nothing of a batch that starts right after our ack
                raise StationError(f"the station did not acknowledge batch {batch[0]['seq']}", status=200)
            sent = _pending_upto(batch, reply.acked)
            if forking.held_beyond_us(store, reply.acked):       # a copy: the original wrote more since
                result.pushed += sent
                forking.fork_at_station(ctx, batch[-1]["seq"], "restored")
                continue
            replication.acknowledge(store, reply.acked)
            result.pushed += sent
            result.conflicts += reply.conflicts
            report("push", result.pushed)
        elif answer.status == 409 and answer.code == "diverged":
            # the station holds another change at one of our sequences: this folder is a copy
            forking.fork_at_station(ctx, int(answer.body["diverged_at"]) - 1, "restored")
        elif answer.status == 409 and answer.code == "gap":
            gaps += 1
            if gaps > MAX_GAPS:
                raise StationError(answer.message, status=409)
            _adopt(store, int(answer.body.get("acked", 0)), batch, result)
        elif answer.status in (403, 422) and answer.body.get("rejected"):
            _set_aside(store, answer, batch, result)
        elif answer.status == 413 and batch_size > 1:
            batch_size = max(1, batch_size // 2)      # too big for this station: smaller batches
            log.info("batch too large; trying %d changes per batch", batch_size)
        else:
            ctx.transport.refuse(answer)


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
