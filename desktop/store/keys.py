"""The data folder's key: a random data key, kept in the OS keyring and wrapped by the worker's recovery passphrase.

`gridbook.key` (JSON, beside the data file) holds the data key wrapped with AES-256-GCM
under a key-encryption key derived from the passphrase by argon2id, its salt and cost,
and a check value; never the key itself. The keyring (Windows Credential Manager, which
DPAPI protects per Windows account) holds the data key so that an everyday start asks
nothing. With neither the passphrase nor that keyring entry the data file is noise.
From the data key HKDF derives one key for SQLCipher and one for the sealed files.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from sync import messages

KEY_FILE = "gridbook.key"
FORMAT = "gridbook-key/1"
PASSPHRASE_ENV = "GRIDBOOK_PASSPHRASE"
MIN_PASSPHRASE = 8
# RFC 9106's second recommended argon2id setting: 64 MiB, 3 passes, 4 lanes (~0.3 s on a laptop).
RECOMMENDED_COST = {"time_cost": 3, "memory_kib": 64 * 1024, "parallelism": 4}
KDF_COST = dict(RECOMMENDED_COST)           # what new key files get (the test suite lowers it)

messages.register({
    "store_passphrase_needed": (
        "这个数据文件夹还没有恢复口令：第一次打开时要设置一个（至少 {min} 个字）。"
        "命令行请用 --passphrase-stdin 或环境变量 GRIDBOOK_PASSPHRASE 给出。",
        "This data folder has no recovery passphrase yet: set one (at least {min} characters) the first time "
        "it is opened. On the command line give it with --passphrase-stdin or GRIDBOOK_PASSPHRASE."),
    "store_locked": (
        "台账已加密，这台电脑（这个账户）的凭据管理器里没有它的密钥，可能换了账户或恢复了电脑。"
        "请输入恢复口令（命令行：--passphrase-stdin 或 GRIDBOOK_PASSPHRASE）。",
        "The ledger is encrypted and this computer's (this account's) credential store does not hold its key: "
        "perhaps another account or a restored computer. Enter the recovery passphrase (command line: "
        "--passphrase-stdin or GRIDBOOK_PASSPHRASE)."),
    "store_wrong_passphrase": (
        "恢复口令不对，台账没有打开，什么也没有改动。请再试一次，注意大小写和输入法。",
        "That is not the recovery passphrase: the ledger was not opened and nothing was changed. Try again "
        "(mind upper and lower case and the input method)."),
    "store_short_passphrase": ("恢复口令至少要 {min} 个字。",
                               "The recovery passphrase needs at least {min} characters."),
    "store_key_file_missing": (
        "数据文件已加密，但它的密钥文件 {file} 不见了：没有它，恢复口令也打不开台账。"
        "请从备份里把 {file} 放回数据文件夹。",
        "The data file is encrypted but its key file {file} is missing: without it even the recovery passphrase "
        "cannot open the ledger. Put {file} back into the data folder from a backup."),
    "store_key_file_damaged": (
        "密钥文件 {file} 已损坏，台账无法打开。请从备份里把 {file} 放回数据文件夹。",
        "The key file {file} is damaged and the ledger cannot be opened. Put {file} back from a backup."),
    "store_unreadable": (
        "数据文件 {file} 无法用这个文件夹的密钥打开：文件已损坏，或是别的文件夹的台账。",
        "The data file {file} cannot be opened with this folder's key: it is damaged or belongs to another folder."),
})


class KeyUnavailable(Exception):
    """The ledger cannot be unlocked; `message()` says why and what to do, in the user's language."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(code)

    def message(self, lang: str | None = None) -> str:
        return messages.render(self.code, lang, **self.params)

    def __str__(self) -> str:
        return f"{self.code}: {self.message('en')}"


@dataclass(frozen=True)
class DataKey:
    key_id: str
    secret: bytes = field(repr=False)

    def derive(self, purpose: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"gridbook " + purpose).derive(self.secret)

    def database_key(self) -> str:
        """SQLCipher's raw-key form: no per-connection PBKDF2, the key is already random."""
        return f"x'{self.derive(b'sqlcipher').hex()}'"

    def file_key(self) -> AESGCM:
        return AESGCM(self.derive(b"files"))

    def check_value(self) -> str:
        return _b64(hmac.new(self.secret, b"gridbook key check", hashlib.sha256).digest()[:16])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def normalise(passphrase: str) -> bytes:
    """NFKC, so a full-width ２０２６ typed with the Chinese input method still matches 2026."""
    return unicodedata.normalize("NFKC", passphrase).encode("utf-8")


def check_new_passphrase(passphrase: str) -> None:
    if len(unicodedata.normalize("NFKC", passphrase).strip()) < MIN_PASSPHRASE:
        raise KeyUnavailable("store_short_passphrase", min=MIN_PASSPHRASE)


def _kek(passphrase: str, salt: bytes, cost: dict) -> AESGCM:
    return AESGCM(hash_secret_raw(normalise(passphrase), salt, time_cost=cost["time_cost"],
                                  memory_cost=cost["memory_kib"], parallelism=cost["parallelism"],
                                  hash_len=32, type=Type.ID))


def key_file(folder: Path) -> Path:
    return Path(folder) / KEY_FILE


def read_header(folder: Path) -> dict | None:
    path = key_file(folder)
    try:
        header = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise KeyUnavailable("store_key_file_damaged", file=KEY_FILE) from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT or not all(
            isinstance(header.get(name), kind) for name, kind in
            (("key_id", str), ("kdf", dict), ("wrapped", str), ("check", str))):
        raise KeyUnavailable("store_key_file_damaged", file=KEY_FILE)
    return header


def wrap(key: DataKey, passphrase: str, cost: dict | None = None) -> dict:
    """The key file's contents: the data key wrapped under the passphrase's argon2id key."""
    cost = dict(cost or KDF_COST)
    salt, nonce = os.urandom(16), os.urandom(12)
    wrapped = _kek(passphrase, salt, cost).encrypt(nonce, key.secret, f"{FORMAT}:{key.key_id}".encode())
    return {"format": FORMAT, "key_id": key.key_id,
            "kdf": {"name": "argon2id", **cost, "salt": _b64(salt)},
            "wrapped": _b64(nonce + wrapped), "check": key.check_value()}


def unwrap(header: dict, passphrase: str) -> DataKey:
    try:
        kdf, blob = header["kdf"], base64.b64decode(header["wrapped"])
        kek = _kek(passphrase, base64.b64decode(kdf["salt"]), kdf)
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyUnavailable("store_key_file_damaged", file=KEY_FILE) from exc
    try:
        secret = kek.decrypt(blob[:12], blob[12:], f"{FORMAT}:{header['key_id']}".encode())
    except InvalidTag:
        raise KeyUnavailable("store_wrong_passphrase") from None
    return DataKey(header["key_id"], secret)


def write_header(folder: Path, header: dict, exclusive: bool = False) -> None:
    """Written aside, flushed to disk, then renamed over: a crash leaves the old file or the new, never half.

    `exclusive` (a new folder's first key): linked into place only if there is none, else FileExistsError,
    so two programs opening a new folder at once cannot each encrypt it under a key of their own."""
    path = key_file(folder)
    temp = path.with_name(KEY_FILE + ".part")
    temp.unlink(missing_ok=True)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(header, out, indent=1)
        out.flush()
        os.fsync(out.fileno())
    if not exclusive:
        temp.replace(path)
        return
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:                     # no hard links (a FAT32 stick as a portable data folder)
        if path.exists():
            raise FileExistsError(path) from None
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)


def new_key() -> DataKey:
    return DataKey(uuid.uuid4().hex, os.urandom(32))


# Keys unlocked in this process, by data folder: the argon2id cost is paid once per process,
# and the sync token and photo files of an open folder find their key here.
_opened: dict[Path, DataKey] = {}
_lock = threading.Lock()


def remember(folder: Path, key: DataKey) -> None:
    with _lock:
        _opened[Path(folder).resolve()] = key


def opened(folder: Path) -> DataKey:
    """The key of a data folder this process has unlocked (open_store did)."""
    try:
        return _opened[Path(folder).resolve()]
    except KeyError:
        raise KeyUnavailable("store_locked") from None


def forget(folder: Path) -> None:
    with _lock:
        _opened.pop(Path(folder).resolve(), None)
