"""After a sync, the laptop and the station compare what the laptop holds of its scope (sync.digest).

A difference is first taken for records placed elsewhere now (a household moved to another
village while this laptop held it): the station says where they went and the stale copies
follow. What still differs was lost on the way: the laptop pulls everything again. What
differs even then is kept in the status for a person to look at.
"""
from __future__ import annotations

import datetime as dt
import logging

import orjson

from desktop.store import replication, tally
from sync import digest

from .errors import StationError, StationUnreachable
from .pull import CURSOR_KEY, pull

log = logging.getLogger(__name__)
CHECK_KEY = "sync_check"     # meta: the last check, JSON {"ok", "types", "repulled", "at"}
WHEREABOUTS_CHUNK = 2000


def check(ctx, result, report) -> None:
    """Compare, repair what can be repaired, and record the outcome (meta CHECK_KEY, result.check)."""
    store = ctx.store
    # every sync, even one that moved nothing: a household moved out of this laptop's scope brings
    # nothing in a pull, and only a comparison finds the stale copy here
    exclude = tally.unsettled(store)
    if len(exclude) > digest.MAX_EXCLUDED:
        _record(store, result, None, [], False)          # too much in flight to compare: next time
        return
    try:
        answer = ctx.call("POST", "/v1/digest", json_body={"exclude": sorted(exclude)},
                          expect=(200, 404, 405, 501))
    except (StationError, StationUnreachable) as exc:    # the records are synced: the check waits
        log.info("end-of-sync check not made this time: %s", exc)
        return
    if answer.status != 200:                             # a station older than the check
        return
    scope_codes = [str(g) for g in answer.body.get("grids") or []]
    theirs = answer.body.get("types") or {}
    differs = digest.differing(tally.tally(store, scope_codes, exclude), theirs)
    repulled = False
    if differs:
        _follow_moves(ctx, differs, scope_codes, exclude)
        differs = digest.differing(tally.tally(store, scope_codes, exclude), theirs)
    if differs:
        log.warning("after the sync this laptop and the station differ in %s: pulling everything again",
                    ", ".join(differs))
        store.set_meta(**{CURSOR_KEY: None})
        pull(ctx, result, report)
        repulled = True
        differs = digest.differing(tally.tally(store, scope_codes, exclude), theirs)
        if differs:
            log.warning("still different after pulling everything again: %s", ", ".join(differs))
    _record(store, result, not differs, differs, repulled)


def _follow_moves(ctx, types: list[str], scope_codes: list[str], exclude) -> None:
    for record_type in types:
        ids = tally.in_scope_ids(ctx.store, record_type, scope_codes, exclude)
        for start in range(0, len(ids), WHEREABOUTS_CHUNK):
            answer = ctx.call("POST", "/v1/whereabouts", expect=(200,),
                              json_body={"type": record_type, "ids": ids[start:start + WHEREABOUTS_CHUNK]})
            rows = answer.body.get("rows") or []
            if rows:
                replication.apply_remote(ctx.store, rows)
                log.info("%d %s records here are now placed outside this laptop's scope: moved", len(rows),
                         record_type)


def _record(store, result, ok: bool | None, types: list[str], repulled: bool) -> None:
    outcome = {"ok": ok, "types": types, "repulled": repulled,
               "at": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
    store.set_meta(**{CHECK_KEY: orjson.dumps(outcome).decode()})
    result.check = outcome


def last_check(store) -> dict | None:
    raw = store.get_meta(CHECK_KEY)
    return orjson.loads(raw) if raw else None
