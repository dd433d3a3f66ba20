"""A sync file is applied as the account its device is registered to, never as the user it names;
a file that does not come from the registered laptop is refused, and a copied folder forks by file too."""
import json
import shutil

import pytest

from sync import syncfile
from tests.support.clients import TOWNSHIP, Client, household, local_grids, new_user, station_records

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture
def clients(tmp_path):
    made = []

    def make(folder) -> Client:
        made.append(Client(folder))
        return made[-1]

    yield make
    for client in made:
        client.close()


def station_import(station, path, reply, user=None):
    args = ["import", str(path), "--reply", str(reply)] + (["--user", user] if user else [])
    result = station.cli(*args)
    return result.returncode, (json.loads(result.stdout) if result.stdout.strip() else None), result.stderr


def exported(client: Client, path) -> dict:
    code, _out, err = client.cli("sync", "--export", str(path))
    assert code == 0, err
    return syncfile.read(path, "push")


def test_a_file_claiming_another_user_is_applied_as_its_devices_account(sync_station, clients, tmp_path):
    worker, county = new_user(sync_station), new_user(sync_station, "county", ("420704",))
    laptop = clients(tmp_path / "laptop")
    local_grids(laptop)
    laptop.put("household", household(1))
    payload = exported(laptop, tmp_path / "push.gbsync")
    assert station_import(sync_station, tmp_path / "push.gbsync", tmp_path / "r.gbsync", user=worker)[0] == 0

    other_grid = household(2, grid="420704101201-01")          # another township: not the worker's
    laptop.put("grid", {"code": "420704101201", "name": "红星村", "level": "village"})
    laptop.put("grid", {"code": "420704101201-01", "name": "红星村第一网格", "level": "grid",
                        "parent_code": "420704101201"})
    hid = laptop.put("household", other_grid)
    payload = exported(laptop, tmp_path / "claim.gbsync")
    payload["user"] = county                                     # the file says it is the county account
    syncfile.write(tmp_path / "claim.gbsync", "push", payload)
    code, summary, _err = station_import(sync_station, tmp_path / "claim.gbsync", tmp_path / "r2.gbsync")
    assert code == 2 and summary and summary["user"] == worker, _err   # applied as the worker: refused
    assert station_records(sync_station, "household", [hid]) == {}
    reply = syncfile.read(tmp_path / "r2.gbsync", "reply")
    assert all(r["type"] != "household" or r["f"].get("grid_code", "").startswith("420704100")
               for r in reply["rows"])                           # and the reply carries only the worker's data


def test_an_unregistered_device_needs_the_operator_to_name_its_user(sync_station, clients, tmp_path):
    laptop = clients(tmp_path / "laptop")
    local_grids(laptop)
    laptop.put("household", household(1))
    payload = exported(laptop, tmp_path / "push.gbsync")
    payload["user"] = new_user(sync_station, "township", (TOWNSHIP,))
    syncfile.write(tmp_path / "push.gbsync", "push", payload)
    code, _summary, err = station_import(sync_station, tmp_path / "push.gbsync", tmp_path / "r.gbsync")
    assert code == 2 and "--user" in err                          # the file's own claim is not enough


def test_a_file_forged_with_a_registered_devices_id_is_refused(sync_station, clients, tmp_path):
    worker = new_user(sync_station)
    laptop = clients(tmp_path / "laptop")
    local_grids(laptop)
    laptop.login(sync_station.url, worker)
    laptop.sync()
    forger = clients(tmp_path / "forger")                         # knows the victim's public device id only
    local_grids(forger)
    hid = forger.put("household", household(7))
    payload = exported(forger, tmp_path / "forged.gbsync")
    payload["device"] = laptop.device_id
    for batch in payload["batches"]:
        batch["device"] = laptop.device_id
    payload.pop("device_secret", None)
    syncfile.write(tmp_path / "forged.gbsync", "push", payload)
    code, _summary, err = station_import(sync_station, tmp_path / "forged.gbsync", tmp_path / "r.gbsync")
    assert code == 2 and err
    assert station_records(sync_station, "household", [hid]) == {}
    laptop.put("household", household(8))                        # the real laptop's own file still goes
    exported(laptop, tmp_path / "real.gbsync")
    assert station_import(sync_station, tmp_path / "real.gbsync", tmp_path / "r2.gbsync")[0] == 0


def test_a_copied_folder_syncing_by_file_forks_and_loses_nothing(sync_station, clients, tmp_path):
    worker = new_user(sync_station)
    first = clients(tmp_path / "first")
    local_grids(first)
    first.put("household", household(1))
    exported(first, tmp_path / "p1.gbsync")
    assert station_import(sync_station, tmp_path / "p1.gbsync", tmp_path / "r1.gbsync", user=worker)[0] == 0
    assert first.cli("sync", "--import", str(tmp_path / "r1.gbsync"))[0] == 0
    first.store.engine.dispose()
    shutil.copytree(first.folder, tmp_path / "copy")
    copy = clients(tmp_path / "copy")

    by_first = first.put("household", household(2))
    exported(first, tmp_path / "p2.gbsync")
    assert station_import(sync_station, tmp_path / "p2.gbsync", tmp_path / "r2.gbsync")[0] == 0
    by_copy = copy.put("household", household(3))                 # the same sequence, another change
    exported(copy, tmp_path / "p3.gbsync")
    code, summary, err = station_import(sync_station, tmp_path / "p3.gbsync", tmp_path / "r3.gbsync")
    assert code == 0 and summary["diverged_at"], (summary, err)  # told, not failed
    assert copy.cli("sync", "--import", str(tmp_path / "r3.gbsync"))[0] == 0
    assert json.loads(copy.cli("status", "--json")[1])["device_id"] != first.device_id   # the copy forked
    exported(copy, tmp_path / "p4.gbsync")
    assert station_import(sync_station, tmp_path / "p4.gbsync", tmp_path / "r4.gbsync")[0] == 0
    assert copy.cli("sync", "--import", str(tmp_path / "r4.gbsync"))[0] == 0
    assert set(station_records(sync_station, "household", [by_first, by_copy])) == {by_first, by_copy}
    assert {by_first, by_copy} <= {r["id"] for r in copy.store.list("household")}
