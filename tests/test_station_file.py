"""The USB transport at the station: a push file applied like HTTP pushes, a reply file carried back."""
import uuid

import pytest
from sqlalchemy import func, select

from sync import clock, records, syncfile
from sync.station import tables
from sync.station.writer import push_audit
from tests.station_support import PASSWORD, household, new_account, running_station, station_backends


@pytest.fixture(scope="module", params=station_backends())
def st(request, tmp_path_factory):
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))


def push_file(path, device_id, user, batches, cursor=0):
    syncfile.write(path, "push", {"device": device_id, "user": user, "cursor": cursor, "batches": batches})
    return path


def offline_batches(device_id, count=5, per_batch=2, grid="420704100201-03"):
    hlc = clock.HybridClock()
    changes, ids = [], []
    for seq in range(1, count + 1):
        hid, fields = household(grid=grid)
        ids.append(hid)
        changes.append({"seq": seq, "type": "household", "id": hid, "op": "put", "hlc": hlc.now(), "f": fields,
                        "b": {}})
    batches = [changes[i:i + per_batch] for i in range(0, len(changes), per_batch)]
    return ids, [{"device": device_id, "first": b[0]["seq"], "last": b[-1]["seq"], "changes": b} for b in batches]


def counts(st, ids):
    table = records.record_table("household")
    with st.engine().connect() as conn:
        rows = conn.execute(select(func.count()).select_from(table).where(table.c.id.in_(ids))).scalar()
        audits = len(push_audit(conn, record_ids=ids))
    return rows, audits


def test_a_push_file_is_applied_once_and_answered_with_a_reply_file(st, tmp_path):
    st.add_user("usb", PASSWORD, grids=("420704100201-02",))
    neighbour = new_account(st, grids=("420704100201-02",))
    theirs, fields = household(grid="420704100201-02")
    neighbour.push([neighbour.change("household", theirs, fields)])
    device_id = str(uuid.uuid4())                      # a laptop that never saw a network
    ids, batches = offline_batches(device_id, grid="420704100201-02")
    path = push_file(tmp_path / "village.gbsync", device_id, "usb", batches)
    unnamed = st.cli("import", str(path), "--reply", str(tmp_path / "reply.gbsync"))
    assert unnamed.returncode == 2 and "--user" in unnamed.stderr       # the file's own "user" is not believed
    result = st.cli("import", str(path), "--user", "usb", "--reply", str(tmp_path / "reply.gbsync"))
    assert result.returncode == 0, result.stderr
    reply = syncfile.read(tmp_path / "reply.gbsync", "reply")
    assert reply["device"] == device_id and reply["acked"] == 5 and reply["rejected"] == []
    got = {(r["type"], r["id"]) for r in reply["rows"]}
    assert ("household", theirs) in got and ("grid", "420704100201-02") in got
    assert not got & {("household", i) for i in ids}                    # its own records are not sent back
    assert counts(st, ids) == (5, 5)
    again = st.cli("import", str(path))                                  # the same stick, plugged in twice
    assert again.returncode == 0
    assert counts(st, ids) == (5, 5)
    assert syncfile.read(tmp_path / "village-reply.gbsync", "reply")["acked"] == 5


def test_a_damaged_or_truncated_file_is_refused_and_changes_nothing(st, tmp_path):
    device_id = str(uuid.uuid4())
    st.add_user("usb2", PASSWORD)
    ids, batches = offline_batches(device_id, count=3)
    path = push_file(tmp_path / "push.gbsync", device_id, "usb2", batches)
    data = path.read_bytes()
    damaged = tmp_path / "damaged.gbsync"
    damaged.write_bytes(data[:-10] + bytes(b ^ 0xFF for b in data[-10:]))
    truncated = tmp_path / "truncated.gbsync"
    truncated.write_bytes(data[: len(data) // 2])
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    for bad, says in ((damaged, "校验"), (truncated, "不完整"), (other, "不是网格台账同步文件"),
                      (tmp_path / "missing.gbsync", "无法读取")):
        result = st.cli("import", str(bad))
        assert result.returncode == 2 and says in result.stderr, (bad, result.stderr)
    assert counts(st, ids) == (0, 0)
    with st.engine().connect() as conn:
        assert conn.execute(select(tables.device).where(tables.device.c.id == device_id)).first() is None


def test_a_refused_change_comes_back_in_the_reply_and_the_rest_applies(st, tmp_path):
    device_id = str(uuid.uuid4())
    st.add_user("usb3", PASSWORD)
    ids, batches = offline_batches(device_id, count=4)
    batches[1]["changes"][0]["f"]["grid_code"] = "420704100201-01"          # seq 3: not this worker's grid
    path = push_file(tmp_path / "push.gbsync", device_id, "usb3", batches)
    result = st.cli("import", str(path), "--user", "usb3")
    assert result.returncode == 2                 # said: some changes were refused
    reply = syncfile.read(tmp_path / "push-reply.gbsync", "reply")
    # one trip to the township is enough: the refused change is skipped, the rest is applied
    assert reply["acked"] == 4 and [r["seq"] for r in reply["rejected"]] == [3]
    assert counts(st, ids)[0] == 3
    again = st.cli("import", str(path))          # idempotent: nothing more, nothing refused twice
    assert again.returncode == 0 and counts(st, ids)[0] == 3
    assert st.cli("import", str(path), "--user", "nobody").returncode == 2
