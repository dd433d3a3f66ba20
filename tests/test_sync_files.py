"""Sync by file (a USB stick): export, import at the station, reply back; no network in between."""
import json

import pytest

from tests.support.clients import (
    GRID,
    OTHER_GRID,
    TOWNSHIP,
    Client,
    household,
    local_grids,
    new_user,
    station_applied,
    station_records,
)

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture
def clients(tmp_path):
    made = []

    def make(name: str) -> Client:
        made.append(Client(tmp_path / name))
        return made[-1]

    yield make
    for client in made:
        client.close()


def station_import(station, path, user, reply):
    result = station.cli("import", str(path), "--user", user, "--reply", str(reply))
    return result.returncode, (json.loads(result.stdout) if result.stdout.strip() else None), result.stderr


def test_file_round_trip_between_two_offline_laptops_and_the_station(sync_station, clients, tmp_path):
    worker, township = new_user(sync_station), new_user(sync_station, "township", (TOWNSHIP,))
    village = clients("village")                 # never online: the station learns of it from the file
    local_grids(village)
    ids = [village.put("household", household(n)) for n in range(3)]
    village.put("household", {"id": ids[0], "phone": "13800138000"})
    code, out, _ = village.cli("sync", "--export", str(tmp_path / "push.gbsync"))
    assert code == 0 and "4" in out and village.pending() == 4         # nothing counts as sent yet

    code, summary, err = station_import(sync_station, tmp_path / "push.gbsync", worker, tmp_path / "reply.gbsync")
    assert code == 0, err
    assert (summary["applied"], summary["acked"]) == (4, 4)
    assert station_records(sync_station, "household", ids)[ids[0]]["phone"] == "13800138000"

    code, out, _ = village.cli("sync", "--import", str(tmp_path / "reply.gbsync"), "--json")
    assert code == 0 and json.loads(out)["pushed"] == 4
    assert village.pending() == 0 and village.store.get("grid", "420704100")["name"] == "汀祖镇"
    state = (village.snapshot(), village.store.get_meta("pull_cursor"), village.acked())

    # either file again changes nothing
    code, summary, _ = station_import(sync_station, tmp_path / "push.gbsync", worker, tmp_path / "reply2.gbsync")
    assert code == 0 and summary["applied"] == 0
    assert station_applied(sync_station, village.device_id) == [1, 2, 3, 4]
    assert village.cli("sync", "--import", str(tmp_path / "reply.gbsync"))[0] == 0
    assert village.cli("sync", "--import", str(tmp_path / "reply2.gbsync"))[0] == 0
    assert (village.snapshot(), village.store.get_meta("pull_cursor"), village.acked()) == state

    # a township laptop, offline too, receives the village's records by file
    office = clients("office")
    office.cli("sync", "--export", str(tmp_path / "office.gbsync"))
    assert station_import(sync_station, tmp_path / "office.gbsync", township, tmp_path / "office-reply.gbsync")[0] == 0
    assert office.cli("sync", "--import", str(tmp_path / "office-reply.gbsync"))[0] == 0
    mine, theirs = village.snapshot(), office.snapshot()
    assert all(theirs[("household", i)] == mine[("household", i)] for i in ids)


def test_a_truncated_file_is_refused_with_the_reason_and_nothing_changes(sync_station, clients, tmp_path):
    worker = new_user(sync_station)
    village = clients("village")
    local_grids(village)
    record = village.put("household", household(1))
    village.engine.export_file(tmp_path / "push.gbsync")
    data = (tmp_path / "push.gbsync").read_bytes()
    (tmp_path / "cut.gbsync").write_bytes(data[: len(data) // 2])      # pulled out of the USB port too soon
    code, _summary, err = station_import(sync_station, tmp_path / "cut.gbsync", worker, tmp_path / "r.gbsync")
    assert code == 2 and "不完整" in err and not (tmp_path / "r.gbsync").exists()
    assert station_records(sync_station, "household", [record]) == {}

    assert station_import(sync_station, tmp_path / "push.gbsync", worker, tmp_path / "r.gbsync")[0] == 0
    reply = (tmp_path / "r.gbsync").read_bytes()
    (tmp_path / "r-cut.gbsync").write_bytes(reply[:-7])
    code, _, err = village.cli("--lang", "en", "sync", "--import", str(tmp_path / "r-cut.gbsync"))
    assert code == 1 and "incomplete" in err and village.pending() == 1 and village.acked() == 0


def test_a_refused_change_comes_back_set_aside_and_the_rest_goes_in_the_same_trip(sync_station, clients, tmp_path):
    worker = new_user(sync_station)
    village = clients("village")
    local_grids(village, GRID, OTHER_GRID)
    ids = [village.put("household", household(1)), village.put("household", household(2, grid=OTHER_GRID)),
           village.put("household", household(3))]
    village.engine.export_file(tmp_path / "p1")
    code, summary, _ = station_import(sync_station, tmp_path / "p1", worker, tmp_path / "r1")
    assert code == 2 and [r["seq"] for r in summary["rejected"]] == [2]      # said, and skipped
    result = village.engine.import_reply(tmp_path / "r1")
    assert (result.set_aside, result.pushed, village.pending()) == (1, 2, 0)
    assert set(station_records(sync_station, "household", ids)) == {ids[0], ids[2]}
    assert village.engine.export_file(tmp_path / "p2") == 0                   # nothing left to carry
    code, out, _ = village.cli("status")
    assert "被退回变更: 1" in out and ids[1] in out
