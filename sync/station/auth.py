"""Accounts and devices: argon2 passwords, hashed bearer tokens, slowed then locked failed logins.

Failures count per account and source. A device already registered to the account, named
with its secret, is its own source; every other device counts as one, the strangers. So a stranger guessing a
worker's password (with however many made-up device ids) is slowed and locked, while the
worker's own laptop still logs in; and the worker mistyping locks only that laptop.
"""
from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, select, update

from . import tables
from .db import now_ms
from .errors import StationError
from .settings import StationSettings

MIN_PASSWORD = 6
SLOW_AFTER = 3                      # failures before each attempt has to wait
LOCK_MINUTES = 15
FORGET_AFTER_MS = 24 * 3_600_000    # a failure count untouched for a day starts afresh
STRANGERS = "*"                     # the source of every device not registered to the account


@dataclass(frozen=True)
class Passwords:
    """How passwords are hashed and how many failures lock an account (from StationSettings)."""
    hasher: PasswordHasher
    lock_after: int = 10

    @classmethod
    def from_settings(cls, settings: StationSettings) -> Passwords:
        # argon2-cffi's defaults (RFC 9106 low-memory profile); "fast" is for test suites only
        fast = settings.hash == "fast"
        hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1) if fast else PasswordHasher()
        return cls(hasher, settings.lock_after)

    @functools.cached_property
    def dummy_hash(self) -> str:
        """A well-formed hash of nothing, so an unknown name costs one argon2 verify like a known one."""
        return self.hasher.hash(secrets.token_hex(8))


DEFAULT_PASSWORDS = Passwords(PasswordHasher())


@dataclass(frozen=True)
class Caller:
    """The account and device behind a bearer token."""
    user: str
    role: str
    grids: list[str]
    device_id: str


def hash_password(password: str, passwords: Passwords = DEFAULT_PASSWORDS) -> str:
    if len(password) < MIN_PASSWORD:
        raise StationError(422, "short_password", min=MIN_PASSWORD)
    return passwords.hasher.hash(password)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _retry_after(failures: int) -> int:
    """Seconds to wait before the next attempt: 1, 2, 4, ... after SLOW_AFTER failures."""
    return 0 if failures < SLOW_AFTER else 2 ** (failures - SLOW_AFTER)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _holds_secret(device, secret: str | None) -> bool:
    return bool(device and device["secret_hash"] and secret and
                secrets.compare_digest(device["secret_hash"], secret_hash(secret)))


def _source(device, name: str, secret: str | None) -> str:
    """The device itself if it is registered to this account and the caller holds its secret
    (device ids are public), else the strangers."""
    own = device and device["user_name"] == name and not device["revoked"] and _holds_secret(device, secret)
    return device["id"] if own else STRANGERS


def _key(name: str, source: str):
    lf = tables.login_failure
    return (lf.c.name == name) & (lf.c.source == source)


def _note_failure(conn: Connection, name: str, source: str, previous, now: int, lock_after: int) -> int:
    failures = (previous["failures"] if previous else 0) + 1
    locked_until = now + LOCK_MINUTES * 60_000 if failures >= lock_after else 0
    values = {"failures": failures, "last_ms": now, "locked_until_ms": locked_until}
    if previous:
        conn.execute(update(tables.login_failure).where(_key(name, source)).values(**values))
    else:
        # a new row per made-up name: forget counts that have gone quiet, so the table stays small
        lf = tables.login_failure
        conn.execute(lf.delete().where(lf.c.last_ms < now - FORGET_AFTER_MS, lf.c.locked_until_ms < now))
        conn.execute(tables.login_failure.insert().values(name=name, source=source, **values))
    return failures


def _throttle(conn: Connection, name: str, source: str, now: int, lock_after: int):
    """Refuse early (423/429) while locked or too soon after a failure; each refusal counts."""
    lf = tables.login_failure
    previous = conn.execute(select(lf).where(_key(name, source))).mappings().first()
    if previous is None:
        return None
    if previous["locked_until_ms"] > now:
        minutes = -(-(previous["locked_until_ms"] - now) // 60_000)
        raise StationError(423, "locked", headers={"Retry-After": str(minutes * 60)}, minutes=minutes)
    if previous["locked_until_ms"]:          # a lock that has run out starts the count afresh
        conn.execute(lf.delete().where(_key(name, source)))
        return None
    wait_ms = _retry_after(previous["failures"]) * 1000
    if wait_ms and now < previous["last_ms"] + wait_ms:
        failures = _note_failure(conn, name, source, previous, now, lock_after)
        if failures >= lock_after:
            raise StationError(423, "locked", headers={"Retry-After": str(LOCK_MINUTES * 60)}, minutes=LOCK_MINUTES)
        seconds = _retry_after(failures)
        raise StationError(429, "slow_down", headers={"Retry-After": str(seconds)}, seconds=seconds)
    return previous


@dataclass(frozen=True)
class LoginResult:
    token: str
    account: dict
    device_secret: str
    acked: int


def _throttled(conn: Connection, name: str, source: str, now: int) -> bool:
    """_throttle's verdict without writing: would it refuse this attempt now?"""
    lf = tables.login_failure
    previous = conn.execute(select(lf).where(_key(name, source))).mappings().first()
    if previous is None:
        return False
    if previous["locked_until_ms"]:
        return previous["locked_until_ms"] > now
    wait_ms = _retry_after(previous["failures"]) * 1000
    return bool(wait_ms) and now < previous["last_ms"] + wait_ms


def stored_hash(conn: Connection, name: str, device_id: str, device_secret: str | None = None) -> str | None:
    """What check_password needs from the database: the account's password hash ("" for no such
    account), or None if the attempt is throttled (finish_login then refuses and counts it)."""
    device = conn.execute(select(tables.device).where(tables.device.c.id == device_id)).mappings().first()
    if _throttled(conn, name, _source(device, name, device_secret), now_ms()):
        return None
    account = conn.execute(select(tables.user.c.password_hash).where(tables.user.c.name == name)).first()
    return account[0] if account else ""


def verify_password(stored: str | None, password: str, passwords: Passwords = DEFAULT_PASSWORDS) -> bool | None:
    """argon2 on a hash read by stored_hash, with no connection held (it costs ~0.3 s; SQLite has one
    write lock and the pool few connections). An unknown name costs one verify like a known one."""
    if stored is None:
        return None
    try:
        passwords.hasher.verify(stored or passwords.dummy_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return bool(stored)


def check_password(conn: Connection, name: str, password: str, device_id: str,
                   passwords: Passwords = DEFAULT_PASSWORDS, device_secret: str | None = None) -> bool | None:
    """stored_hash and verify_password in one call: True, False, or None if throttled."""
    return verify_password(stored_hash(conn, name, device_id, device_secret), password, passwords)


def login(conn: Connection, name: str, password: str, device_id: str, device_name: str,
          passwords: Passwords = DEFAULT_PASSWORDS, device_secret: str | None = None, legacy: bool = False,
          continues_after: int = 0) -> LoginResult:
    """check_password and finish_login in one transaction (the command line, tests)."""
    verified = check_password(conn, name, password, device_id, passwords, device_secret)
    return finish_login(conn, name, verified, device_id, device_name, passwords, device_secret, legacy,
                        continues_after)


def finish_login(conn: Connection, name: str, verified: bool | None, device_id: str, device_name: str,
                 passwords: Passwords = DEFAULT_PASSWORDS, device_secret: str | None = None, legacy: bool = False,
                 continues_after: int = 0) -> LoginResult:
    """Register the device (or renew its login) after check_password said `verified`; return the
    new token and secret.

    A device registered before belongs to its account and its folder: logging in to it needs
    that account and the secret issued to the folder (`legacy`: protocol-1 laptops, which keep
    no secret, may renew their own account's device without it); anything else is 409
    device_taken, and the folder takes a new device id. Failures are written in the caller's
    transaction, which must commit even when this raises.
    """
    now = now_ms()
    device = conn.execute(select(tables.device).where(tables.device.c.id == device_id)).mappings().first()
    source = _source(device, name, device_secret)
    previous = _throttle(conn, name, source, now, passwords.lock_after)
    if verified is None:        # throttled when checked, no longer now: the password was never verified
        raise StationError(429, "slow_down", headers={"Retry-After": "1"}, seconds=1)
    account = conn.execute(select(tables.user).where(tables.user.c.name == name)).mappings().first()
    if not (verified and account is not None):
        failures = _note_failure(conn, name, source, previous, now, passwords.lock_after)
        if failures >= passwords.lock_after:
            raise StationError(423, "locked", headers={"Retry-After": str(LOCK_MINUTES * 60)}, minutes=LOCK_MINUTES)
        wait = _retry_after(failures)
        raise StationError(401, "bad_login", headers={"Retry-After": str(wait)} if wait else None)
    if previous:
        conn.execute(tables.login_failure.delete().where(_key(name, source)))
    if account["disabled"]:
        raise StationError(401, "user_disabled")
    token, secret = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    values = {"token_hash": token_hash(token), "secret_hash": secret_hash(secret)}
    if device is None:
        conn.execute(tables.device.insert().values(id=device_id, user_name=name, name=device_name,
                                                   acked=continues_after, revoked=False, registered_ms=now,
                                                   **values))
        return LoginResult(token, dict(account), secret, continues_after)
    if device["user_name"] != name or not (_holds_secret(device, device_secret) or legacy
                                           or device["secret_hash"] is None):
        raise StationError(409, "device_taken")
    if device["revoked"]:
        raise StationError(401, "revoked")
    conn.execute(update(tables.device).where(tables.device.c.id == device_id)
                 .values(name=device_name or device["name"], **values))
    return LoginResult(token, dict(account), secret, device["acked"])


def fork(conn: Connection, caller: Caller, new_device_id: str, after: int, device_name: str) -> LoginResult:
    """Register a new device for the caller's account that continues the caller's device after
    sequence `after` (a restored or copied folder); the old device goes on unchanged."""
    d = tables.device
    if conn.execute(select(d.c.id).where(d.c.id == new_device_id)).first() is not None:
        raise StationError(409, "device_taken")
    old = conn.execute(select(d).where(d.c.id == caller.device_id)).mappings().one()
    token, secret = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    conn.execute(d.insert().values(id=new_device_id, user_name=caller.user, name=device_name or old["name"],
                                   token_hash=token_hash(token), secret_hash=secret_hash(secret), acked=after,
                                   revoked=False, registered_ms=now_ms(), forked_from=caller.device_id))
    account = conn.execute(select(tables.user).where(tables.user.c.name == caller.user)).mappings().one()
    return LoginResult(token, dict(account), secret, after)


# Built once: every push authenticates twice (before its body is read, and in its transaction).
_CALLER = (select(tables.device.c.id, tables.device.c.revoked, tables.user.c.name, tables.user.c.role,
                  tables.user.c.grids, tables.user.c.disabled)
           .join(tables.user, tables.user.c.name == tables.device.c.user_name)
           .where(tables.device.c.token_hash == bindparam("token_hash")))


def authenticate(conn: Connection, authorization: str | None) -> Caller:
    """The caller behind `Authorization: Bearer <token>`, or 401."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise StationError(401, "unauthorized")
    row = conn.execute(_CALLER, {"token_hash": token_hash(token.strip())}).mappings().first()
    if row is None:
        raise StationError(401, "unauthorized")
    if row["revoked"]:
        raise StationError(401, "revoked")
    if row["disabled"]:
        raise StationError(401, "user_disabled")
    return Caller(row["name"], row["role"], list(row["grids"]), row["id"])


def require_reviewer(caller: Caller) -> None:
    if caller.role not in ("township", "county"):
        raise StationError(403, "forbidden_role")
