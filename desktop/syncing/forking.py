"""When this folder is a copy of another laptop's (restored, copied), fork a new device at the station.

The signs, each seen in a station's answer: a push refused as `diverged` (the station holds
another change at one of our sequences), or the station holding more of this device than
the folder has ever written (an acked beyond our last sequence). Either way the station
registers a new device continuing after the last sequence both share, this folder moves its
unsent changes to it (desktop.store.identity) and pulls everything again.
"""
from __future__ import annotations

import logging
import socket

from pydantic import ValidationError as SchemaError

from desktop.store import identity
from sync import protocol
from sync.ids import new_id

from .errors import StationError

log = logging.getLogger(__name__)


def fork_at_station(ctx, keep_upto: int, reason: str) -> str:
    """Register a new device for this folder after `keep_upto`; store its login; move the rest to it.

    Station first: if the laptop dies before the local fork commits, the old device is
    still here and the next sync forks again (the unused device at the station is harmless)."""
    new = new_id()
    answer = ctx.call("POST", "/v1/devices/fork", expect=(200,), json_body={
        "device_id": new, "after": keep_upto, "device_name": socket.gethostname()[:100]})
    try:
        reply = protocol.LoginReply.model_validate(answer.body)
    except SchemaError as exc:
        raise StationError(f"unexpected fork reply: {exc}", status=answer.status) from exc
    ctx.keep_credentials(new, reply)
    identity.fork(ctx.store, keep_upto, reason, new)
    ctx.store.set_meta(**{identity.OWNER_KEY: reply.user})
    return new


last_seq = identity.last_seq


def held_beyond_us(store, station_acked: int | None) -> bool:
    """The station holds changes of this device that this folder never wrote: it is a copy."""
    return station_acked is not None and station_acked > identity.last_seq(store)
