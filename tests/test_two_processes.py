"""Two processes on one data folder: the open app and gridbook-cli both write, and the clock
they share in the store never goes backwards, so the user's later edit wins at the station."""
import time

import pytest

from sync import clock
from tests.support import keyed
from tests.support.cli_process import finish, start_cli
from tests.support.clients import (
    Client,
    household,
    local_grids,
    new_user,
    station_records,
)

TWO_HOURS_MS = 2 * 3600 * 1000


def stored_hlc(folder) -> int:
    with keyed.connect(folder / "gridbook.sqlite3") as conn:
        return int(conn.execute("SELECT value FROM meta WHERE key = 'hlc'").fetchone()[0])


def cli_sync(folder) -> None:
    code, out = finish(start_cli(folder, "sync"))
    assert code == 0, out


@pytest.mark.usefixtures("file_tokens")
def test_an_edit_in_the_long_open_app_wins_over_what_the_cli_pulled(sync_station, tmp_path):
    user = new_user(sync_station)
    folder = tmp_path / "laptop"
    app = Client(folder)                      # the workbench: opened first, open all along
    other = Client(tmp_path / "other")        # another laptop of the grid, its clock two hours fast
    try:
        local_grids(app)
        app.login(sync_station.url, user)
        other.login(sync_station.url, user)
        other.store.clock = clock.HybridClock(other.store.clock.last,
                                              lambda: time.time_ns() // 1_000_000 + TWO_HOURS_MS)
        hid = app.put("household", household(1, phone="13800138000"))
        cli_sync(folder)                                     # gridbook-cli, another process, sends it
        other.sync()
        other.put("household", {"id": hid, "phone": "13900139000"})
        other.sync()
        cli_sync(folder)                                     # ... and pulls the other laptop's edit
        pulled = stored_hlc(folder)
        assert app.store.get("household", hid)["phone"] == "13900139000"

        app.put("household", {"id": hid, "phone": "13700137000"})     # the worker's later edit, in the app
        assert stored_hlc(folder) >= pulled                            # the clock did not go back
        mine = app.store.get("household", hid)["clocks"]["phone"]
        assert clock.stamp_hlc(mine) > pulled

        cli_sync(folder)
        assert station_records(sync_station, "household", [hid])[hid]["phone"] == "13700137000"
        cli_sync(folder)
        assert app.store.get("household", hid)["phone"] == "13700137000"
    finally:
        app.close()
        other.close()


def cli_put(folder, n: int):
    return start_cli(folder, "put", "household", "--json",
                     f'{{"grid_code": "420704100201-03", "address": "幸福村3组{n}号", "head_name": "李四"}}')


def test_two_processes_writing_in_turn_and_at_once_never_move_the_clock_back(tmp_path):
    """gridbook-cli adds records while the app (this process) keeps writing: every change's
    clock is above every one committed before it, whichever process wrote it."""
    folder = tmp_path / "laptop"
    app = Client(folder)
    try:
        local_grids(app)
        app.put("household", household(1))
        # the file's clock runs ahead of this one's wall clock (a pull observed a fast laptop)
        ahead = clock.pack(time.time_ns() // 1_000_000 + TWO_HOURS_MS)
        with app.store.atomic() as conn:
            app.store.set_meta(conn, hlc=str(ahead))
        assert finish(cli_put(folder, 2))[0] == 0            # the CLI writes with the file's clock
        app.put("household", household(3))                   # then the app, whose clock is behind
        assert finish(cli_put(folder, 4))[0] == 0
        procs = [cli_put(folder, 10 + n) for n in range(3)]   # and both at once
        for n in range(10):
            app.put("household", household(20 + n))
        for proc in procs:
            code, out = finish(proc)
            assert code == 0, out
        with keyed.connect(folder / "gridbook.sqlite3") as conn:
            hlcs = [h for (h,) in conn.execute("SELECT hlc FROM change_log ORDER BY seq")]
        assert len(hlcs) == 12 + 5 * 2           # each CLI household comes with its 户主, one resident
        assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)
        assert hlcs[1] > ahead and stored_hlc(folder) == hlcs[-1]
    finally:
        app.close()
