"""Damaged sync files (the USB transport) on both sides: a byte flipped anywhere, cut at any point, the wrong
kind, or sound on the outside but garbage inside: refused with a reason, and nothing changes on either side."""
from __future__ import annotations

import json

import pytest

from sync import syncfile
from tests.support.clients import Client, household, local_grids, new_user, station_applied, station_records

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture
def village(tmp_path):
    client = Client(tmp_path / "village")
    local_grids(client)
    yield client
    client.close()


def damaged_copies(path, folder) -> dict:
    """Name -> a damaged copy of the file: flipped bytes in header and body, cuts at every kind of point."""
    data = path.read_bytes()
    header_end = data.index(b"\n")
    middle = header_end + (len(data) - header_end) // 2
    variants = {
        "flipped in the middle": data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:],
        "flipped last byte": data[:-1] + bytes([data[-1] ^ 0x80]),
        "flipped in the header": data[:10] + bytes([data[10] ^ 0x20]) + data[11:],
        "empty": b"",
        "header only": data[:header_end + 1],
        "cut in the header": data[:header_end // 2],
        "cut one byte short": data[:-1],
        "one byte too many": data + b"\0",
        "zeroed block": data[:middle] + b"\0" * 64 + data[middle + 64:],
    }
    out = {}
    for name, content in variants.items():
        target = folder / (name.replace(" ", "-") + ".gbsync")
        target.write_bytes(content)
        out[name] = target
    return out


def station_import(station, path, user, reply):
    result = station.cli("import", str(path), "--user", user, "--reply", str(reply))
    return result.returncode, result.stdout, result.stderr


def client_state(client: Client) -> tuple:
    from desktop.store import replication
    return (client.snapshot(), client.store.get_meta("pull_cursor"), client.acked(), client.pending(),
            [(e["seq"], e["reason"]) for e in replication.set_aside_changes(client.store)])


def test_a_damaged_push_file_is_refused_with_a_reason_and_the_station_is_unchanged(sync_station, village, tmp_path):
    worker = new_user(sync_station)
    ids = [village.put("household", household(n)) for n in range(30)]
    village.engine.export_file(tmp_path / "push.gbsync")
    for name, bad in damaged_copies(tmp_path / "push.gbsync", tmp_path).items():
        code, out, err = station_import(sync_station, bad, worker, tmp_path / "reply.gbsync")
        assert code == 2 and err.strip() and "Traceback" not in err + out, (name, out, err)
        assert not (tmp_path / "reply.gbsync").exists(), name
    assert station_records(sync_station, "household", ids) == {}
    assert station_applied(sync_station, village.device_id) == []
    # the sound file still goes in, once
    assert station_import(sync_station, tmp_path / "push.gbsync", worker, tmp_path / "reply.gbsync")[0] == 0
    assert station_applied(sync_station, village.device_id) == list(range(1, 31))


def test_a_damaged_reply_file_is_refused_with_a_reason_and_the_laptop_is_unchanged(sync_station, village, tmp_path):
    worker = new_user(sync_station)
    ids = [village.put("household", household(n)) for n in range(30)]
    village.engine.export_file(tmp_path / "push.gbsync")
    assert station_import(sync_station, tmp_path / "push.gbsync", worker, tmp_path / "reply.gbsync")[0] == 0
    before = client_state(village)
    for name, bad in damaged_copies(tmp_path / "reply.gbsync", tmp_path).items():
        code, out, err = village.cli("sync", "--import", str(bad))
        assert code == 1 and err.strip() and "Traceback" not in err + out, (name, out, err)
        assert client_state(village) == before, name
    # each side's file handed to the wrong side: the kind is named
    code, _, err = village.cli("sync", "--import", str(tmp_path / "push.gbsync"))
    assert code == 1 and "类型" in err and client_state(village) == before
    code, _, err = station_import(sync_station, tmp_path / "reply.gbsync", worker, tmp_path / "r2.gbsync")
    assert code == 2 and "类型" in err
    # the sound reply still applies
    code, out, _ = village.cli("sync", "--import", str(tmp_path / "reply.gbsync"), "--json")
    assert code == 0 and json.loads(out)["pushed"] == 30 and village.pending() == 0
    assert set(station_records(sync_station, "household", ids)) == set(ids)


def test_a_push_file_sound_outside_but_garbage_inside_is_refused(sync_station, village, tmp_path):
    worker = new_user(sync_station)
    device = village.device_id
    garbage = {
        "batches not a list": {"device": device, "user": worker, "batches": "all of them"},
        "a batch of nonsense": {"device": device, "user": worker, "batches": [{"first": "x"}]},
        "no device": {"user": worker, "batches": []},
        "a change with a negative seq": {"device": device, "user": worker, "batches": [
            {"device": device, "first": -1, "last": -1, "changes": [{"seq": -1, "skip": True}]}]},
    }
    for name, payload in garbage.items():
        syncfile.write(tmp_path / "odd.gbsync", "push", payload)
        code, out, err = station_import(sync_station, tmp_path / "odd.gbsync", worker, tmp_path / "r.gbsync")
        assert code == 2 and err.strip() and "Traceback" not in err + out, (name, out, err)
        assert not (tmp_path / "r.gbsync").exists(), name
    # a well-formed change the station cannot take travels back as refused, with its reason
    syncfile.write(tmp_path / "odd.gbsync", "push", {"device": device, "user": worker, "batches": [
        {"device": device, "first": 1, "last": 1,
         "changes": [{"seq": 1, "type": "spaceship", "id": "x", "op": "put", "hlc": 1, "f": {}, "b": {}}]}]})
    code, out, err = station_import(sync_station, tmp_path / "odd.gbsync", worker, tmp_path / "r.gbsync")
    assert code == 2 and "Traceback" not in err + out
    rejected = syncfile.read(tmp_path / "r.gbsync", "reply")["rejected"]
    assert [r["seq"] for r in rejected] == [1] and rejected[0]["message"]
    assert station_applied(sync_station, device) == []



GARBAGE_REPLIES = {
    "acked not a number": {"acked": "lots", "rows": []},
    "a rejection without seq": {"acked": 0, "rejected": [{"code": "invalid"}], "rows": []},
    "rows not a list": {"acked": 1, "rows": "everything", "cursor": 5},
    "a row without fields": {"acked": 1, "rows": [{"type": "household", "id": "x"}], "cursor": 5},
}


# A reply whose checksum is right may still be wrong inside (a bug, a hand-edited file): it is
# checked whole before anything applies, refused with a reason, and applied in one transaction.
@pytest.mark.parametrize("name", GARBAGE_REPLIES)
def test_a_reply_file_sound_outside_but_garbage_inside_is_refused_and_changes_nothing(village, tmp_path, name):
    village.put("household", household(1))
    before = client_state(village)
    syncfile.write(tmp_path / "odd.gbsync", "reply", {"device": village.device_id, **GARBAGE_REPLIES[name]})
    code, out, err = village.cli("sync", "--import", str(tmp_path / "odd.gbsync"))
    assert code == 1 and err.strip() and "Traceback" not in err + out, (out, err)
    assert client_state(village) == before
