"""A bad line for FaultProxy: a bit rate each way, a one-way delay, and the connection cut every N bytes.

Each direction of each connection gets a Pipe: the proxy hands it what it read, and a
writer thread delivers each piece when the line would have (serialised at the rate,
shared by all connections in that direction, then `delay` later). Pieces are small
(the proxy reads 4 KiB at a time) so the pacing is smooth.
"""
from __future__ import annotations

import queue
import socket
import threading
import time

DRAINED = object()       # put after the last piece: close once everything before it is delivered


class Link:
    def __init__(self, rate_bps: float, delay_s: float, cut_every: int | None = None):
        self.rate_bps, self.delay_s, self.cut_every = rate_bps, delay_s, cut_every
        self.lock = threading.Lock()
        self.busy_until = {"up": 0.0, "down": 0.0}
        self.since_cut = 0
        self.cuts = 0

    @classmethod
    def rural(cls) -> Link:
        """256 kbit/s, 400 ms round trips, a cut every ~200 KB: the line of issue 8's bench."""
        return cls(256_000, 0.200, 200_000)

    def pipe(self, direction: str, target: socket.socket, close) -> Pipe:
        return Pipe(self, direction, target, close)

    def _schedule(self, direction: str, size: int) -> float:
        """When a piece of `size` bytes handed over now arrives at the far end."""
        with self.lock:
            start = max(time.monotonic(), self.busy_until[direction])
            self.busy_until[direction] = start + size * 8 / self.rate_bps
            return self.busy_until[direction] + self.delay_s

    def _allowance(self, size: int) -> tuple[int, bool]:
        """How much of a piece passes, and whether the line is cut right after it."""
        if self.cut_every is None:
            return size, False
        with self.lock:
            allowed = min(size, self.cut_every - self.since_cut)
            self.since_cut += allowed
            if self.since_cut < self.cut_every:
                return allowed, False
            self.since_cut = 0
            self.cuts += 1
            return allowed, True


class Pipe:
    """One direction of one connection through the link."""

    def __init__(self, link: Link, direction: str, target: socket.socket, close):
        self.link, self.direction, self.target, self.close = link, direction, target, close
        self.queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._deliver, daemon=True, name=f"link-{direction}").start()

    def put(self, piece: bytes) -> None:
        self.queue.put((self.link._schedule(self.direction, len(piece)), piece))

    def finish(self) -> None:
        self.queue.put((0.0, DRAINED))

    def _deliver(self) -> None:
        while True:
            due, piece = self.queue.get()
            if piece is DRAINED:
                self.close()
                return
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            allowed, cut = self.link._allowance(len(piece))
            try:
                self.target.sendall(piece[:allowed])
            except OSError:
                self.close()
                return
            if cut:
                self.close()              # the line dropped: both ends see the connection go
                return
