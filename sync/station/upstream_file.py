"""Forwarding by sync file, when there is no link at all: the laptops' USB transport, spoken by a station.

`sync --export FILE` takes what changed into the outbox and writes it (every batch from what the
upper station acknowledged), with this station's conflicts to tell and the devices below it, and
the pull cursor; `import FILE --user ACCOUNT` at the upper station applies it like a laptop's file
(filesync; the account is the lower station's, role station) and writes the reply; `sync --import
REPLY` here takes the acknowledgement, sets aside what was refused, merges what came down and the
conflicts' resolutions. Every step is idempotent: a file or a reply imported twice changes nothing.
A station forwarding by file is linked with `upstream --by-file --user ACCOUNT --grids CODES`.
"""
from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import Engine

from sync import protocol
from sync.ids import new_id
from sync.syncfile import read, write

from . import db, upstream, upstream_below, upstream_conflicts, upstream_outbox, upstream_pull
from .errors import StationError

FILE_URL = upstream.FILE_URL


def link_by_file(engine: Engine, user: str, grids: list[str]) -> upstream.Link:
    """Link for forwarding by file: a new device of `user` (registered at the upper station on the first
    import), this station's scope there given here, as the upper station's admin gave it the account."""
    if not user or not grids:
        raise StationError(422, "upstream_not_linked")
    device = new_id()
    with engine.begin() as conn:
        upstream._forget(conn)
        upstream.set_values(conn, url=FILE_URL, user=user, device=device, token="file", secret="", ca="",
                            grids=orjson.dumps(grids).decode(), acked=0, numbered=0, taken=0, cursor=0, last_ms=0,
                            retried_ms=db.now_ms())
    return upstream.Link(FILE_URL, user, device, "file", None, grids)


def _linked(conn) -> upstream.Link:
    link = upstream.current(conn)
    if link is None:
        raise StationError(422, "upstream_not_linked")
    return link


def export(engine: Engine, path: str | Path, batch_size: int = protocol.DEFAULT_BATCH) -> dict:
    """Write everything not acknowledged, the conflicts to tell, the devices below; return the counts."""
    with engine.begin() as conn:
        while upstream_outbox.take(conn):
            pass
    with db.reading(engine) as conn:
        link = _linked(conn)
        changes = upstream_outbox.batch(conn, upstream.number(conn, "acked"), size=1 << 62)
        sent: list[dict] = []
        asked: list[int] = []
        after = 0
        while True:
            more, ask, last = upstream_conflicts.to_send(conn, link.grids, after)
            if last is None:
                break
            sent, asked, after = sent + more, asked + ask, last
        below = upstream_below.devices_below(conn)
        payload = {"device": link.device, "user": link.user, "cursor": upstream.number(conn, "cursor"),
                   "device_secret": upstream.setting(conn, "secret") or None,
                   "batches": [{"device": link.device, "first": part[0]["seq"], "last": part[-1]["seq"],
                                "changes": part} for part in _parts(changes, batch_size)],
                   "upstream": {"conflicts": sent, "ask": asked, "below": below}}
    write(path, "push", payload)
    return {"file": str(path), "changes": sum(1 for c in changes if "skip" not in c), "conflicts": len(sent)}


def _parts(changes: list[dict], size: int) -> list[list[dict]]:
    return [changes[n:n + size] for n in range(0, len(changes), size)]


def import_reply(engine: Engine, path: str | Path) -> dict:
    """Take the upper station's reply: acknowledgement, refusals set aside, rows merged, resolutions."""
    reply = read(path, "reply")
    with engine.begin() as conn:
        db.lock_writers(conn)
        link = _linked(conn)
        if reply.get("device") != link.device:
            raise StationError(422, "upstream_file_other", device=str(reply.get("device")))
        if reply.get("diverged_at") is not None:
            raise StationError(409, "upstream_file_diverged", seq=reply["diverged_at"])
        if reply.get("device_secret"):
            upstream.set_values(conn, secret=reply["device_secret"])
        refused = {int(r["seq"]): str(r.get("code") or "refused") for r in reply.get("rejected") or []}
        upstream_outbox.set_aside(conn, refused)
        upstream_outbox.acknowledged(conn, int(reply.get("acked") or 0))
        up = reply.get("upstream") or {}
        resolved_above = upstream_conflicts.told(conn, up.get("conflicts") or [], up.get("ask") or [], up,
                                                 link.user) if up else 0
        if up.get("below") is not None:
            upstream_below.sent(conn, up["below"])
        applied = upstream_pull.apply_page(conn, reply.get("rows") or [], int(reply.get("cursor") or 0))
        upstream.set_values(conn, last_ms=db.now_ms())
    return {"acked": int(reply.get("acked") or 0), "set_aside": len(refused), "pulled": len(reply.get("rows") or []),
            "applied": applied, "conflicts_resolved_above": resolved_above}


def answer_upstream(conn, caller, payload: dict) -> dict | None:
    """At the upper station, importing a station's file: its conflicts and devices below, as over HTTP;
    the reply carries back what the lower station needs to take the answer (what it sent, the resolutions)."""
    up = payload.get("upstream")
    if caller.role != "station" or not isinstance(up, dict):
        return None
    sent, ask = list(up.get("conflicts") or []), list(up.get("ask") or [])
    answer: dict = {"resolved": {}, "refused": [], "conflicts": [], "ask": []}
    for n in range(0, max(len(sent), len(ask), 1), upstream_conflicts.PAGE):
        body = upstream_conflicts.ConflictsUp.model_validate({"conflicts": sent[n:n + upstream_conflicts.PAGE],
                                                             "ask": ask[n:n + upstream_conflicts.PAGE]})
        part = upstream_conflicts.receive(conn, caller, body)
        answer["resolved"].update(part["resolved"])
        answer["refused"] += part["refused"]
        answer["conflicts"] += [c.model_dump() for c in body.conflicts]
        answer["ask"] += body.ask
    below = upstream_below.Below.model_validate({"devices": up.get("below") or []})
    upstream_below.receive(conn, caller, below)
    return {**answer, "below": below.devices}
