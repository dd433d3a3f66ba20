"""A laptop restored from its backup, a data folder copied to a second laptop, a victim's public
device id: each keeps every record and every worker's own laptop (issue: nothing lost in the field)."""
import json
import shutil
import uuid

import pytest
import requests
from sqlalchemy import select

from sync import protocol
from sync.station import tables
from tests.support.clients import PASSWORD, Client, household, new_user, station_records

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture
def laptops(tmp_path):
    made = []

    def make(folder) -> Client:
        made.append(Client(tmp_path / folder if isinstance(folder, str) else folder))
        return made[-1]

    yield make
    for client in made:
        client.close()


def cli_ok(client: Client, *args: str, stdin: str | None = None) -> str:
    code, out, err = client.cli(*args, stdin=stdin)
    assert code == 0, (args, out, err)
    return out


def login(client: Client, station, user: str) -> None:
    """Log in and sync, as a worker does first: the grids arrive from the station."""
    cli_ok(client, "login", "--station", station.url, "--user", user, "--password-stdin", stdin=PASSWORD + "\n")
    cli_ok(client, "sync")


def put_household(client: Client, n: int) -> str:
    return cli_ok(client, "put", "household", "--json", json.dumps(household(n), ensure_ascii=False)).strip()


def device_of(client: Client) -> str:
    return json.loads(cli_ok(client, "status", "--json"))["device_id"]


def households(client: Client) -> set[str]:
    return {r["id"] for r in client.store.list("household")}


def copy_folder(client: Client, target):
    """Copy a data folder as a worker would, with Gridbook closed: the file, its token, everything."""
    client.store.engine.dispose()
    shutil.copytree(client.folder, target)
    return target


def test_a_laptop_restored_from_its_backup_keeps_every_record(sync_station, laptops, tmp_path):
    worker = new_user(sync_station)
    laptop = laptops("laptop")
    login(laptop, sync_station, worker)
    original_device = device_of(laptop)
    before = {put_household(laptop, n) for n in range(3)}
    cli_ok(laptop, "sync")
    backup = copy_folder(laptop, tmp_path / "usb-stick")

    after_backup = {put_household(laptop, n) for n in range(3, 5)}
    cli_ok(laptop, "sync")
    laptop.close()

    shutil.rmtree(laptop.folder)                    # the disk dies; the worker copies the stick back
    shutil.copytree(backup, laptop.folder)
    restored = laptops(laptop.folder)
    made_after_restore = put_household(restored, 9)
    cli_ok(restored, "sync")
    cli_ok(restored, "sync")                       # a second sync settles whatever the first began

    everything = before | after_backup | {made_after_restore}
    assert set(station_records(sync_station, "household", everything)) == everything
    assert everything <= households(restored)
    status = json.loads(cli_ok(restored, "status", "--json"))
    assert status["pending"] == 0 and status["set_aside"] == 0
    assert status["device_id"] != original_device       # a copy takes an identity of its own
    assert status.get("identity_note"), status         # and says why


def test_a_copy_that_changed_nothing_still_gets_back_what_the_original_made(sync_station, laptops, tmp_path):
    worker = new_user(sync_station)
    laptop = laptops("laptop")
    login(laptop, sync_station, worker)
    put_household(laptop, 1)
    cli_ok(laptop, "sync")
    backup = copy_folder(laptop, tmp_path / "backup")
    later = put_household(laptop, 2)
    cli_ok(laptop, "sync")

    restored = laptops(backup)
    cli_ok(restored, "sync")
    assert later in households(restored)


def test_a_folder_copied_and_logged_in_as_another_worker_loses_nothing_of_either(sync_station, laptops, tmp_path):
    first_worker, second_worker = new_user(sync_station), new_user(sync_station)
    first = laptops("first")
    login(first, sync_station, first_worker)
    put_household(first, 1)
    cli_ok(first, "sync")
    second = laptops(copy_folder(first, tmp_path / "second"))
    first = laptops(first.folder)

    login(second, sync_station, second_worker)
    assert device_of(second) != device_of(first)
    by_second = put_household(second, 2)
    cli_ok(second, "sync")

    by_first = put_household(first, 3)           # the first worker goes on with the original device
    cli_ok(first, "sync")
    cli_ok(second, "sync")

    made = station_records(sync_station, "household", {by_first, by_second})
    assert set(made) == {by_first, by_second}
    assert {by_first, by_second} <= households(first) and {by_first, by_second} <= households(second)
    engine = sync_station.engine()
    with engine.connect() as conn:
        owner = conn.execute(select(tables.device.c.user_name)
                             .where(tables.device.c.id == device_of(first))).scalar()
    engine.dispose()
    assert owner == first_worker


def test_a_folder_with_another_workers_unsent_changes_refuses_the_login(sync_station, laptops):
    first_worker, second_worker = new_user(sync_station), new_user(sync_station)
    laptop = laptops("laptop")
    login(laptop, sync_station, first_worker)
    put_household(laptop, 1)                       # not synced yet
    code, _out, err = laptop.cli("login", "--station", sync_station.url, "--user", second_worker,
                                 "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 2 and f"{first_worker} 的 2 条" in err         # the household and its 户主
    cli_ok(laptop, "sync")                         # the first worker's login still works
    assert json.loads(cli_ok(laptop, "status", "--json"))["pending"] == 0


def test_knowing_a_device_id_grants_nothing(sync_station, laptops):
    owner, stranger = new_user(sync_station), new_user(sync_station)
    laptop = laptops("laptop")
    login(laptop, sync_station, owner)
    put_household(laptop, 1)
    cli_ok(laptop, "sync")
    victim = laptop.device_id                      # public: it is in every stamp and sync file

    def post_login(user, password):
        return requests.post(sync_station.url + "/v1/login", headers=protocol.version_headers(), timeout=10,
                             json={"user": user, "password": password, "device_id": victim})

    taken = post_login(stranger, PASSWORD)         # a valid account cannot take the device over
    assert taken.status_code == 409 and taken.json()["code"] == "device_taken"
    for _ in range(12):                            # a guesser with the victim's id is locked out ...
        post_login(owner, "wrong password")
    assert post_login(owner, "wrong password").status_code == 423
    put_household(laptop, 2)
    cli_ok(laptop, "sync")                         # ... and the victim's own laptop is not
    login(laptop, sync_station, owner)
    assert json.loads(cli_ok(laptop, "status", "--json"))["pending"] == 0


def test_the_station_refuses_a_replay_that_differs_from_what_it_holds(station):
    from tests.station_support import household as station_household
    from tests.station_support import new_account

    device = new_account(station)
    changes = [device.change("household", *station_household()) for _ in range(3)]
    assert device.push(changes).status_code == 200
    assert device.push(changes[1:]).json()["acked"] == 3             # the same batch again: a replay
    device.seq = 1                                                  # a restored copy numbers again from 2
    other = device.change("household", *station_household())
    refused = device.push([other])
    assert refused.status_code == 409, refused.text
    assert (refused.json()["code"], refused.json()["diverged_at"], refused.json()["acked"]) == ("diverged", 2, 3)
    assert "备份" in refused.json()["message"]
    assert station_records(station, "household", [other["id"]]) == {}       # nothing of it applied

    forked = requests.post(station.url + "/v1/devices/fork", headers=device.headers(), timeout=10,
                           json={"device_id": str(uuid.uuid4()), "after": 1})
    assert forked.status_code == 200 and forked.json()["acked"] == 1 and forked.json()["device_secret"]
    device.token, device.device_id = forked.json()["token"], forked.json()["device_id"]
    assert device.push([{**other, "seq": 2}]).status_code == 200       # the copy's change, as the new device
    assert set(station_records(station, "household", [other["id"]])) == {other["id"]}


def test_a_fork_made_by_another_process_is_followed_by_the_open_app(sync_station, laptops, tmp_path):
    """gridbook-cli syncs a restored folder (and forks it) while the workbench has it open."""
    worker = new_user(sync_station)
    laptop = laptops("laptop")
    login(laptop, sync_station, worker)
    put_household(laptop, 1)
    cli_ok(laptop, "sync")
    backup = copy_folder(laptop, tmp_path / "backup")
    put_household(laptop, 2)
    cli_ok(laptop, "sync")
    laptop.close()
    shutil.rmtree(laptop.folder)
    shutil.copytree(backup, laptop.folder)
    app = laptops(laptop.folder)                      # the workbench, open on the restored folder
    old_device = app.device_id
    app.engine._require_token()                       # it has read its token already
    cli_ok(app, "sync")                               # the CLI forks the folder
    made_in_app = app.put("household", household(3))  # the open app writes on
    assert app.device_id != old_device
    app.sync()
    assert set(station_records(sync_station, "household", [made_in_app])) == {made_in_app}
    status = json.loads(cli_ok(app, "status", "--json"))
    assert status["pending"] == 0 and status["device_id"] == app.device_id
