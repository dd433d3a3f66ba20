"""Forward once: take what changed here into the outbox, push it up in batches, then pull what changed above.

The laptop's protocol, spoken by a station: contiguous batches of its outbound sequence, the
upper station's `acked` kept here with what it acknowledged, 409 gap answered by taking
everything again from what the upper station holds, refused changes set aside and sent as skip
markers; then pull pages merged here, each with its cursor in one transaction. Every step is
committed as it goes, so a forward cut short anywhere resumes where it stopped, and repeating one
changes nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import Connection, Engine

from sync import protocol
from sync.ids import new_id

from . import db, upstream, upstream_below, upstream_conflicts, upstream_outbox, upstream_photos, upstream_pull
from .errors import StationError

Write = Callable[[Callable[[Connection], Any]], Any]


def _begin(engine: Engine) -> Write:
    def write(fn: Callable[[Connection], Any]) -> Any:
        with engine.begin() as conn:
            return fn(conn)
    return write


def _json(reply) -> dict:
    try:
        body = reply.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def forward(engine: Engine, write: Write | None = None, lang: str | None = None,
            batch_size: int = protocol.DEFAULT_BATCH, stop: Callable[[], bool] = lambda: False) -> dict:
    """Push then pull once; {"pushed", "set_aside", "pulled", "applied"}. Unreachable if the upper
    station does not answer; StationError if it refuses this station (not linked, revoked, ...).
    write: runs a function in a transaction (the station's write queue under serve); stop: asked
    between batches and pages (the station is shutting down)."""
    write = write or _begin(engine)
    with db.reading(engine) as conn:
        link = upstream.current(conn)
    if link is None:
        raise StationError(422, "upstream_not_linked")
    if link.url == upstream.FILE_URL:
        raise StationError(422, "upstream_by_file")
    session = upstream.session(link.ca)
    session.headers["Accept-Language"] = "en" if lang == "en" else "zh-CN"
    counts = {"pushed": 0, "set_aside": 0, "pulled": 0, "applied": 0, "conflicts_sent": 0,
              "conflicts_resolved_above": 0, "not_sent_back": 0, "retried": 0, "photos": 0}
    try:
        _take_all(write)
        link, restarted = _push(engine, write, session, link, counts, batch_size, stop)
        _conflicts(engine, write, session, link, counts, stop)
        counts["photos"] = upstream_photos.send(engine, write, session, link, stop)     # after their records
        _name_below(engine, write, session, link, restarted)
        came_down = _pull(engine, write, session, link, counts, stop)
        counts["retried"] = write(partial(_retry, grids=came_down))
        if counts["retried"]:
            _push(engine, write, session, link, counts, batch_size, stop)
    finally:
        session.close()
    write(partial(upstream.set_values, last_ms=db.now_ms()))
    return counts


def _take_all(write: Write) -> None:
    while write(upstream_outbox.take):
        pass


def _push(engine: Engine, write: Write, session, link: upstream.Link, counts: dict, size: int,
          stop: Callable[[], bool]) -> tuple[upstream.Link, bool]:
    """Push the outbox; return the link (a new device if this station had to fork one), and whether it
    had to start again (the upper station or this one was restored)."""
    restarted = False
    while not stop():
        with db.reading(engine) as conn:
            changes = upstream_outbox.batch(conn, upstream.number(conn, "acked"), size)
        if not changes:
            return link, restarted
        body = {"device": link.device, "first": changes[0]["seq"], "last": changes[-1]["seq"], "changes": changes}
        reply = upstream.call(session, link.url, "POST", "/v1/push", link.token, data=protocol.encode(body),
                              headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})
        answer = _json(reply)
        if reply.status_code == 200:
            acked = int(answer["acked"])
            write(partial(upstream_outbox.acknowledged, acked=acked))
            counts["pushed"] += sum(1 for c in changes if "skip" not in c)
        elif reply.status_code == 409 and answer.get("code") == "gap" and not restarted:
            restarted = True            # the upper station was restored from a backup: send it everything again
            held = int(answer.get("acked", 0))
            write(partial(upstream_outbox.restart, acked=held))
            _take_all(write)
        elif reply.status_code == 409 and answer.get("code") == "diverged" and not restarted:
            restarted = True            # this station was restored from a backup: go on as a new device
            link = _fork(session, link, write)
            write(partial(upstream_outbox.restart, acked=0))
            _take_all(write)
        elif reply.status_code in (403, 422) and answer.get("rejected"):
            refused = {int(r["seq"]): str(r.get("code") or "refused") for r in answer["rejected"]}
            write(partial(upstream_outbox.set_aside, refused=refused))
            counts["set_aside"] += len(refused)
        else:
            raise upstream.refused(reply)
    return link, restarted


def _name_below(engine: Engine, write: Write, session, link: upstream.Link, restarted: bool) -> None:
    """Tell the upper station which devices are below this one (when that changed), so it does not send
    their stamps back down; after a restore, none this round: this station may have lost some of them."""
    with db.reading(engine) as conn:
        devices = [] if restarted else upstream_below.to_send(conn)
    if devices is None:
        return
    reply = upstream.call(session, link.url, "POST", "/v1/upstream/below", link.token, json={"devices": devices})
    if reply.status_code != 200:
        raise upstream.refused(reply)
    write(partial(upstream_below.sent, devices=devices))


def _conflicts(engine: Engine, write: Write, session, link: upstream.Link, counts: dict,
               stop: Callable[[], bool]) -> None:
    """After the records they are about: this station's conflicts up, the upper station's resolutions back."""
    after = 0
    while not stop():
        with db.reading(engine) as conn:
            sent, asked, last = upstream_conflicts.to_send(conn, link.grids, after)
        if last is None:
            return
        if sent or asked:
            reply = upstream.call(session, link.url, "POST", "/v1/upstream/conflicts", link.token,
                                  json={"conflicts": sent, "ask": asked})
            if reply.status_code != 200:
                raise upstream.refused(reply)
            counts["conflicts_resolved_above"] += write(partial(
                upstream_conflicts.told, sent=sent, asked=asked, reply=_json(reply), above=link.user))
            counts["conflicts_sent"] += len(sent)
        after = last


def _fork(session, link: upstream.Link, write: Write) -> upstream.Link:
    """A new device at the upper station for this station's account (the upper station keeps the old
    one's changes); everything is then sent again under it, and the upper station's merge takes each
    change once. Upper station first: killed before the local write, the next forward forks again."""
    device = new_id()
    reply = upstream.call(session, link.url, "POST", "/v1/devices/fork", link.token,
                          json={"device_id": device, "after": 0, "device_name": "station"})
    if reply.status_code != 200:
        raise upstream.refused(reply)
    body = _json(reply)
    write(partial(upstream.set_values, device=device, token=body["token"], secret=body.get("device_secret") or ""))
    return upstream.Link(link.url, link.user, device, body["token"], link.ca, link.grids)


RETRY_EVERY_MS = 3_600_000


def _retry(conn: Connection, grids: set[str]) -> int:
    """Set-aside changes go again once their refusal may have gone: those of grids the upper station just
    handed down, and all of them once an hour."""
    if upstream.number(conn, "retried_ms") + RETRY_EVERY_MS <= db.now_ms():
        upstream.set_values(conn, retried_ms=db.now_ms())
        return upstream_outbox.retry(conn)
    return upstream_outbox.retry(conn, grids) if grids else 0


def _pull(engine: Engine, write: Write, session, link: upstream.Link, counts: dict,
          stop: Callable[[], bool]) -> set[str]:
    """Pull and merge every page; return the codes of the grids that came down."""
    grids: set[str] = set()
    while not stop():
        with db.reading(engine) as conn:
            cursor = upstream.number(conn, "cursor")
        reply = upstream.call(session, link.url, "GET", "/v1/pull", link.token,
                              params={"cursor": cursor, "limit": protocol.DEFAULT_PAGE})
        if reply.status_code != 200:
            raise upstream.refused(reply)
        page = _json(reply)
        rows = page.get("rows", [])
        counts["applied"] += write(partial(upstream_pull.apply_page, rows=rows, cursor=int(page["cursor"])))
        counts["pulled"] += len(rows)
        counts["not_sent_back"] += int(page.get("held_back") or 0)
        grids.update(r["id"] for r in rows if r.get("type") == "grid")
        if not page.get("more"):
            break
    return grids


def status(engine: Engine) -> dict:
    """The link, what waits to go up, what was set aside, and the last forward."""
    with db.reading(engine) as conn:
        link = upstream.current(conn)
        if link is None:
            return {"linked": False}
        return {"linked": True, "station": link.url, "user": link.user, "device": link.device, "grids": link.grids,
                **upstream_outbox.pending(conn), "last_sync_ms": upstream.number(conn, "last_ms") or None}
