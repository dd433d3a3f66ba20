"""A TCP proxy in front of the station that loses requests and cuts answers short, on demand.

It speaks no HTTP beyond spotting the request line a rule names (b"POST /v1/push"):
requests does not pipeline, so the bytes that come back on that connection after
such a request are its answer. With a `link` (tests/support/link.py) the bytes also
cross a slow, far line that drops the connection every N bytes (bench/bench_link.py).
It counts the bytes each way: `bytes_up` (client -> station) and `bytes_down`.
It can also misbehave as a hostile station or middlebox would: drip an answer a byte at
a time, hold it back, or answer itself with canned bytes (a redirect, a gzip bomb).
"""
from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass


@dataclass
class Rule:
    match: bytes               # the start of the request line, e.g. b"POST /v1/push"
    action: str                # "drop": close before forwarding | "cut": forward `after` bytes of the answer
    after: int = 0             #  | "call": forward, then call `callback` (to kill the station mid-request)
    #                            | "drip": forward the answer one byte every `every` s | "delay": hold it `every` s
    #                            | "answer": send `canned` instead of forwarding, then close
    every: float = 0.0
    canned: bytes = b""
    times: int = 1
    callback: object = None
    skip: int = 0              # matching requests to let through before the rule applies


class FaultProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1", link=None):
        self.upstream = (upstream_host, upstream_port)
        self.link = link
        self.bytes_up = self.bytes_down = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.rules: list[Rule] = []
        self.fired = {"drop": 0, "cut": 0, "call": 0, "drip": 0, "delay": 0, "answer": 0}
        self.truncated = 0         # answers actually cut short (an answer shorter than `after` is not)
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.running = True
        threading.Thread(target=self._accept, daemon=True, name="fault-proxy").start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def drop_requests(self, match: bytes = b"POST /v1/push", times: int = 1) -> None:
        """Lose the next `times` matching requests: the station never sees them."""
        with self.lock:
            self.rules.append(Rule(match, "drop", times=times))

    def cut_responses(self, after: int, match: bytes = b"POST /v1/push", times: int = 1) -> None:
        """Let the next `times` matching requests through, then drop their answers after `after` bytes."""
        with self.lock:
            self.rules.append(Rule(match, "cut", after=after, times=times))

    def on_request(self, callback, match: bytes = b"POST /v1/push", skip: int = 0) -> None:
        """Call `callback()` once the matching request after `skip` others has been forwarded."""
        with self.lock:
            self.rules.append(Rule(match, "call", callback=callback, skip=skip))

    def drip_responses(self, every: float, match: bytes = b"GET /v1/pull", times: int = 1) -> None:
        """Forward the answers of the next `times` matching requests one byte every `every` seconds."""
        with self.lock:
            self.rules.append(Rule(match, "drip", times=times, every=every))

    def delay_responses(self, seconds: float, match: bytes = b"POST /v1/push", times: int = 1) -> None:
        """Hold back the answers of the next `times` matching requests for `seconds`."""
        with self.lock:
            self.rules.append(Rule(match, "delay", times=times, every=seconds))

    def answer(self, canned: bytes, match: bytes = b"GET /v1/pull", times: int = 1) -> None:
        """Answer the next `times` matching requests with `canned` (raw HTTP) without asking the station."""
        with self.lock:
            self.rules.append(Rule(match, "answer", times=times, canned=canned))

    def clear(self) -> None:
        with self.lock:
            self.rules.clear()

    def close(self) -> None:
        self.running = False
        self.listener.close()
        with self.lock:
            for sock in list(self.sockets):
                _shut(sock)

    # -- plumbing ---------------------------------------------------------------------
    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.upstream, timeout=10)
                upstream.settimeout(None)
            except OSError:
                _shut(client)
                continue
            with self.lock:
                self.sockets.update((client, upstream))
            state = {"cut_after": None}
            if self.link is not None:
                close = lambda c=client, u=upstream: self._close(c, u)   # noqa: E731
                state["up"] = self.link.pipe("up", upstream, close)
                state["down"] = self.link.pipe("down", client, close)
            threading.Thread(target=self._requests, args=(client, upstream, state), daemon=True).start()
            threading.Thread(target=self._answers, args=(client, upstream, state), daemon=True).start()

    def _take_rule(self, chunk: bytes) -> Rule | None:
        with self.lock:
            for rule in self.rules:
                if chunk.startswith(rule.match):
                    if rule.skip:
                        rule.skip -= 1
                        return None
                    rule.times -= 1
                    if rule.times <= 0:
                        self.rules.remove(rule)
                    self.fired[rule.action] += 1
                    return rule
        return None

    def _requests(self, client, upstream, state) -> None:
        try:
            while chunk := client.recv(self._piece):
                with self.lock:
                    self.bytes_up += len(chunk)
                rule = self._take_rule(chunk)
                if rule is not None and rule.action == "drop":
                    break
                if rule is not None and rule.action == "cut":
                    state["cut_after"] = rule.after
                if rule is not None and rule.action in ("drip", "delay"):
                    state[rule.action] = rule.every
                if rule is not None and rule.action == "answer":
                    self._canned(client, rule.canned)
                    break
                self._send(state, "up", upstream, chunk)
                if rule is not None and rule.action == "call":
                    rule.callback()
        except OSError:
            pass
        self._done(state, "up", client, upstream)

    def _answers(self, client, upstream, state) -> None:
        try:
            while chunk := upstream.recv(self._piece):
                with self.lock:
                    self.bytes_down += len(chunk)
                if state.get("delay"):
                    time.sleep(state.pop("delay"))
                if state.get("drip"):
                    self._drip(state, client, chunk)
                    continue
                left = state["cut_after"]
                if left is not None:
                    if len(chunk) > left:
                        self._send(state, "down", client, chunk[:left])
                        with self.lock:
                            self.truncated += 1
                        break
                    state["cut_after"] = (left - len(chunk)) or None
                self._send(state, "down", client, chunk)
        except OSError:
            pass
        self._done(state, "down", client, upstream)

    @property
    def _piece(self) -> int:
        return 4096 if self.link is not None else 65536      # small pieces pace a slow line smoothly

    @staticmethod
    def _send(state, direction: str, target, chunk: bytes) -> None:
        pipe = state.get(direction)
        if pipe is None:
            target.sendall(chunk)
        else:
            pipe.put(chunk)

    def _drip(self, state, client, chunk: bytes) -> None:
        for i in range(len(chunk)):
            if not self.running:
                raise OSError("proxy closed")
            self._send(state, "down", client, chunk[i:i + 1])
            time.sleep(state["drip"])

    def _canned(self, client, canned: bytes) -> None:
        """Send a canned answer, as fast as the client takes it (it may stop reading: that is fine)."""
        try:
            for start in range(0, len(canned), 65536):
                client.sendall(canned[start:start + 65536])
        except OSError:
            pass

    def _done(self, state, direction: str, client, upstream) -> None:
        """One side is finished: close now, or (on a link) once what is on the line has arrived."""
        pipe = state.get(direction)
        if pipe is None:
            self._close(client, upstream)
        else:
            pipe.finish()

    def _close(self, *socks) -> None:
        with self.lock:
            for sock in socks:
                self.sockets.discard(sock)
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
