"""Photo bytes after the records: chunked uploads that resume where the station stopped, and downloads.

Runs at the end of a sync, after push and pull, so photos never hold records back;
a failure here is logged and left for the next sync, which resumes at the offset
the station reports. No Qt.
"""
from __future__ import annotations

import logging

import requests

from desktop.store import photo_blobs

from .errors import SyncError

log = logging.getLogger(__name__)
CHUNK = 256 * 1024


def _put(engine, sha256: str, offset: int, data: bytes) -> tuple[int, dict]:
    """(status, JSON body) of one chunk sent, through the transport (deadline, bounds, no redirect)."""
    headers = {**engine.transport.headers(engine._require_token()), "Content-Type": "application/octet-stream"}
    return engine.transport.exchange("PUT", f"{engine.station_url}/v1/blobs/{sha256}", params={"offset": offset},
                                     data=data, headers=headers, verify=engine._verify(), retries=0)


def upload_one(engine, blob: dict, chunk: int = CHUNK, max_chunks: int | None = None) -> bool:
    """Send the rest of one photo; True once the station holds all of it. `max_chunks` stops early (tests)."""
    store, sha256 = engine.store, blob["sha256"]
    if not photo_blobs.path_of(store, sha256).exists():
        return False
    state = engine.call("GET", f"/v1/blobs/{sha256}", expect=(200, 404))
    if state.status == 404:            # the record is not at the station yet: next time
        return False
    offset, sent_chunks = int(state.body["received"]), 0
    data = photo_blobs.read(store, sha256)          # sealed on disk: opened whole (a photo is a few MB)
    while not state.body.get("complete"):
        engine.check_cancel()
        if max_chunks is not None and sent_chunks >= max_chunks:
            return False
        status, body = _put(engine, sha256, offset, data[offset:offset + chunk])
        if status not in (200, 409):      # 422: our file does not match its name
            raise SyncError(code="client_station_error", status=status, detail=str(body.get("message") or ""))
        state.body, offset, sent_chunks = body, int(body.get("received", 0)), sent_chunks + 1
        photo_blobs.progress(store, sha256, offset)
    photo_blobs.progress(store, sha256, blob["size"], done=True)
    return True


def upload(engine, chunk: int = CHUNK) -> int:
    """Upload every pending photo; return how many are now complete at the station."""
    done = 0
    for blob in photo_blobs.pending(engine.store):
        try:
            done += upload_one(engine, blob, chunk)
        except (SyncError, requests.RequestException, ValueError) as exc:
            log.info("photo %s not uploaded this time: %s", blob["sha256"][:12], exc)
            break
    return done


def download(engine, sha256: str, chunk: int = CHUNK):
    """Fetch a photo another device took (the township viewing a case); returns its local path."""
    state = engine.call("GET", f"/v1/blobs/{sha256}").body
    parts, offset = [], 0
    headers = engine.transport.headers(engine._require_token())
    while offset < state["size"]:
        status, content = engine.transport.exchange(
            "GET", f"{engine.station_url}/v1/blobs/{sha256}/data", params={"offset": offset, "limit": chunk},
            headers=headers, verify=engine._verify(), retries=0, decode=False)
        if status != 200 or not content:
            raise SyncError(code="client_station_error", status=status,
                            detail=content[:200].decode("utf-8", "replace"))
        parts.append(content)
        offset += len(content)
    return photo_blobs.save_downloaded(engine.store, sha256, b"".join(parts))
