"""`serve` forwards by itself: a background task that forwards to the upper station every little while.

Each round pushes what is pending and pulls what changed above (a pull with nothing new is one
small request). When the upper station does not answer, or refuses, the wait doubles up to a
limit, so a township whose county is down does not hammer it, and the first round after it
comes back catches up. Local writes go through the station's write queue, like every push.
"""
from __future__ import annotations

import asyncio
import logging
import threading

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool

from . import db, upstream, upstream_sync
from .errors import StationError
from .write_queue import WriteQueue

log = logging.getLogger("gridbook.station.upstream")


class Forwarder:
    def __init__(self, engine: Engine, writes: WriteQueue, interval: float, longest: float):
        self.engine, self.writes = engine, writes
        self.interval, self.longest = interval, max(longest, interval)
        self.stopping = threading.Event()
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        self.stopping.set()                 # a round in progress stops at its next batch or page
        if self.task is not None:
            self.task.cancel()
            with _quiet():
                await self.task

    async def _run(self) -> None:
        wait = self.interval
        while not self.stopping.is_set():
            await asyncio.sleep(wait)
            try:
                counts = await run_in_threadpool(self.once)
                wait = self.interval
                if counts and (counts["pushed"] or counts["applied"] or counts["set_aside"]):
                    log.info("forwarded to the upper station: %s", counts)
            except upstream.Unreachable as exc:
                wait = min(wait * 2, self.longest)
                log.warning("upper station unreachable (%s); next try in %.1f s", exc.detail, wait)
            except (StationError, DBAPIError) as exc:
                wait = min(wait * 2, self.longest)
                log.warning("forwarding refused or failed (%s); next try in %.1f s", exc, wait)
            except Exception:               # a forwarder that dies would leave the station silent upward
                wait = min(wait * 2, self.longest)
                log.exception("forwarding failed; next try in %.1f s", wait)

    def once(self) -> dict | None:
        """One round if linked (None if not), its local writes on the station's writer."""
        with db.reading(self.engine) as conn:
            link = upstream.current(conn)
            if link is None or link.url == upstream.FILE_URL:       # by file: forwarded by hand
                return None
        return upstream_sync.forward(self.engine, write=self.writes.call, stop=self.stopping.is_set)


class _quiet:
    def __enter__(self):
        return self

    def __exit__(self, kind, _value, _tb):
        return kind is not None and issubclass(kind, asyncio.CancelledError)
