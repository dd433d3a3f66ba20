"""One writer for the station: write jobs first come, first served, several committed together.

Every HTTP write (push, login, fork, resolution, setting, photo chunk) is a job `fn(conn)`
run by one thread, in the order the jobs arrived. SQLite has one write lock and its
waiters sleep and retry (with 30 laptops the unlucky ones waited 3 s, with 50 up to 26 s);
here nobody waits on the lock: they wait in line. Whatever is waiting when the writer is
free goes into one transaction, each job inside its own savepoint, so a refused batch
(a StationError) is rolled back alone and the others commit with the group. Anything
unexpected (a database error) abandons the group's transaction and runs each of its jobs
again in a transaction of its own, so one job's failure is never another's. A job's answer
is given only after its transaction committed.

Urgent jobs (logins) go before the line: they are small, and a laptop waiting to log in
must not wait for a hundred pushes. Reads never come here (db.reading, WAL readers).
"""
from __future__ import annotations

import asyncio
import collections
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine

from .errors import StationError

log = logging.getLogger(__name__)
GROUP_WEIGHT = 4_000          # changes in one group transaction, at most
GROUP_JOBS = 32


@dataclass
class Job:
    fn: Callable[[Connection], Any]
    weight: int = 1
    future: Future = field(default_factory=Future)


class WriteQueue:
    def __init__(self, engine: Engine, group_weight: int = GROUP_WEIGHT, group_jobs: int = GROUP_JOBS):
        self.engine = engine
        self.group_weight, self.group_jobs = group_weight, group_jobs
        self._line: collections.deque[Job] = collections.deque()
        self._urgent: collections.deque[Job] = collections.deque()
        self._ready = threading.Condition()
        self._closed = False
        self.groups = self.grouped_jobs = 0            # statistics: transactions, jobs that shared one
        self._thread = threading.Thread(target=self._serve, name="station-writer", daemon=True)
        self._thread.start()

    # -- callers ----------------------------------------------------------------------------
    def submit(self, fn: Callable[[Connection], Any], weight: int = 1, urgent: bool = False) -> Future:
        job = Job(fn, max(1, weight))
        with self._ready:
            if self._closed:
                raise RuntimeError("the station's writer has stopped")
            (self._urgent if urgent else self._line).append(job)
            self._ready.notify()
        return job.future

    def call(self, fn: Callable[[Connection], Any], weight: int = 1, urgent: bool = False) -> Any:
        """Run `fn` as a write job and wait for its committed result (from a worker thread)."""
        return self.submit(fn, weight, urgent).result()

    def run(self, fn: Callable[[Connection], Any], weight: int = 1, urgent: bool = False) -> asyncio.Future:
        """Queue `fn` as a write job now; await the result on the event loop without holding a thread."""
        return asyncio.wrap_future(self.submit(fn, weight, urgent))

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify()
        self._thread.join(30)

    # -- the writer ---------------------------------------------------------------------------
    def _take(self) -> list[Job] | None:
        """The next group: urgent jobs first, then the line in arrival order, within the bounds."""
        with self._ready:
            while not (self._urgent or self._line or self._closed):
                self._ready.wait()
            if self._closed and not (self._urgent or self._line):
                return None
            group: list[Job] = []
            weight = 0
            for source in (self._urgent, self._line):
                while source and len(group) < self.group_jobs and \
                        (not group or weight + source[0].weight <= self.group_weight):
                    job = source.popleft()
                    group.append(job)
                    weight += job.weight
            return group

    def _serve(self) -> None:
        while (group := self._take()) is not None:
            try:
                if len(group) == 1:
                    self._alone(group[0])
                else:
                    self._together(group)
            except BaseException as exc:          # the writer must outlive any one job
                log.exception("writer: a group failed outside its jobs")
                for job in group:
                    if not job.future.done():
                        job.future.set_exception(exc)

    def _alone(self, job: Job) -> None:
        try:
            with self.engine.begin() as conn:
                value = job.fn(conn)
        except BaseException as exc:
            job.future.set_exception(exc)
        else:
            job.future.set_result(value)
        self.groups += 1

    def _together(self, group: list[Job]) -> None:
        outcomes: list[tuple[Job, Any, BaseException | None]] = []
        try:
            with self.engine.begin() as conn:
                for job in group:
                    savepoint = conn.begin_nested()
                    try:
                        value = job.fn(conn)
                    except StationError as refusal:       # refused: nothing of this job stays
                        savepoint.rollback()
                        outcomes.append((job, None, refusal))
                    else:
                        savepoint.commit()
                        outcomes.append((job, value, None))
        except Exception as exc:
            # the group's transaction is lost (a database error in one job, or at commit):
            # every job again on its own, so the failure stays with the job that has it
            log.info("writer: a group of %d failed (%r); running its jobs one by one", len(group), exc)
            for job in group:
                self._alone(job)
            return
        self.groups += 1
        self.grouped_jobs += len(group)
        for job, value, refused in outcomes:
            if refused is not None:
                job.future.set_exception(refused)
            else:
                job.future.set_result(value)


class DeviceTurns:
    """A device's batches go into the line in sequence order (event loop only).

    A laptop sends its next batch before the answer to the one before it, naming that one's last
    sequence (protocol.BEHIND_HEADER); on two connections the second may arrive, or be decoded,
    first. It then waits here, briefly, until the batch it follows is in the line; should that
    never come, it goes on and meets the usual 409 gap."""

    WAIT_S = 2.0

    def __init__(self) -> None:
        self.upto: dict[str, int] = {}                     # device -> last sequence put in the line
        self._moved: dict[str, asyncio.Event] = {}

    async def after(self, device: str, seq: int, acked: int) -> None:
        """Return once the device's batch ending at `seq` is in the line (or written), or WAIT_S later."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.WAIT_S
        while max(acked, self.upto.get(device, 0)) < seq:
            moved = self._moved.setdefault(device, asyncio.Event())
            try:
                await asyncio.wait_for(moved.wait(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                return

    def queued(self, device: str, last: int) -> None:
        if last > self.upto.get(device, 0):
            self.upto[device] = last
        moved = self._moved.pop(device, None)
        if moved is not None:
            moved.set()
