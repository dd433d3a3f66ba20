"""The link to the upper station: its address and account, and the HTTP client that speaks to it.

A lower station logs in at its upper station like a laptop, with an account of role `station`
whose scope is the lower station's: it is registered there as a device (a device id and a
secret, rotated at each login) and the upper station's admin can revoke it. The link, the token
and the forwarding cursors are kept in station_setting (keys upstream_*).
"""
from __future__ import annotations

from dataclasses import dataclass

import orjson
import requests
from sqlalchemy import Connection, delete

from sync import protocol
from sync.ids import new_id

from . import db, tables
from .errors import StationError

KEYS = ("url", "user", "device", "token", "secret", "ca", "grids", "acked", "numbered", "taken", "cursor",
        "last_ms", "below", "retried_ms")
FILE_URL = "file:"          # the link of a station that forwards by sync file only (upstream_file)
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 120           # an upper station merging a batch of 500 behind others' batches


class Unreachable(Exception):
    """The upper station did not answer (no route, refused, timed out, 5xx): try again later."""

    def __init__(self, url: str, detail: str):
        super().__init__(f"{url}: {detail}")
        self.url, self.detail = url, detail

    def error(self) -> StationError:
        return StationError(503, "upstream_unreachable", url=self.url, detail=self.detail)


@dataclass(frozen=True)
class Link:
    url: str
    user: str
    device: str
    token: str
    ca: str | None
    grids: list[str]


def setting(conn: Connection, key: str, default: str | None = None) -> str | None:
    value = db.get_setting(conn, f"upstream_{key}")
    return default if value is None else value


def number(conn: Connection, key: str) -> int:
    return int(setting(conn, key) or 0)


def set_values(conn: Connection, **values) -> None:
    for key, value in values.items():
        db.set_setting(conn, f"upstream_{key}", str(value))


def current(conn: Connection) -> Link | None:
    url, token = setting(conn, "url"), setting(conn, "token")
    if not url or not token:
        return None
    return Link(url, setting(conn, "user") or "", setting(conn, "device") or "", token, setting(conn, "ca") or None,
                orjson.loads(setting(conn, "grids") or "[]"))


def session(link_ca: str | None) -> requests.Session:
    s = requests.Session()
    s.verify = link_ca or True
    s.headers.update(protocol.version_headers())
    return s


def call(s: requests.Session, url: str, method: str, path: str, token: str | None = None,
         **kwargs) -> requests.Response:
    """One request to the upper station; Unreachable if it does not answer or answers 5xx."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        reply = s.request(method, url.rstrip("/") + path, headers={**headers, **kwargs.pop("headers", {})},
                          timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), **kwargs)
    except requests.exceptions.SSLError as exc:
        raise StationError(422, "upstream_refused", detail=f"TLS: {exc.__class__.__name__}") from exc
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise Unreachable(url, exc.__class__.__name__) from exc
    if reply.status_code >= 500:
        raise Unreachable(url, f"HTTP {reply.status_code}")
    return reply


def refused(reply: requests.Response) -> StationError:
    """The upper station's refusal, in its own words (it answers in the language asked for)."""
    try:
        message = reply.json().get("message") or reply.text[:200]
    except ValueError:
        message = f"HTTP {reply.status_code}"
    return StationError(422, "upstream_refused", detail=message)


def link(engine, url: str, user: str, password: str, ca: str | None, lang: str | None = None) -> Link:
    """Log in at the upper station as a new device of `user` and keep the link; forwarding starts afresh."""
    device = new_id()
    s = session(ca)
    reply = call(s, url, "POST", "/v1/login", headers={"Accept-Language": "en" if lang == "en" else "zh-CN"},
                 json={"user": user, "password": password, "device_id": device, "device_name": "station"})
    if reply.status_code != 200:
        raise refused(reply)
    body = reply.json()
    if body.get("role") != "station":
        raise StationError(422, "upstream_not_station", user=user, role=body.get("role"))
    with engine.begin() as conn:
        _forget(conn)
        set_values(conn, url=url.rstrip("/"), user=user, device=device, token=body["token"],
                   secret=body.get("device_secret") or "", ca=ca or "", grids=orjson.dumps(body["grids"]).decode(),
                   acked=body.get("acked", 0), numbered=body.get("acked", 0), taken=0, cursor=0, last_ms=0,
                   retried_ms=db.now_ms())
        return Link(url.rstrip("/"), user, device, body["token"], ca, list(body["grids"]))


def unlink(engine) -> None:
    """Forget the upper station (its admin revokes the device there); what was not forwarded stays here."""
    with engine.begin() as conn:
        _forget(conn)


def _forget(conn: Connection) -> None:
    conn.execute(delete(tables.setting).where(tables.setting.c.key.in_([f"upstream_{k}" for k in KEYS])))
    conn.execute(delete(tables.upstream_outbox))
    conn.execute(delete(tables.upstream_echo))
    conn.execute(delete(tables.upstream_base))
