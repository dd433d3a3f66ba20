"""Faults at the station: killed mid-batch (all or nothing), database unreachable (503, never 500)."""
import threading
import time

import pytest
import requests
from sqlalchemy import func, select

from sync import protocol, records
from sync.ids import new_id
from sync.station import tables
from sync.station.writer import push_audit
from tests.station_support import PASSWORD, HttpDevice, Station, free_port, household


def big_batch(device, size):
    changes = []
    for _ in range(size // 2):
        hid, fields = household()
        pid = new_id()
        changes.append(device.change("household", hid, fields))
        changes.append(device.change("person", pid, {"id": pid, "name": "某某", "household_id": hid}))
    return changes


def state(station, device, ids):
    person = records.record_table("person")
    household = records.record_table("household")
    with station.engine().connect() as conn:
        acked = conn.execute(select(tables.device.c.acked).where(tables.device.c.id == device.device_id)).scalar()
        rows = sum(conn.execute(select(func.count()).select_from(t).where(t.c.id.in_(ids))).scalar()
                   for t in (household, person))
        audits = len(push_audit(conn, record_ids=ids))
        versions = conn.execute(select(func.count()).select_from(tables.record_version)
                                .where(tables.record_version.c.record_id.in_(ids))).scalar()
    return acked, rows, audits, versions


@pytest.mark.slow
def test_a_station_killed_mid_batch_applies_it_wholly_or_not_at_all(station):
    station.add_user("kill", PASSWORD)
    device = HttpDevice(station, "kill", PASSWORD)
    size = protocol.MAX_BATCH
    started = time.monotonic()
    assert device.push(big_batch(device, size)).status_code == 200
    duration = time.monotonic() - started
    second = big_batch(device, size)
    ids = [c["id"] for c in second]
    outcome = {}
    sender = threading.Thread(target=lambda: outcome.update(reply=_try(device.push, second)))
    sender.start()
    time.sleep(duration * 0.6)                  # most likely inside the transaction
    station.kill()
    sender.join(30)
    station.start()
    acked, rows, audits, versions = state(station, device, ids)
    assert acked in (size, 2 * size)
    expected = len(ids) if acked == 2 * size else 0
    assert (rows, audits, versions) == (expected, expected, expected)
    retry = device.push(second)                 # what the client does next: resend from acked + 1
    assert retry.status_code == 200 and retry.json()["acked"] == 2 * size
    assert state(station, device, ids) == (2 * size, len(ids), len(ids), len(ids))


def _try(call, *args):
    try:
        return call(*args)
    except requests.RequestException as exc:
        return exc


def test_an_unreachable_database_gets_503_not_500(tmp_path):
    dead = f"postgresql+psycopg://gridbook:x@127.0.0.1:{free_port()}/gridbook?connect_timeout=2"
    station = Station(tmp_path, dead)
    station.start(healthy=False)
    try:
        health = requests.get(station.url + "/health", timeout=10)
        assert health.status_code == 503 and health.json()["status"] == "degraded"
        headers = {**protocol.version_headers(), "Accept-Language": "en"}
        reply = requests.post(station.url + "/v1/login", headers=headers,
                              json={"user": "a", "password": "b" * 8, "device_id": new_id()}, timeout=10)
        assert reply.status_code == 503
        assert reply.json()["code"] == "unavailable" and "retry later" in reply.json()["message"]
        assert reply.headers["Retry-After"]
    finally:
        station.stop()
    assert "Traceback" not in station.log()
