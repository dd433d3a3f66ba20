"""The wire between a device and the station: versions, messages, encoding.

HTTP API (every request names PROTOCOL_VERSION and SCHEMA_VERSION in the headers
below; bodies are JSON, optionally gzip-compressed with Content-Encoding: gzip):

  GET  /health                       -> Health           (no auth; also the station's clock)
  POST /v1/login   LoginRequest      -> LoginReply       (registers the device, returns a bearer token)
  POST /v1/push    PushBatch         -> PushReply        (Authorization: Bearer <token>)
  GET  /v1/pull?cursor=N&limit=M     -> PullPage
  POST /v1/devices/fork  ForkRequest -> LoginReply       (a restored or copied folder takes a new device)
  GET  /v1/conflicts, POST /v1/conflicts/{id}/resolve   (township and county accounts)

Errors are JSON `{"code": ..., "message": ..., ...}` with a 4xx status; the message
is in the language of Accept-Language (zh_CN unless it asks for en):
  400 malformed   401 unauthorized / revoked   403 out_of_scope (+ rejected)
  409 gap (+ acked: resend from acked + 1)      413 too_large   422 invalid (+ rejected)
  409 diverged (+ acked, diverged_at: this folder is a copy; fork a new device after diverged_at - 1)
  409 device_taken (the device id belongs to another folder or account: take a new device id)
  423 locked      426 version (update the program)              429 slow_down
  503 unavailable (the station's database is down: retry later)

Push: a batch is a contiguous run first..last of the device's sequence. The station
applies it in one transaction, idempotently on (device, seq), and answers with the
highest sequence it holds. A device may send its next batch before the answer (two in
flight), naming the last sequence of the one before in X-Gridbook-Behind; the station
writes a device's batches in sequence order, waiting briefly for one that was overtaken.
A change the station refuses comes back in `rejected` with nothing of the batch applied;
the device sets it aside and resends the batch with that seq as a SkipMarker, so the run
stays contiguous and the queue moves on.

Device identity: device ids are public (they are in every stamp). The station binds a
device to the folder that registered it with a secret issued at login (LoginReply.
device_secret, rotated at every login) that later logins must present. A folder that
finds the station holding more of its device than it has (a restore from a backup, a
copy on a second laptop) forks: it registers a new device that continues after the last
sequence both share, moves its unsent changes to it and pulls everything again.

Forwarding (a station's account of role `station` at its upper station): the lower station
pushes the current state of what changed in its scope, each change carrying `s`, the stamp
of every field as its author made it; the upper station merges those stamps instead of
stamping the fields with the pushing device, so every level keeps the same per-field clocks.

Pull: the station sends, page by page, the current state of every record in the
device's scope whose station sequence is above the cursor: fields with their stamps,
leaving out fields whose winning stamp is the device's own. The device merges them
field by field (sync.merge) and stores the new cursor in the same transaction.
"""
from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, Field

# 2: device secrets, forks, fingerprinted replays (409 diverged), the device's acked in pull pages
PROTOCOL_VERSION = 2
# the record types and fields on the wire (sync.records); 2: incidents' steps, photos, settings;
# 3: the duty cycle (visits, patrol hazards, the task list, ten-household groups, assessments, grid
# boundaries), incident.source_type/source_id, the register fields of residents (民族, 户籍地址, 文化程度,
# 婚姻状况, 政治面貌, 工作单位) and 户号: additive, so MIN_SCHEMA stays 2
SCHEMA_VERSION = 3
# The station serves laptops in a window of versions, so a township can upgrade its station
# while its laptops are still out in the villages (README: "Upgrades without a flag day").
MIN_PROTOCOL = 1
MIN_SCHEMA = 2
PROTOCOL_HEADER = "X-Gridbook-Protocol"
SCHEMA_HEADER = "X-Gridbook-Schema"
# On a push sent before the answer to the one before it: that batch's last sequence. A station
# that sees it waits a moment for that batch should this one overtake it; older ones ignore it.
BEHIND_HEADER = "X-Gridbook-Behind"
DEFAULT_BATCH = 500
MAX_BATCH = 2000                   # changes in one push; more is 413
MAX_BODY_BYTES = 8 * 1024 * 1024   # decompressed; more is 413
SEQ_MAX = 2**62                    # sequences stay well inside both databases' 64-bit integers
DEFAULT_PAGE = 1000
MAX_PAGE = 5000
# Names every replica gives the same meaning (device store, station merge, the wire):
DELETED = "deleted"                # the tombstone field: an ordinary last-writer-wins field
RECORD_BASE = "*"                  # key of Change.base holding the record's newest stamp as the editor saw it


@dataclass(frozen=True)
class ClientVersion:
    protocol: int
    schema: int

    @classmethod
    def parse(cls, protocol: str | None, schema: str | None) -> ClientVersion:
        """The versions named in a request's headers; (0, 0) if missing or malformed."""
        try:
            return cls(int(protocol or ""), int(schema or ""))
        except ValueError:
            return cls(0, 0)


def version_verdict(client: ClientVersion) -> str:
    """"ok" inside the window; "version" if the laptop must be updated; "station_old" if it is
    newer than this station (the township must update the station; nothing is lost meanwhile)."""
    if client.protocol < MIN_PROTOCOL or client.schema < MIN_SCHEMA:
        return "version"
    if client.protocol > PROTOCOL_VERSION or client.schema > SCHEMA_VERSION:
        return "station_old"
    return "ok"


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    protocol: int
    schema_version: int = Field(alias="schema")
    min_protocol: int = 1
    min_schema: int = 2
    time_ms: int
    station_id: str

    model_config = {"populate_by_name": True}


class LoginRequest(BaseModel):
    user: str = Field(min_length=1, max_length=50)
    password: str = Field(min_length=1, max_length=200)
    device_id: str = Field(min_length=36, max_length=36)
    device_name: str = Field(default="", max_length=100)
    device_secret: str | None = Field(default=None, max_length=100)
    # a device the station has not seen continues its folder's numbering after this sequence
    continues_after: int = Field(default=0, ge=0, le=SEQ_MAX)


class LoginReply(BaseModel):
    token: str
    user: str
    role: Literal["worker", "township", "county", "station"]
    grids: list[str]
    station_id: str
    device_id: str | None = None
    device_secret: str | None = None       # keep it with the token; the next login presents it
    acked: int = 0                         # the highest sequence of this device the station holds


class ForkRequest(BaseModel):
    device_id: str = Field(min_length=36, max_length=36)     # the new device, made by the folder
    after: int = Field(ge=0, le=SEQ_MAX)                      # the new device's changes start at after + 1
    device_name: str = Field(default="", max_length=100)


class Change(BaseModel):
    seq: int = Field(ge=1, le=SEQ_MAX)
    type: str = Field(max_length=20)
    id: str = Field(min_length=1, max_length=40)
    op: Literal["put", "delete"]
    hlc: int = Field(ge=0, lt=2**64)
    f: dict[str, Any]
    b: dict[str, str] = Field(default_factory=dict)
    # a station forwarding to its upper station: each field's own stamp (its author's hlc and device),
    # kept as laptops made them so that every level merges the same way; hlc is then the newest of them
    s: dict[str, str] | None = None


class SkipMarker(BaseModel):
    seq: int = Field(ge=1, le=SEQ_MAX)
    skip: Literal[True]


class PushBatch(BaseModel):
    device: str = Field(min_length=36, max_length=36)
    first: int = Field(ge=1, le=SEQ_MAX)
    last: int = Field(ge=1, le=SEQ_MAX)
    # left to right: a change is tried as a Change first (the usual case), not as both in turn
    changes: list[Annotated[Change | SkipMarker, Field(union_mode="left_to_right")]] = \
        Field(max_length=MAX_BATCH)


class Rejection(BaseModel):
    seq: int
    code: str
    message: str


class PushReply(BaseModel):
    acked: int
    applied: int
    conflicts: int = 0
    rejected: list[Rejection] = Field(default_factory=list)


class PullRow(BaseModel):
    type: str
    id: str
    f: dict[str, Any]
    c: dict[str, str]


class PullPage(BaseModel):
    rows: list[PullRow]
    cursor: int
    more: bool
    acked: int | None = None               # what the station holds of the caller's device


def change_to_wire(entry: dict) -> dict:
    """A change-log row (desktop store) as a push change, or a skip marker if set aside
    (or set aside and since fixed by a later change that carries its fields again, or discarded)."""
    if entry["state"] in ("set_aside", "fixed", "discarded"):
        return {"seq": entry["seq"], "skip": True}
    return {"seq": entry["seq"], "type": entry["record_type"], "id": entry["record_id"], "op": entry["op"],
            "hlc": entry["hlc"], "f": entry["fields"], "b": entry["base"]}


class BodyTooLarge(ValueError):
    """A body beyond MAX_BODY_BYTES once decompressed (413)."""


class EncodedBody(bytes):
    """A message already encoded and gzip-compressed (a push batch prepared while the last one travelled)."""


def encode(message: Any, compress: bool = True) -> bytes:
    if isinstance(message, EncodedBody) and compress:
        return message
    body = orjson.dumps(message)
    return gzip.compress(body, compresslevel=6) if compress else body


def encode_ahead(message: Any) -> EncodedBody:
    return EncodedBody(encode(message))


def decode(body: bytes, content_encoding: str | None = None) -> Any:
    """JSON from a (possibly gzip) body; ValueError if malformed, BodyTooLarge if too big."""
    try:
        if content_encoding == "gzip" or body[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
                body = stream.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            raise BodyTooLarge(f"body over {MAX_BODY_BYTES} bytes")
        return orjson.loads(body)
    except (OSError, EOFError, orjson.JSONDecodeError) as exc:
        raise ValueError(f"malformed body: {exc}") from exc


def version_headers() -> dict[str, str]:
    return {PROTOCOL_HEADER: str(PROTOCOL_VERSION), SCHEMA_HEADER: str(SCHEMA_VERSION)}
