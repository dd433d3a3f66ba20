"""The pull loop: page through the station's records above our cursor, one transaction per page."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from pydantic import ValidationError as SchemaError

from desktop.store import replication
from sync import protocol

from . import forking
from .errors import StationError

CURSOR_KEY = "pull_cursor"


def pull(ctx, result, report, page_size: int | None = None) -> None:
    """Apply every page; each page's rows and its cursor commit together, and no page is kept.

    The next page is asked for while this one is written: the station's time then overlaps the
    laptop's (a village's first sync is half waiting otherwise). At most two pages are in memory,
    and a prefetched page is only a read: dropping it (an error, a fork) loses nothing."""
    store = ctx.store
    report("pull", 0)
    forked = False
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-page") as fetcher:
        cursor = int(store.get_meta(CURSOR_KEY, "0"))
        growing, page_size = page_size is None, page_size or protocol.DEFAULT_PAGE
        coming = fetcher.submit(_page, ctx, cursor, page_size)
        while True:
            ctx.check_cancel()
            answer, page = coming.result()
            if not forked and forking.held_beyond_us(store, page.acked):
                # the station holds more of this device than this folder wrote (restored from a
                # backup): a new device, and everything again, the original's own records included
                forking.fork_at_station(ctx, forking.last_seq(store), "restored")
                forked = True
                cursor = int(store.get_meta(CURSOR_KEY, "0"))
                coming = fetcher.submit(_page, ctx, cursor, page_size)
                continue
            rows = answer.body["rows"]          # validated in _page; plain dicts are what the store takes
            if page.more and page.cursor <= cursor:
                raise StationError(f"the station's cursor did not move past {cursor}", status=answer.status)
            cursor = max(page.cursor, cursor)
            if page.more:
                if growing and len(rows) >= page_size:
                    page_size = next_page_size(page_size)
                coming = fetcher.submit(_page, ctx, cursor, page_size)
            replication.apply_remote(store, rows, CURSOR_KEY, cursor)
            result.pulled += len(rows)
            report("pull", result.pulled)
            if not page.more:
                return
            del rows, page, answer               # bounded memory: two pages at a time


def _page(ctx, cursor: int, page_size: int):
    """(answer, its validated page) of the records above `cursor` (on the fetching thread)."""
    answer = ctx.call("GET", "/v1/pull", params={"cursor": cursor, "limit": page_size})
    try:
        return answer, protocol.PullPage.model_validate(answer.body)
    except SchemaError as exc:
        raise StationError(f"unexpected pull page: {exc}", status=answer.status) from exc



def next_page_size(size: int) -> int:
    """Double the page while pages come back full, up to the station's largest: a village's first
    sync then commits a dozen times, not 46 (each commit flushes and merges the search index: a
    quarter of the time), while a day's few changes still come in one small page, a weak link
    retries little, and no page holds the write lock long while a form saves (~1 s at 5,000)."""
    return min(size * 2, protocol.MAX_PAGE)
