"""The laptop cannot be held hostage by a station or a middlebox: every request and every sync
has an overall deadline, an answer is read and decompressed only up to a bound, and no
redirect is ever followed (it would carry the password elsewhere). A real station stands
behind a misbehaving proxy (tests/support/fault_proxy.py)."""
import gzip
import threading
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from desktop.syncing import StationError, StationUnreachable, SyncError
from tests.support.clients import (
    PASSWORD,
    Client,
    household,
    local_grids,
    new_user,
)
from tests.support.fault_proxy import FaultProxy

pytestmark = [pytest.mark.usefixtures("file_tokens"), pytest.mark.timeout(120)]


@pytest.fixture
def proxy(sync_station):
    running = FaultProxy(sync_station.port)
    yield running
    running.close()


@pytest.fixture
def laptop(tmp_path, sync_station, proxy):
    client = Client(tmp_path / "laptop", retries=0)
    local_grids(client)
    client.login(proxy.url, new_user(sync_station))
    yield client
    client.close()


class Thief(BaseHTTPRequestHandler):
    """Another host a redirect points at: it records whatever reaches it."""
    seen: ClassVar[list] = []

    def do_POST(self):
        type(self).seen.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        self.send_response(200)
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args):
        pass


@pytest.fixture
def thief():
    handler = type("Handler", (Thief,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, handler
    server.shutdown()
    server.server_close()


def redirect_to(url: str, status: int = 307) -> bytes:
    return (f"HTTP/1.1 {status} Temporary Redirect\r\nLocation: {url}\r\nContent-Length: 0\r\n"
            "Connection: close\r\n\r\n").encode()


def test_an_answer_dripping_a_byte_at_a_time_ends_at_the_request_deadline(laptop, proxy):
    laptop.engine.transport.request_seconds = 2
    proxy.drip_responses(every=0.3, match=b"GET /v1/pull")          # headers and all, a byte at a time
    with pytest.raises(StationUnreachable) as caught:
        laptop.sync()
    assert "2" in caught.value.message("zh_CN") and "秒" in caught.value.message("zh_CN")
    assert "2 s" in caught.value.message("en")
    proxy.clear()
    laptop.sync()                                                   # the next sync goes through


def test_a_sync_that_outlasts_its_deadline_stops_and_keeps_what_was_sent(sync_station, tmp_path, proxy):
    laptop = Client(tmp_path / "slow", retries=0, batch_size=1)
    try:
        local_grids(laptop)
        laptop.login(proxy.url, new_user(sync_station))
        for n in range(8):
            laptop.put("household", household(n))
        laptop.engine.transport.sync_seconds = 2.5
        proxy.delay_responses(1.0, match=b"POST /v1/push", times=8)   # each batch's answer a second late
        with pytest.raises(SyncError) as caught:
            laptop.sync()
        assert "同步" in caught.value.message("zh_CN") and "下次" in caught.value.message("zh_CN")
        assert 0 < laptop.pending() < 8                              # what was acknowledged stays sent
        proxy.clear()
        laptop.engine.transport.sync_seconds = 600
        laptop.sync()
        assert laptop.pending() == 0
    finally:
        laptop.close()


def test_a_gzip_bomb_is_refused_without_inflating_it(laptop, proxy):
    laptop.engine.transport.max_answer_bytes = 1024 * 1024
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)     # 64 MB in ~64 KB
    proxy.answer(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                 b"Content-Length: %d\r\n\r\n" % len(bomb) + bomb, match=b"GET /v1/pull")
    tracemalloc.start()
    try:
        with pytest.raises(StationError) as caught:
            laptop.sync()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024
    assert "过大" in caught.value.message("zh_CN") and "too large" in caught.value.message("en")


def test_an_answer_longer_than_the_bound_is_refused_whatever_it_declares(laptop, proxy):
    laptop.engine.transport.max_answer_bytes = 1024 * 1024
    proxy.answer(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{",
                 match=b"GET /v1/pull")
    with pytest.raises(StationError):
        laptop.sync()
    body = b"[" + b"0," * (3 * 1024 * 1024) + b"0]"                   # no length given: read until closed
    proxy.answer(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" + body,
                 match=b"GET /v1/pull")
    with pytest.raises(StationError) as caught:
        laptop.sync()
    assert "too large" in caught.value.message("en")


def test_a_redirect_is_never_followed_so_the_password_stays_here(sync_station, tmp_path, proxy, thief):
    server, handler = thief
    elsewhere = f"http://127.0.0.1:{server.server_address[1]}/v1/login"
    laptop = Client(tmp_path / "laptop", retries=0)
    try:
        proxy.answer(redirect_to(elsewhere), match=b"POST /v1/login")
        with pytest.raises(SyncError) as caught:
            laptop.login(proxy.url, new_user(sync_station), PASSWORD)
        assert handler.seen == []
        assert "127.0.0.1" in caught.value.message("zh_CN") and "重定向" in caught.value.message("zh_CN")
        assert "redirect" in caught.value.message("en")
        assert laptop.store.get_meta("station_url") is None
        # the session itself follows none either (photos use it directly)
        proxy.answer(redirect_to(elsewhere, 302), match=b"GET /health")
        answer = laptop.engine.session.get(proxy.url + "/health", timeout=5)
        assert answer.status_code == 302 and handler.seen == []
    finally:
        laptop.close()
