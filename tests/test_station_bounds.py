"""What an attacker sends is bounded: a sync-file bomb, a batch of a thousand bad changes, a stream of made-up names."""
import gzip
import hashlib
import time
import uuid

import orjson
import requests
from sqlalchemy import func, select, update

from sync import protocol, syncfile
from sync.station import tables
from tests.station_support import household, new_account


def test_a_sync_file_that_inflates_like_a_bomb_is_refused(station, tmp_path):
    body = gzip.compress(b'{"device": "' + b"0" * (100 * 1024 * 1024) + b'"}', compresslevel=9)
    header = {"format": syncfile.FORMAT, "version": syncfile.PROTOCOL_VERSION, "kind": "push", "length": len(body),
              "sha256": hashlib.sha256(body).hexdigest()}
    bomb = tmp_path / "bomb.gbsync"
    bomb.write_bytes(orjson.dumps(header) + b"\n" + body)
    assert bomb.stat().st_size < 1024 * 1024
    result = station.cli("import", str(bomb), "--user", "nobody")
    assert result.returncode == 2 and "MB" in result.stderr


def test_a_thousand_refused_changes_come_back_a_bounded_list_at_a_time(station):
    device = new_account(station)
    changes = [device.change("household", *household(address={"no": n})) for n in range(1000)]
    reply = device.push(changes)
    assert reply.status_code == 422
    answer = reply.json()
    assert answer["refused"] == 1000 and len(answer["rejected"]) == 500 and len(reply.content) < 400_000
    listed = {r["seq"] for r in answer["rejected"]}
    resent = [{"seq": c["seq"], "skip": True} if c["seq"] in listed else c for c in changes]
    second = device.push(resent).json()                   # the device sets those aside and sends again
    assert second["refused"] == 500 and not listed & {r["seq"] for r in second["rejected"]}


def test_failed_logins_with_made_up_names_do_not_pile_up(station):
    def fail(name):
        requests.post(station.url + "/v1/login", headers=protocol.version_headers(), timeout=10,
                      json={"user": name, "password": "guess-123", "device_id": str(uuid.uuid4())})

    for _ in range(20):
        fail(f"nobody-{uuid.uuid4().hex[:8]}")
    engine = station.engine()
    lf = tables.login_failure
    with engine.begin() as conn:
        assert conn.execute(select(func.count()).select_from(lf)).scalar() >= 20
        conn.execute(update(lf).values(last_ms=int(time.time() * 1000) - 2 * 24 * 3_600_000))   # two days on
    fail("one-more")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(lf)).scalar() == 1
    engine.dispose()
