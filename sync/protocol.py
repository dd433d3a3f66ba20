"""The wire between a device and the station: versions, messages, encoding.

HTTP API (every request names PROTOCOL_VERSION and SCHEMA_VERSION in the headers
below; bodies are JSON, optionally gzip-compressed with Content-Encoding: gzip):

  GET  /health                       -> Health           (no auth; also the station's clock)
  POST /v1/login   LoginRequest      -> LoginReply       (registers the device, returns a bearer token)
  POST /v1/push    PushBatch         -> PushReply        (Authorization: Bearer <token>)
  GET  /v1/pull?cursor=N&limit=M     -> PullPage
  GET  /v1/conflicts, POST /v1/conflicts/{id}/resolve   (township and county accounts)

Errors are JSON `{"code": ..., "message": ..., ...}` with a 4xx status; the message
is in the language of Accept-Language (zh_CN unless it asks for en):
  400 malformed   401 unauthorized / revoked   403 out_of_scope (+ rejected)
  409 gap (+ acked: resend from acked + 1)      413 too_large   422 invalid (+ rejected)
  423 locked      426 version (update the program)              429 slow_down
  503 unavailable (the station's database is down: retry later)

Push: a batch is a contiguous run first..last of the device's sequence. The station
applies it in one transaction, idempotently on (device, seq), and answers with the
highest sequence it holds. A change the station refuses comes back in `rejected`
with nothing of the batch applied; the device sets it aside and resends the batch
with that seq as a SkipMarker, so the run stays contiguous and the queue moves on.

Pull: the station sends, page by page, the current state of every record in the
device's scope whose station sequence is above the cursor: fields with their stamps,
leaving out fields whose winning stamp is the device's own. The device merges them
field by field (sync.merge) and stores the new cursor in the same transaction.
"""
from __future__ import annotations

import gzip
import io
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, Field

PROTOCOL_VERSION = 1
SCHEMA_VERSION = 2                 # the record types and fields on the wire (sync.records); 2: incidents' steps, photos, settings
PROTOCOL_HEADER = "X-Gridbook-Protocol"
SCHEMA_HEADER = "X-Gridbook-Schema"
DEFAULT_BATCH = 500
MAX_BATCH = 2000                   # changes in one push; more is 413
MAX_BODY_BYTES = 8 * 1024 * 1024   # decompressed; more is 413
DEFAULT_PAGE = 1000
MAX_PAGE = 5000


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    protocol: int
    schema_version: int = Field(alias="schema")
    time_ms: int
    station_id: str

    model_config = {"populate_by_name": True}


class LoginRequest(BaseModel):
    user: str = Field(min_length=1, max_length=50)
    password: str = Field(min_length=1, max_length=200)
    device_id: str = Field(min_length=36, max_length=36)
    device_name: str = Field(default="", max_length=100)


class LoginReply(BaseModel):
    token: str
    user: str
    role: Literal["worker", "township", "county"]
    grids: list[str]
    station_id: str


class Change(BaseModel):
    seq: int = Field(ge=1)
    type: str = Field(max_length=20)
    id: str = Field(min_length=1, max_length=40)
    op: Literal["put", "delete"]
    hlc: int = Field(ge=0)
    f: dict[str, Any]
    b: dict[str, str] = Field(default_factory=dict)


class SkipMarker(BaseModel):
    seq: int = Field(ge=1)
    skip: Literal[True]


class PushBatch(BaseModel):
    device: str = Field(min_length=36, max_length=36)
    first: int = Field(ge=1)
    last: int = Field(ge=1)
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
