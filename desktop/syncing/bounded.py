"""Read an answer's body with a bound on its size as it travels and once decompressed.

requests would inflate a 3 MB gzip bomb into gigabytes before anyone looked at it; here
the raw bytes are read in chunks and inflated with zlib's max_length, so no more than
`limit` bytes (plus one chunk) are ever held, whatever the answer claims or contains.
"""
from __future__ import annotations

import zlib

import requests

READ_CHUNK = 64 * 1024
COMPRESSED = ("gzip", "x-gzip", "deflate")


class TooLarge(ValueError):
    """The answer is longer than the bound (as sent, or once decompressed)."""


def read_body(raw: requests.Response, limit: int) -> bytearray:
    """The decoded body of a streamed answer; TooLarge past `limit`, ValueError if garbled."""
    declared = (raw.headers.get("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"{declared} bytes declared")
    encoding = (raw.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding not in (*COMPRESSED, "identity", ""):
        raise ValueError(f"unsupported content encoding {encoding!r}")
    # gzip or zlib, told apart by their header (wbits | 32), as browsers do for "deflate"
    decoder = zlib.decompressobj(zlib.MAX_WBITS | 32) if encoding in COMPRESSED else None
    body, travelled = bytearray(), 0
    try:
        for chunk in raw.raw.stream(READ_CHUNK, decode_content=False):
            travelled += len(chunk)
            if travelled > limit:
                raise TooLarge(f"over {limit} bytes sent")
            if decoder is None:
                body += chunk
            else:
                body += decoder.decompress(chunk, limit + 1 - len(body))
                if decoder.unconsumed_tail:
                    raise TooLarge(f"over {limit} bytes once decompressed")
            if len(body) > limit:
                raise TooLarge(f"over {limit} bytes")
        if decoder is not None:
            body += decoder.flush()
            if len(body) > limit:
                raise TooLarge(f"over {limit} bytes once decompressed")
    except zlib.error as exc:
        raise ValueError(f"garbled compressed answer: {exc}") from exc
    return body
