"""HTTP to the station: one requests.Session, gzip bodies, version headers, bounded retries.

Retrying is safe for every call the client makes: a push is idempotent on (device,
seq) at the station, a pull only reads, and a repeated login registers the same device.
Nothing the other end does can hold the laptop: each request has an overall deadline
(deadline.py) and each sync one more (`overall()`), an answer is read and inflated only
up to `max_answer_bytes` (bounded.py), and no redirect is ever followed.
"""
from __future__ import annotations

import contextlib
import ipaddress
import logging
import random
import socket
import threading
import time
from collections.abc import Iterator
from typing import NoReturn
from urllib.parse import urlsplit

import orjson
import requests
import urllib3

from sync import messages, protocol

from . import bounded, deadline
from .errors import (
    AnswerTooLarge,
    AuthFailed,
    Cancelled,
    ClockAhead,
    Redirected,
    RequestDeadline,
    StationError,
    StationUnreachable,
    StationUntrusted,
    SyncDeadline,
    SyncError,
    VersionMismatch,
)

log = logging.getLogger(__name__)
# Network failures worth another try: the request may not have arrived, or its answer was lost.
RETRYABLE = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
             requests.exceptions.ContentDecodingError)
LAN_SUFFIXES = (".local", ".lan", ".internal", ".home.arpa", ".localdomain")
# A pull page or push reply is a few MB at most (protocol.MAX_PAGE rows); more is not a station's answer.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
REQUEST_SECONDS = 300.0       # one request with its answer, however slowly the bytes come
SYNC_SECONDS = 1800.0         # one whole sync; what was committed stays and the next one resumes


class NoRedirectSession(requests.Session):
    """A session that follows no redirect, whoever calls it."""

    def request(self, method, url, *args, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)


def make_session(session: requests.Session | None = None) -> requests.Session:
    """The session every request to the station goes through: deadlines enforced, no redirects."""
    session = session or NoRedirectSession()
    adapter = deadline.WatchedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _tls_reason(exc: requests.exceptions.SSLError) -> str:
    """The certificate problem in a few words (urllib3 wraps it in several layers of text)."""
    text = str(exc)
    for reason in ("self-signed certificate in certificate chain", "self-signed certificate",
                   "unable to get local issuer certificate", "certificate has expired", "Hostname mismatch",
                   "IP address mismatch", "certificate verify failed"):
        if reason.lower() in text.lower():
            return reason
    return text[:160]


def check_station_url(url: str) -> str:
    """The normalised station URL; https anywhere, http only on loopback or the local network."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError(code="client_bad_url", url=url)
    if parts.scheme == "http" and not _is_local(parts.hostname):
        raise SyncError(code="client_insecure_url", url=url)
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _is_local(host: str) -> bool:
    address = _address(host)
    if address is None:
        return host == "localhost" or "." not in host or host.endswith(LAN_SUFFIXES)
    return address.is_loopback or address.is_private or address.is_link_local


def _address(host: str):
    """The IP address a host name stands for if it is written as one, in any form the system's
    resolver takes: 8.8.8.8, but also 0x08080808, 134744072 or 8.0x8.8 (inet_aton's)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.ip_address(socket.inet_aton(host))
    except OSError:
        return None


class StationResponse:
    """A decoded answer: HTTP status and JSON body (a dict)."""

    def __init__(self, status: int, body: dict):
        self.status, self.body = status, body

    @property
    def code(self) -> str | None:
        return self.body.get("code")

    @property
    def message(self) -> str:
        return str(self.body.get("message") or self.body.get("detail") or self.code or self.status)


class Transport:
    """Requests to one station with retries; maps refusals to SyncError subclasses."""

    def __init__(self, session: requests.Session | None = None, timeout=(5, 30), retries: int = 4,
                 backoff: float = 0.5, max_backoff: float = 20.0):
        self.session = make_session(session)
        self.timeout = timeout
        self.retries = retries          # tries after the first
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.request_seconds = REQUEST_SECONDS
        self.sync_seconds = SYNC_SECONDS
        self.max_answer_bytes = MAX_ANSWER_BYTES
        self._local = threading.local()  # the sync deadline of the thread syncing (health polls run beside it)

    # -- deadlines ------------------------------------------------------------------
    @contextlib.contextmanager
    def overall(self, seconds: float | None = None) -> Iterator[None]:
        """Every request made on this thread inside the block ends by one deadline (a whole sync)."""
        seconds = self.sync_seconds if seconds is None else seconds
        previous = getattr(self._local, "sync", None)
        self._local.sync = (time.monotonic() + seconds, seconds)
        try:
            yield
        finally:
            self._local.sync = previous

    def current_deadline(self) -> tuple[float, float] | None:
        """The overall deadline of the calling thread's sync (None outside one), for helper threads."""
        return getattr(self._local, "sync", None)

    @contextlib.contextmanager
    def within(self, deadline: tuple[float, float] | None) -> Iterator[None]:
        """Requests made on this (helper) thread inside the block end by `deadline` (current_deadline)."""
        previous = getattr(self._local, "sync", None)
        self._local.sync = deadline
        try:
            yield
        finally:
            self._local.sync = previous

    def _sync_left(self) -> float | None:
        sync = getattr(self._local, "sync", None)
        if sync is None:
            return None
        left = sync[0] - time.monotonic()
        if left <= 0:
            raise SyncDeadline(seconds=f"{sync[1]:g}")
        return left

    def _budget(self) -> float:
        """Seconds this request may take: its own deadline, or what is left of the sync's."""
        left = self._sync_left()
        return self.request_seconds if left is None else min(self.request_seconds, left)

    def _timeouts(self, budget: float):
        connect, read = self.timeout if isinstance(self.timeout, tuple) else (self.timeout, self.timeout)
        return (min(connect, budget), min(read, budget))

    def headers(self, token: str | None = None, gzip_body: bool = False) -> dict[str, str]:
        headers = {**protocol.version_headers(), "Accept": "application/json",
                   "Accept-Language": "en" if messages.language() == "en" else "zh-CN"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if gzip_body:
            headers.update({"Content-Type": "application/json", "Content-Encoding": "gzip"})
        return headers

    def call(self, method: str, url: str, *, token: str | None = None, json_body=None, params=None,
             verify=True, cancel: threading.Event | None = None, expect=(200,),
             retries: int | None = None, headers: dict[str, str] | None = None) -> StationResponse:
        """One request, retried on network errors and 5xx; statuses in `expect` are returned."""
        data = protocol.encode(json_body) if json_body is not None else None
        headers = {**self.headers(token, gzip_body=data is not None), **(headers or {})}
        status, body = self.exchange(method, url, data=data, params=params, verify=verify, headers=headers,
                                     cancel=cancel, retries=retries, decode=True)
        return self._checked(StationResponse(status, body), expect)

    def exchange(self, method: str, url: str, *, data=None, params=None, verify=True, headers=None,
                 cancel: threading.Event | None = None, retries: int | None = None, decode: bool = True):
        """(status, body) of one request, retried on network errors and 5xx: the JSON body as a dict
        (`decode`) or the raw bytes. Not retried: a TLS refusal, a redirect, an answer too large."""
        retries = self.retries if retries is None else retries
        attempt = 0
        while True:
            budget = self._budget()
            watch = None
            try:
                with deadline.watched(budget) as watch:
                    status, body = self._send(method, url, data, params, verify, headers, budget, decode)
                failure = None if status < 500 else f"HTTP {status}: {StationResponse(status, body).message}"
                if failure is None:
                    return status, body
            except SyncError:
                raise
            except Exception as exc:          # sorted into a retry or a refusal right here
                failure = self._failure(exc, watch)
            if attempt >= retries:
                self._sync_left()              # the sync's deadline, if that is what cut the request
                if watch is not None and watch.expired:
                    raise RequestDeadline(seconds=f"{watch.seconds:g}")
                raise StationUnreachable(failure)
            delay = min(self.max_backoff, self.backoff * 2 ** attempt) * random.uniform(0.5, 1.0)
            left = self._sync_left()
            delay = delay if left is None else min(delay, left)
            log.info("%s %s failed (%s); retry %d in %.2fs", method, url, failure, attempt + 1, delay)
            attempt += 1
            if cancel is not None:
                if cancel.wait(delay):
                    raise Cancelled()
            else:
                time.sleep(delay)

    def _send(self, method, url, data, params, verify, headers, budget: float, decode: bool):
        raw = self.session.request(method, url, data=data, params=params, verify=verify, headers=headers,
                                   timeout=self._timeouts(budget), stream=True, allow_redirects=False)
        try:
            if 300 <= raw.status_code < 400:
                raise Redirected(status=raw.status_code, location=raw.headers.get("Location") or "?")
            try:
                body = bounded.read_body(raw, self.max_answer_bytes)
            except bounded.TooLarge as exc:
                raise AnswerTooLarge(str(exc), limit=self.max_answer_bytes // (1024 * 1024) or 1) from exc
        except BaseException:
            raw.close()                         # a half-read connection is not used again
            raise
        return raw.status_code, (_json(raw.status_code, body) if decode else bytes(body))

    @staticmethod
    def _failure(exc: Exception, watch) -> str:
        """A retryable failure in a few words, or the refusal it stands for (raised)."""
        if watch is not None and watch.expired:
            return f"no complete answer within {watch.seconds:g} s"
        if isinstance(exc, requests.exceptions.SSLError):       # a wrong certificate stays wrong
            raise StationUntrusted(_tls_reason(exc)) from exc
        if isinstance(exc, (*RETRYABLE, urllib3.exceptions.HTTPError)):   # urllib3's: raised reading the body
            return describe(exc)
        if isinstance(exc, requests.RequestException):
            raise StationUnreachable(str(exc)) from exc
        if isinstance(exc, (ValueError, OSError)):     # a 200 whose body was cut short or garbled
            return f"unreadable answer: {exc}"
        raise exc

    def _checked(self, answer: StationResponse, expect) -> StationResponse:
        if answer.status in expect:
            return answer
        self.refuse(answer)

    @staticmethod
    def refuse(answer: StationResponse) -> NoReturn:
        """Raise the SyncError that a refusal from the station stands for."""
        if answer.status in (401, 423, 429):
            raise AuthFailed(answer.message)
        if answer.status == 426:
            raise VersionMismatch(answer.message)
        if answer.status == 409 and answer.code == "clock_ahead":
            raise ClockAhead(answer.message)
        raise StationError(answer.message, status=answer.status)


messages.register({
    "net_timed_out": ("等待超时", "timed out"),
    "net_refused": ("连接被拒绝（乡镇站未运行或地址有误）", "connection refused"),
    "net_reset": ("连接被重置", "connection reset"),
    "net_unknown_host": ("找不到该地址", "unknown host"),
    "net_aborted": ("连接中断", "connection aborted"),
    "net_cut_short": ("回复不完整", "answer cut short"),
    "net_unreachable": ("网络不可达", "network unreachable"),
    "net_failed": ("网络错误（{kind}）", "network error ({kind})"),
})


def describe(exc: Exception, lang: str | None = None) -> str:
    """A short reason for a network failure in the user's language (the full one goes to the log)."""
    log.debug("network failure", exc_info=exc)
    text = str(exc).lower()
    if isinstance(exc, (requests.Timeout, urllib3.exceptions.TimeoutError)):
        return messages.render("net_timed_out", lang)
    for needle, code in (("refused", "net_refused"), ("reset", "net_reset"),
                         ("name or service", "net_unknown_host"), ("resolve", "net_unknown_host"),
                         ("aborted", "net_aborted"), ("incomplete", "net_cut_short"),
                         ("unreachable", "net_unreachable")):
        if needle in text:
            return messages.render(code, lang)
    return messages.render("net_failed", lang, kind=type(exc).__name__)


def _json(status: int, body: bytes | bytearray) -> dict:
    """The JSON body. The station always answers JSON, so an empty or unreadable body is an
    answer cut short on the way (ValueError: retry) — unless it is a 5xx or 413 from a proxy."""
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        if status < 500 and status != 413:
            raise ValueError(f"HTTP {status} with an unreadable body") from None
        return {"message": bytes(body[:400]).decode("utf-8", "replace")[:200]}
    return decoded if isinstance(decoded, dict) else {"value": decoded}
