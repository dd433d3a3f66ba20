"""SyncEngine: log in to a township station, push the change log, pull the station's records.

No Qt here: the UI runs `sync()` on a worker thread and turns `progress` callbacks
into signals; the CLI calls it directly.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
from pydantic import ValidationError as SchemaError

from desktop.store import Store, identity, replication
from sync import protocol

from . import check, files, photos, station_clock
from .credentials import SECRET_NAME, TokenStore
from .errors import Cancelled, LoginRefused, NotLoggedIn, StationError, SyncError, refuse_demo
from .pull import CURSOR_KEY, pull
from .push import push
from .transport import StationResponse, Transport, check_station_url

log = logging.getLogger(__name__)


@dataclass
class SyncProgress:
    phase: str                 # "push" | "pull"
    done: int
    total: int | None


@dataclass
class SyncResult:
    pushed: int = 0            # changes the station now holds that it did not before
    pulled: int = 0            # records received from the station
    set_aside: int = 0         # changes the station refused (kept, with the reason)
    conflicts: int = 0         # concurrent edits the station recorded while merging ours
    check: dict | None = None  # the end-of-sync comparison with the station (check.py)


def now_iso() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


class SyncEngine:
    """Sync one local store with its station; every method may raise a SyncError subclass."""

    def __init__(self, store: Store, session: requests.Session | None = None, timeout=(5, 30),
                 batch_size: int = protocol.DEFAULT_BATCH, retries: int = 4, backoff: float = 0.5):
        self.store = store
        self.transport = Transport(session, timeout, retries=retries, backoff=backoff)
        self.session = self.transport.session
        self.batch_size = min(batch_size, protocol.MAX_BATCH)
        self._token: str | None = None
        self._token_device: str | None = None       # the device `_token` belongs to
        self._cancel: threading.Event | None = None

    @property
    def tokens(self) -> TokenStore:
        """The current device's token (the device id changes when a copied folder forks)."""
        return TokenStore(self.store.path.parent, self.store.device_id)

    def _secrets(self, device_id: str | None = None) -> TokenStore:
        return TokenStore(self.store.path.parent, device_id or self.store.device_id, SECRET_NAME)

    def keep_credentials(self, device_id: str, reply: protocol.LoginReply) -> str:
        """Store a login's token and device secret for `device_id`; return where ("keyring"/"file")."""
        where = TokenStore(self.store.path.parent, device_id).save(reply.token)
        if reply.device_secret:
            self._secrets(device_id).save(reply.device_secret)
        self._token, self._token_device = reply.token, device_id
        return where

    # -- settings -------------------------------------------------------------------
    @property
    def station_url(self) -> str | None:
        return self.store.get_meta("station_url")

    @property
    def ca_bundle(self) -> str | None:
        """The township's own CA certificate file this device trusts for its station, if any."""
        return self.store.get_meta("ca_bundle")

    def _verify(self):
        """TLS verification stays on; a township's own CA can be named in meta "ca_bundle"."""
        bundle = self.ca_bundle
        if bundle and not Path(bundle).is_file():
            raise SyncError(code="client_ca_missing", path=bundle)
        return bundle or True

    def call(self, method: str, path: str, *, json_body=None, params=None, expect=(200,),
             authorised: bool = True, station_url: str | None = None,
             retries: int | None = None, headers: dict[str, str] | None = None) -> StationResponse:
        base = station_url or self.station_url
        if not base:
            raise NotLoggedIn()
        token = self._require_token() if authorised else None
        return self.transport.call(method, base + path, token=token, json_body=json_body, params=params,
                                   verify=self._verify(), cancel=self._cancel, expect=expect,
                                   retries=retries, headers=headers)

    def _require_token(self) -> str:
        refuse_demo(self.store)
        if self._token is None or self._token_device != self.store.device_id:
            self._token, self._token_device = self.tokens.load(), self.store.device_id
        if not self._token or not self.station_url:
            raise NotLoggedIn()
        return self._token

    def check_cancel(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled()

    # -- session ----------------------------------------------------------------------
    def check_health(self, station_url: str | None = None) -> dict:
        """One quick probe, no retries: the caller (the UI's online light) polls with its own backoff."""
        url = check_station_url(station_url) if station_url else None
        return self.call("GET", "/health", authorised=False, station_url=url, retries=0).body

    def login(self, station_url: str, user: str, password: str, ca_bundle: str | None = None) -> dict:
        """Register this device with the station; keep the token in the keyring (or a 0600 file).

        ca_bundle: a township's own CA certificate file, trusted for this station from now on
        ("" forgets one named before; None keeps what is set)."""
        refuse_demo(self.store)
        url = check_station_url(station_url)
        if ca_bundle is not None:
            bundle = os.path.abspath(ca_bundle) if ca_bundle else None
            if bundle and not Path(bundle).is_file():
                raise SyncError(code="client_ca_missing", path=bundle)
            self.store.set_meta(ca_bundle=bundle)
        self._take_own_device(user)
        reply = self._login(url, user, password)
        if reply is None:
            # another folder or account holds this device id (this folder is a copy): a new one
            identity.fork(self.store, replication.acked_seq(self.store), "copied")
            reply = self._login(url, user, password)
            if reply is None:
                raise StationError("the station refused a new device id as taken", status=409)
        where = self.keep_credentials(self.store.device_id, reply)
        store = self.store
        same_scope = (store.get_meta("station_id"), store.get_meta("user")) == (reply.station_id, reply.user)
        settings: dict[str, str | None] = {"station_url": url, "user": reply.user, "role": reply.role,
                                           "station_id": reply.station_id, "token_store": where,
                                           identity.OWNER_KEY: reply.user}
        if not same_scope:
            # another station or account sees other records: pull everything afresh
            settings[CURSOR_KEY] = None
        store.set_meta(**settings)
        return {"user": reply.user, "role": reply.role, "grids": reply.grids,
                "station_id": reply.station_id, "token_store": where}

    def _take_own_device(self, user: str) -> None:
        """A folder whose device is registered to another account gets a device of its own for
        `user`, unless that account still has unsent changes here: they are its to send first."""
        owner = self.store.get_meta(identity.OWNER_KEY)
        if not owner or owner == user:
            return
        pending = replication.pending_count(self.store)
        if pending:
            raise LoginRefused(code="client_other_user_pending", owner=owner, user=user, count=pending)
        identity.fork(self.store, identity.last_seq(self.store), "other_account")

    def _login(self, url: str, user: str, password: str) -> protocol.LoginReply | None:
        """The station's login reply, or None if it says this device id is another's (device_taken)."""
        request = {"user": user, "password": password, "device_id": self.store.device_id,
                   "device_name": socket.gethostname()[:100], "device_secret": self._secrets().load(),
                   "continues_after": int(self.store.get_meta(identity.BASE_KEY) or 0)}
        answer = self.call("POST", "/v1/login", json_body=request, authorised=False, station_url=url,
                           expect=(200, 409))
        if answer.status == 409:
            if answer.code == "device_taken":
                return None
            self.transport.refuse(answer)
        try:
            return protocol.LoginReply.model_validate(answer.body)
        except SchemaError as exc:
            raise StationError(f"unexpected login reply: {exc}", status=answer.status) from exc

    def fetch_photo(self, sha256: str) -> Path:
        """A photo another device took, fetched from the station into the data folder; its path."""
        return photos.download(self, sha256)

    def assessments(self, period: str, worker: str | None = None) -> list[dict]:
        """The station's assessment sheets (inputs, score, grades) of the workers in this account's scope."""
        params = {"period": period, **({"worker": worker} if worker else {})}
        return self.call("GET", "/v1/assessments", params=params).body["sheets"]

    def logout(self) -> None:
        """Forget the token here (the station can revoke the device for good); the device secret
        stays, so logging in again as the same worker keeps this device."""
        self.tokens.clear()
        self._token = None
        self.store.set_meta(user=None, role=None, token_store=None)

    # -- sync -------------------------------------------------------------------------
    def sync(self, progress: Callable[[SyncProgress], None] | None = None,
             cancel: threading.Event | None = None) -> SyncResult:
        """Push every pending change, then pull; cancelling keeps whatever was committed."""
        # another process may have forked this folder (store/identity.py): its device, and so its token
        self.store.device_id = self.store.get_meta("device_id") or self.store.device_id
        self._require_token()
        self._cancel = cancel
        result = SyncResult()
        totals = {"push": replication.pending_count(self.store), "pull": None}

        def report(phase: str, done: int) -> None:
            if progress is not None:
                progress(SyncProgress(phase, done, totals[phase]))

        try:
            with self.transport.overall():          # a whole sync has a deadline too
                station_clock.record_offset(self)   # deadlines and warnings use the station's time
                push(self, result, report)
                pull(self, result, report)
                check.check(self, result, report)   # the laptop and the station agree, or it is repaired
                photos.upload(self)                 # photo bytes last: they never hold records back
        finally:
            self._cancel = None
        self.store.set_meta(last_sync=now_iso())
        log.info("sync done: %s", result)
        return result

    # -- file transport ---------------------------------------------------------------
    def export_file(self, path) -> int:
        return files.export_push(self.store, path, self.batch_size, lambda device: self._secrets(device).load())

    def import_reply(self, path) -> SyncResult:
        secrets = (lambda device: self._secrets(device).load(),
                   lambda device, secret: self._secrets(device).save(secret))
        result = files.import_reply(self.store, path, SyncResult(), secrets)
        self.store.set_meta(last_sync=now_iso())
        return result
