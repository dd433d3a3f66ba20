"""The pull loop: page through the station's records above our cursor, one transaction per page."""
from __future__ import annotations

from pydantic import ValidationError as SchemaError

from desktop.store import replication
from sync import protocol

from . import forking
from .errors import StationError

CURSOR_KEY = "pull_cursor"


def pull(ctx, result, report, page_size: int = protocol.DEFAULT_PAGE) -> None:
    """Apply every page; each page's rows and its cursor commit together, and no page is kept."""
    store = ctx.store
    report("pull", 0)
    forked = False
    while True:
        ctx.check_cancel()
        cursor = int(store.get_meta(CURSOR_KEY, "0"))
        answer = ctx.call("GET", "/v1/pull", params={"cursor": cursor, "limit": page_size})
        try:
            page = protocol.PullPage.model_validate(answer.body)
        except SchemaError as exc:
            raise StationError(f"unexpected pull page: {exc}", status=answer.status) from exc
        if not forked and forking.held_beyond_us(store, page.acked):
            # the station holds more of this device than this folder wrote (restored from a
            # backup): a new device, and everything again, the original's own records included
            forking.fork_at_station(ctx, forking.last_seq(store), "restored")
            forked = True
            continue
        rows = answer.body["rows"]          # validated above; plain dicts are what the store takes
        if page.more and page.cursor <= cursor:
            raise StationError(f"the station's cursor did not move past {cursor}", status=answer.status)
        replication.apply_remote(store, rows, CURSOR_KEY, max(page.cursor, cursor))
        result.pulled += len(rows)
        report("pull", result.pulled)
        if not page.more:
            return
        del rows, page, answer               # bounded memory: one page at a time
