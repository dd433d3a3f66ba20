"""Request bodies at the station: a push is refused on its token before its body is read, and a body
that stalls on the way is given up after a while instead of holding a connection and a worker for ever."""
import socket
import time
from urllib.parse import urlsplit

import pytest
import requests

from sync import protocol
from tests.station_support import household, new_account, running_station

IDLE = 1.5          # seconds a body may stall in these tests (GRIDBOOK_STATION_BODY_IDLE)


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    yield from running_station("sqlite", tmp_path_factory.mktemp("bodies"),
                               env={"GRIDBOOK_STATION_BODY_IDLE": str(IDLE)})


def raw_request(station, path: str, headers: dict, body: bytes, wait: float) -> tuple[bytes, float]:
    """Send a request's head and the first part of its body, then nothing: the station's answer and how
    long it took (b"" if none came within `wait` seconds)."""
    where = urlsplit(station.url)
    with socket.create_connection((where.hostname, where.port), timeout=wait) as conn:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        conn.sendall(f"POST {path} HTTP/1.1\r\nHost: {where.hostname}\r\n{head}\r\n".encode() + body)
        started, answer = time.monotonic(), b""
        try:
            while not _whole(answer):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except TimeoutError:
            pass
        return answer, time.monotonic() - started


def _whole(answer: bytes) -> bool:
    head, sep, body = answer.partition(b"\r\n\r\n")
    length = [int(line.split(b":")[1]) for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")]
    return bool(sep) and len(body) >= (length[0] if length else 0)


def test_a_push_with_a_wrong_token_is_refused_before_its_body_is_parsed(station):
    reply = requests.post(station.url + "/v1/push", data=b"{not json at all" * 1000, timeout=30,
                          headers={**protocol.version_headers(), "Authorization": "Bearer forged",
                                   "Content-Type": "application/json"})
    assert reply.status_code == 401 and reply.json()["code"] == "unauthorized"       # not 400 malformed


def test_a_push_with_a_wrong_token_is_refused_without_waiting_for_its_body(station):
    headers = {**protocol.version_headers(), "Authorization": "Bearer forged", "Content-Type": "application/json",
               "Content-Length": str(7 * 1024 * 1024)}
    answer, took = raw_request(station, "/v1/push", headers, b'{"device": "', wait=IDLE * 4)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:80]
    assert took < IDLE               # answered at once, not after the stalled body was given up


def test_a_body_that_stalls_is_given_up_with_a_clear_answer_and_the_station_goes_on(station):
    device = new_account(station)
    headers = {**device.headers(), "Content-Type": "application/json", "Content-Length": "4096"}
    answer, took = raw_request(station, "/v1/push", headers, b'{"device": "', wait=IDLE * 8)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
    assert took >= IDLE * 0.9 and b'"code":"body_timeout"' in answer.replace(b" ", b"")
    record_id, fields = household()
    reply = device.push([device.change("household", record_id, fields)])
    assert reply.status_code == 200 and reply.json()["acked"] == 1
