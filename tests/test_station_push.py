"""Pushing batches over real HTTP: all or nothing, idempotent, every refusal a clear 4xx."""
import time
import uuid

import pytest
import requests
from sqlalchemy import func, select, text

from sync import clock, protocol, records
from sync.ids import new_id
from sync.station import tables
from sync.station.writer import push_audit
from tests.station_support import household, new_account, running_station, station_backends


@pytest.fixture(scope="module", params=station_backends())
def st(request, tmp_path_factory):
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))


def count(st, record_type, ids):
    table = records.record_table(record_type)
    with st.engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(table.c.id.in_(ids))).scalar()


def audit_count(st, record_id):
    with st.engine().connect() as conn:
        return len(push_audit(conn, record_ids=[record_id]))


def acked(st, device):
    with st.engine().connect() as conn:
        return conn.execute(select(tables.device.c.acked).where(tables.device.c.id == device.device_id)).scalar()


def test_a_batch_is_applied_with_versions_and_audit(st):
    device = new_account(st)
    hid, fields = household(phone="13800138000")
    pid = new_id()
    reply = device.push([device.change("household", hid, fields),
                         device.change("person", pid, {"id": pid, "name": "张小三", "household_id": hid,
                                                       "id_number": "11010519491231002X"})])
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"acked": 2, "applied": 2, "conflicts": 0, "rejected": []}
    with st.engine().connect() as conn:
        table = records.record_table("household")
        row = conn.execute(select(table.c.head_name, table.c.phone, table.c.clocks).where(table.c.id == hid)).one()
        versions = conn.execute(text("SELECT record_id, grid_code FROM record_version WHERE record_id IN (:h, :p)"),
                                {"h": hid, "p": pid}).all()
        [audit] = push_audit(conn, record_ids=[pid])
    assert row[0] == "张三" and row[1] == "13800138000"
    assert set(row[2]) == set(fields) and all(s.endswith(device.device_id) for s in row[2].values())
    assert {g for _i, g in versions} == {"420704100201-03"}                  # the person takes its household's grid
    assert (audit["user_name"], audit["device_id"], audit["seq"]) == (device.user, device.device_id, 2)
    assert set(audit["fields"]) == {"id", "name", "household_id", "id_number"}


def test_replayed_and_overlapping_batches_change_nothing(st):
    device = new_account(st)
    changes = []
    for _ in range(3):
        hid, fields = household()
        changes.append(device.change("household", hid, fields))
    first = device.push(changes[:2])
    assert first.json()["acked"] == 2
    again = device.push(changes[:2], gzip=False)              # a retry after a lost reply
    assert again.status_code == 200 and again.json() == {"acked": 2, "applied": 0, "conflicts": 0, "rejected": []}
    overlap = device.push(changes)                            # 1..3 when the station holds 1..2
    assert overlap.json()["acked"] == 3 and overlap.json()["applied"] == 1
    ids = [c["id"] for c in changes]
    assert count(st, "household", ids) == 3
    assert [audit_count(st, i) for i in ids] == [1, 1, 1]     # nothing doubled


def test_a_gap_is_409_with_what_the_station_holds(st):
    device = new_account(st)
    hid, fields = household()
    device.push([device.change("household", hid, fields)])
    device.seq = 5
    hid2, fields2 = household()
    reply = device.push([device.change("household", hid2, fields2)])
    assert reply.status_code == 409
    assert reply.json()["code"] == "gap" and reply.json()["acked"] == 1
    assert count(st, "household", [hid2]) == 0


def test_not_contiguous_is_400(st):
    device = new_account(st)
    hid, fields = household()
    change = device.change("household", hid, fields)
    batch = {"device": device.device_id, "first": 1, "last": 2, "changes": [change, change]}
    reply = device.push(batch)
    assert reply.status_code == 400 and reply.json()["code"] == "not_contiguous"
    assert count(st, "household", [hid]) == 0


def test_invalid_values_are_422_naming_seq_and_field_and_nothing_is_applied(st):
    device = new_account(st)
    good_id, good = household()
    bad_id, bad = household(head_id_number="110105194912310021")     # wrong check digit
    missing_id, missing = household()
    del missing["address"]
    tomb_id, tomb = household(deleted="yes")
    reply = device.push([device.change("household", good_id, good), device.change("household", bad_id, bad),
                         device.change("household", missing_id, missing),
                         device.change("household", new_id(), {"id": "x", "colour": "red"}),
                         device.change("spaceship", new_id(), {"name": "x"}),
                         device.change("household", tomb_id, tomb),
                         device.change("household", new_id(), {})],
                        **{"Accept-Language": "en"})
    assert reply.status_code == 422
    body = reply.json()
    assert body["code"] == "invalid" and body["acked"] == 0
    rejected = {r["seq"]: r for r in body["rejected"]}
    assert set(rejected) == {2, 3, 4, 5, 6, 7}
    assert rejected[2]["fields"] == ["head_id_number"] and "check digit" in rejected[2]["message"]
    assert rejected[3]["fields"] == ["address"]
    assert set(rejected[4]["fields"]) == {"colour", "id"}       # unknown field, and not the change's id
    assert rejected[5]["fields"] == ["type"] and "spaceship" in rejected[5]["message"]
    assert rejected[6]["fields"] == ["deleted"] and rejected[7]["fields"] == ["id"]
    assert count(st, "household", [good_id, bad_id, missing_id]) == 0
    assert acked(st, device) == 0


def test_a_person_needs_an_existing_household(st):
    device = new_account(st)
    pid = new_id()
    reply = device.push([device.change("person", pid, {"id": pid, "name": "李四", "household_id": new_id()})])
    assert reply.status_code == 422 and reply.json()["rejected"][0]["fields"] == ["household_id"]


def test_out_of_scope_is_403_and_nothing_is_applied(st):
    device = new_account(st, grids=("420704100201-03",))
    mine_id, mine = household()
    theirs_id, theirs = household(grid="420704100201-01")
    reply = device.push([device.change("household", mine_id, mine), device.change("household", theirs_id, theirs)])
    assert reply.status_code == 403
    assert reply.json()["code"] == "out_of_scope" and [r["seq"] for r in reply.json()["rejected"]] == [2]
    assert count(st, "household", [mine_id, theirs_id]) == 0
    township = new_account(st, role="township", grids=("420704100",))
    assert ("household", mine_id) not in township.pull_all()


def test_moving_a_record_out_of_scope_is_refused(st):
    device = new_account(st, grids=("420704100201-03",))
    hid, fields = household()
    device.push([device.change("household", hid, fields)])
    reply = device.push([device.change("household", hid, {"grid_code": "420704100201-02"})])
    assert reply.status_code == 403
    with st.engine().connect() as conn:
        assert conn.execute(text("SELECT grid_code FROM household WHERE id = :i"), {"i": hid}).scalar() \
            == "420704100201-03"


def test_grids_cannot_be_pushed_from_a_device(st):
    device = new_account(st)
    reply = device.push([device.change("grid", "420704100201-09", {"code": "420704100201-09", "name": "x",
                                                                      "level": "grid"})])
    assert reply.status_code == 403 and reply.json()["rejected"][0]["code"] == "grid_readonly"


def test_a_batch_for_another_device_is_403(st):
    device = new_account(st)
    hid, fields = household()
    batch = device.batch([device.change("household", hid, fields)])
    batch["device"] = str(uuid.uuid4())
    reply = device.push(batch)
    assert reply.status_code == 403 and reply.json()["code"] == "wrong_device"


def test_a_clock_a_day_ahead_is_refused_with_advice(st):
    device = new_account(st)
    hid, fields = household()
    future = clock.pack(int(time.time() * 1000) + 3 * 24 * 3600 * 1000)
    reply = device.push([device.change("household", hid, fields, hlc=future)])
    assert reply.status_code == 409 and reply.json()["code"] == "clock_ahead"
    assert "日期" in reply.json()["message"]
    assert count(st, "household", [hid]) == 0


def test_skip_markers_advance_the_sequence(st):
    device = new_account(st)
    hid, fields = household()
    device.seq = 1
    reply = device.push({"device": device.device_id, "first": 1, "last": 2,
                         "changes": [{"seq": 1, "skip": True}, device.change("household", hid, fields)]})
    assert reply.json()["acked"] == 2 and reply.json()["applied"] == 1


def test_malformed_json_is_400(st):
    device = new_account(st)
    for body, extra in ((b"{not json", {}), (b"\x1f\x8bnot gzip", {"Content-Encoding": "gzip"})):
        reply = requests.post(st.url + "/v1/push", data=body, timeout=10,
                              headers=device.headers(**{"Content-Type": "application/json", **extra}))
        assert reply.status_code == 400 and reply.json()["code"] == "malformed", reply.text


def test_wrong_shapes_are_422(st):
    device = new_account(st)
    reply = requests.post(st.url + "/v1/push", json={"device": device.device_id, "first": "one"},
                          headers=device.headers(), timeout=10)
    assert reply.status_code == 422 and reply.json()["code"] == "malformed"


def test_too_many_changes_or_too_big_a_body_is_413(st):
    device = new_account(st)
    many = [device.change("household", new_id(), {"id": "x"}) for _ in range(protocol.MAX_BATCH + 1)]
    reply = device.push(many)
    assert reply.status_code == 413 and reply.json()["code"] == "too_large"
    huge = b'{"device": "' + b"x" * (protocol.MAX_BODY_BYTES + 10) + b'"}'
    reply = requests.post(st.url + "/v1/push", data=huge, headers=device.headers(), timeout=30)
    assert reply.status_code == 413
    import gzip
    bomb = gzip.compress(b" " * (protocol.MAX_BODY_BYTES + 10))     # small on the wire, too big unpacked
    reply = requests.post(st.url + "/v1/push", data=bomb, timeout=30,
                          headers=device.headers(**{"Content-Encoding": "gzip", "Content-Type": "application/json"}))
    assert reply.status_code == 413
    assert acked(st, device) == 0
