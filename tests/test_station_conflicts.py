"""Concurrent edits at the station: hard and soft conflicts, delete versus edit, review and resolution."""
import orjson
import pytest
import requests
from sqlalchemy import select

from sync import records
from sync.station import tables
from tests.station_support import household, new_account, running_station, station_backends


@pytest.fixture(scope="module", params=station_backends())
def st(request, tmp_path_factory):
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))


def shared_household(st):
    """Devices a and b (two workers of one grid) both holding the same household, as pulled."""
    a, b = new_account(st), new_account(st)
    hid, fields = household()
    assert a.push([a.change("household", hid, fields)]).status_code == 200
    seen = b.pull_all()[("household", hid)]["c"]
    return a, b, hid, {**seen, "*": max(seen.values())}      # what a client puts in base


def conflicts_of(st, record_id):
    with st.engine().connect() as conn:
        return [dict(r) for r in conn.execute(select(tables.conflict).where(tables.conflict.c.record_id == record_id)
                                              .order_by(tables.conflict.c.id)).mappings()]


def row_of(st, record_id):
    table = records.record_table("household")
    with st.engine().connect() as conn:
        return dict(conn.execute(select(table).where(table.c.id == record_id)).mappings().one())


def test_same_field_changed_concurrently_is_one_hard_conflict_keeping_both(st):
    a, b, hid, base = shared_household(st)
    a.push([a.change("household", hid, {"phone": "13800000001"}, base=base)])
    reply = b.push([b.change("household", hid, {"phone": "13800000002"}, base=base)])
    assert reply.status_code == 200 and reply.json()["conflicts"] == 1
    [c] = conflicts_of(st, hid)
    assert (c["kind"], c["field"]) == ("hard", "phone")
    assert (c["kept_value"], c["kept_user"]) == ("13800000002", b.user)      # b's stamp is later
    assert (c["lost_value"], c["lost_user"]) == ("13800000001", a.user)
    assert c["kept_stamp"] > c["lost_stamp"]
    assert row_of(st, hid)["phone"] == "13800000002"


def test_an_edit_made_after_pulling_the_other_value_is_no_conflict(st):
    a, b, hid, base = shared_household(st)
    a.push([a.change("household", hid, {"phone": "13800000001"}, base=base)])
    pulled = b.pull_all()[("household", hid)]["c"]
    b.push([b.change("household", hid, {"phone": "13800000002"},
                     base={"phone": pulled["phone"], "*": max(pulled.values())})])
    assert conflicts_of(st, hid) == []
    # and a device changing its own field twice is never a conflict with itself
    seen = {**base, **a.pull_all()[("household", hid)]["c"]}
    now = {"*": max(seen.values())}
    a.push([a.change("household", hid, {"notes": "一"}, base=now),
            a.change("household", hid, {"notes": "二"}, base=now)])
    assert conflicts_of(st, hid) == []


def test_different_fields_changed_concurrently_both_survive_as_a_soft_conflict(st):
    a, b, hid, base = shared_household(st)
    a.push([a.change("household", hid, {"phone": "13800000001"}, base=base)])
    b.push([b.change("household", hid, {"notes": "低保户"}, base=base)])
    row = row_of(st, hid)
    assert (row["phone"], row["notes"]) == ("13800000001", "低保户")
    b.push([b.change("household", hid, {"address": "幸福村3组13号"}, base=base)])     # still not seen: noted once
    [c] = conflicts_of(st, hid)
    assert (c["kind"], c["field"], c["kept_user"], c["lost_user"]) == ("soft", "phone", a.user, b.user)
    assert st.cli("conflicts", "resolve", str(c["id"]), "--take", "remote").returncode == 2
    assert st.cli("conflicts", "resolve", str(c["id"]), "--take", "local").returncode == 0
    assert conflicts_of(st, hid)[0]["resolved_ms"] and row_of(st, hid)["phone"] == "13800000001"


@pytest.mark.parametrize("delete_first", [True, False])
def test_delete_wins_over_a_concurrent_edit_which_is_kept_and_noted(st, delete_first):
    a, b, hid, base = shared_household(st)
    delete = lambda: a.push([a.change("household", hid, {"deleted": True}, base=base, op="delete")])  # noqa: E731
    edit = lambda: b.push([b.change("household", hid, {"notes": "已搬走"}, base=base)])               # noqa: E731
    for step in ((delete, edit) if delete_first else (edit, delete)):
        assert step().status_code == 200
    row = row_of(st, hid)
    assert row["deleted"] is True and row["notes"] == "已搬走"       # delete wins, nothing lost
    kinds = [c["kind"] for c in conflicts_of(st, hid)]
    assert kinds == ["edit_on_deleted"]


def test_a_township_resolves_a_conflict_and_the_resolution_syncs_down(st):
    a, b, hid, base = shared_household(st)
    a.push([a.change("household", hid, {"phone": "13800000001"}, base=base)])
    b.push([b.change("household", hid, {"phone": "13800000002"}, base=base)])
    [c] = conflicts_of(st, hid)
    assert requests.get(st.url + "/v1/conflicts", headers=a.headers(), timeout=5).status_code == 403
    township = new_account(st, role="township", grids=("420704100",))
    listed = requests.get(st.url + "/v1/conflicts", headers=township.headers(), timeout=5).json()["conflicts"]
    assert c["id"] in [x["id"] for x in listed]
    outsider = new_account(st, role="township", grids=("420704101",))
    assert c["id"] not in [x["id"] for x in requests.get(st.url + "/v1/conflicts", headers=outsider.headers(),
                                                          timeout=5).json()["conflicts"]]
    reply = requests.post(f"{st.url}/v1/conflicts/{c['id']}/resolve", json={"take": "remote"},
                          headers=township.headers(), timeout=5)
    assert reply.status_code == 200, reply.text
    for device in (a, b):
        row = device.pull_all()[("household", hid)]
        assert row["f"]["phone"] == "13800000001"
        assert not row["c"]["phone"].endswith((a.device_id, b.device_id))     # the station's own change
    again = requests.post(f"{st.url}/v1/conflicts/{c['id']}/resolve", json={"take": "local"},
                          headers=township.headers(), timeout=5)
    assert again.status_code == 409
    with st.engine().connect() as conn:
        audit = conn.execute(select(tables.audit).where(tables.audit.c.record_id == hid,
                                                        tables.audit.c.action == "resolve")).mappings().one()
    assert audit["user_name"] == township.user and audit["fields"] == ["phone"]
    assert conflicts_of(st, hid)[0]["resolved_by"] == township.user


def test_conflicts_from_the_command_line(st):
    a, b, hid, base = shared_household(st)
    a.push([a.change("household", hid, {"head_name": "张三"}, base=base),
            a.change("household", hid, {"phone": "13800000001"}, base=base)])
    b.push([b.change("household", hid, {"phone": "13800000002"}, base=base)])
    listed = st.cli("conflicts", "list", "--json")
    assert listed.returncode == 0
    [c] = [x for x in orjson.loads(listed.stdout) if x["record_id"] == hid and x["kind"] == "hard"]
    bad = st.cli("conflicts", "resolve", str(c["id"]), "--take", "12345")
    assert bad.returncode == 2 and "联系电话" in bad.stderr and row_of(st, hid)["phone"] == "13800000002"
    done = st.cli("conflicts", "resolve", str(c["id"]), "--take", "13700000000")
    assert done.returncode == 0, done.stderr
    assert row_of(st, hid)["phone"] == "13700000000"
    assert a.pull_all()[("household", hid)]["f"]["phone"] == "13700000000"
    assert st.cli("conflicts", "resolve", "999999", "--take", "local").returncode == 2
    assert str(c["id"]) not in [line.split("\t")[0] for line in st.cli("conflicts", "list").stdout.splitlines()]


def test_a_resolution_cannot_move_a_record_out_of_the_reviewers_scope(st):
    """A township reviewer resolving a grid_code conflict with another township's grid moved the record there."""
    a, b = (new_account(st, role="township", grids=("420704100",)) for _ in range(2))   # two township laptops
    hid, fields = household()
    assert a.push([a.change("household", hid, fields)]).status_code == 200
    seen = b.pull_all()[("household", hid)]["c"]
    base = {**seen, "*": max(seen.values())}
    assert a.push([a.change("household", hid, {"grid_code": "420704100201-01"}, base=base)]).status_code == 200
    assert b.push([b.change("household", hid, {"grid_code": "420704100201-02"}, base=base)]).status_code == 200
    [hard] = [c for c in conflicts_of(st, hid) if c["kind"] == "hard"]
    reviewer = new_account(st, role="township", grids=("420704100",))
    elsewhere = requests.post(f"{st.url}/v1/conflicts/{hard['id']}/resolve", headers=reviewer.headers(), timeout=10,
                              json={"take": "value", "value": "420704101201-01"})     # another township's grid
    assert elsewhere.status_code == 403, elsewhere.text
    assert row_of(st, hid)["grid_code"] == "420704100201-02"
    assert conflicts_of(st, hid)[0]["resolved_ms"] is None                            # still open
    inside = requests.post(f"{st.url}/v1/conflicts/{hard['id']}/resolve", headers=reviewer.headers(), timeout=10,
                           json={"take": "value", "value": " 420704100201-03 "})
    assert inside.status_code == 200, inside.text
    assert row_of(st, hid)["grid_code"] == "420704100201-03"                          # as validation returns it


def test_the_conflict_listing_is_paged_and_says_the_total(st):
    township = new_account(st, role="township", grids=("420704100",))
    for _ in range(5):                                   # five hard conflicts: two devices, one field each time
        a, b = new_account(st), new_account(st)
        hid, fields = household()
        assert a.push([a.change("household", hid, fields)]).status_code == 200
        stamps = {"*": "", "phone": ""}
        for device, phone in ((a, "13800000001"), (b, "13800000002")):
            assert device.push([device.change("household", hid, {"phone": phone}, base=stamps)]).status_code == 200
    listed = lambda **q: requests.get(st.url + "/v1/conflicts", params=q, headers=township.headers(),  # noqa: E731
                                      timeout=10).json()
    everything = listed()
    assert everything["total"] == len(everything["conflicts"]) >= 5
    page = listed(offset=1, limit=2)
    assert (page["total"], page["offset"], page["limit"]) == (everything["total"], 1, 2)
    assert [c["id"] for c in page["conflicts"]] == [c["id"] for c in everything["conflicts"][1:3]]
    assert requests.get(st.url + "/v1/conflicts", params={"limit": 0}, headers=township.headers(),
                        timeout=10).status_code == 422
    done = st.cli("conflicts", "list", "--offset", "1", "--limit", "2")
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 2
    assert f"共 {everything['total']} 条" in done.stderr or f"of {everything['total']}" in done.stderr
