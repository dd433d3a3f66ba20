"""HTTP to the station: one requests.Session, gzip bodies, version headers, bounded retries.

Retrying is safe for every call the client makes: a push is idempotent on (device,
seq) at the station, a pull only reads, and a repeated login registers the same device.
"""
from __future__ import annotations

import ipaddress
import logging
import random
import threading
import time
from typing import NoReturn
from urllib.parse import urlsplit

import orjson
import requests

from sync import messages, protocol

from .errors import (
    AuthFailed,
    Cancelled,
    ClockAhead,
    StationError,
    StationUnreachable,
    StationUntrusted,
    SyncError,
    VersionMismatch,
)

log = logging.getLogger(__name__)
# Network failures worth another try: the request may not have arrived, or its answer was lost.
RETRYABLE = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
             requests.exceptions.ContentDecodingError)
LAN_SUFFIXES = (".local", ".lan", ".internal", ".home.arpa", ".localdomain")


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
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or "." not in host or host.endswith(LAN_SUFFIXES)
    return address.is_loopback or address.is_private or address.is_link_local


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
        self.session = session or requests.Session()
        self.timeout = timeout
        self.retries = retries          # tries after the first
        self.backoff = backoff
        self.max_backoff = max_backoff

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
             retries: int | None = None) -> StationResponse:
        """One request, retried on network errors and 5xx; statuses in `expect` are returned."""
        data = protocol.encode(json_body) if json_body is not None else None
        retries = self.retries if retries is None else retries
        attempt = 0
        while True:
            try:
                raw = self.session.request(method, url, data=data, params=params, verify=verify,
                                           timeout=self.timeout,
                                           headers=self.headers(token, gzip_body=data is not None))
                answer = StationResponse(raw.status_code, _json(raw))
                failure = None if raw.status_code < 500 else f"HTTP {raw.status_code}: {answer.message}"
            except requests.exceptions.SSLError as exc:     # not retryable: a wrong certificate stays wrong
                raise StationUntrusted(_tls_reason(exc)) from exc
            except RETRYABLE as exc:
                answer, failure = None, describe(exc)
            except requests.RequestException as exc:
                raise StationUnreachable(str(exc)) from exc
            except ValueError as exc:        # a 200 whose body was cut short or garbled
                answer, failure = None, f"unreadable answer: {exc}"
            if failure is None:
                assert answer is not None           # no failure: there is an answer, and not a 5xx
                return self._checked(answer, expect)
            if attempt >= retries:
                raise StationUnreachable(failure)
            delay = min(self.max_backoff, self.backoff * 2 ** attempt) * random.uniform(0.5, 1.0)
            log.info("%s %s failed (%s); retry %d in %.2fs", method, url, failure, attempt + 1, delay)
            attempt += 1
            if cancel is not None:
                if cancel.wait(delay):
                    raise Cancelled()
            else:
                time.sleep(delay)

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


def describe(exc: Exception) -> str:
    """A short reason for a network failure (the full one goes to the log)."""
    log.debug("network failure", exc_info=exc)
    text = str(exc).lower()
    if isinstance(exc, requests.Timeout):
        return "timed out"
    for needle, reason in (("refused", "connection refused"), ("reset", "connection reset"),
                           ("name or service", "unknown host"), ("resolve", "unknown host"),
                           ("aborted", "connection aborted"), ("incomplete", "answer cut short"),
                           ("unreachable", "network unreachable")):
        if needle in text:
            return reason
    return type(exc).__name__


def _json(raw: requests.Response) -> dict:
    """The JSON body. The station always answers JSON, so an empty or unreadable body is an
    answer cut short on the way (ValueError: retry) — unless it is a 5xx or 413 from a proxy."""
    try:
        body = orjson.loads(raw.content)
    except orjson.JSONDecodeError as exc:
        if raw.status_code < 500 and raw.status_code != 413:
            raise ValueError(f"HTTP {raw.status_code} with an unreadable body") from exc
        return {"message": raw.text[:200]}
    return body if isinstance(body, dict) else {"value": body}
