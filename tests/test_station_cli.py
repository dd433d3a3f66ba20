"""gridbook-station from the command line: users, grid import, stats, audit and exit codes."""
import json

import orjson
import pytest
from sqlalchemy import func, select

from sync import records
from sync.station import tables
from tests.station_support import DEMO_GRIDS, Station, household, new_account, running_station, station_backends


@pytest.fixture(scope="module", params=station_backends())
def st(request, tmp_path_factory):
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))


def test_user_add_list_disable(st):
    assert st.cli("user", "add", "chen", "--role", "township", "--grids", "420704100", "--password-stdin",
                  stdin="a-long-password\n").returncode == 0
    listed = orjson.loads(st.cli("user", "list", "--json").stdout)
    assert {"name": "chen", "role": "township", "grids": ["420704100"], "disabled": False, "devices": 0} in listed
    again = st.cli("user", "add", "chen", "--role", "worker", "--grids", "420704100201-01", "--password-stdin",
                   stdin="another-one\n")
    assert again.returncode == 2 and "已存在" in again.stderr
    assert st.cli("user", "disable", "chen").returncode == 0
    assert "disabled" in st.cli("user", "list").stdout
    assert st.cli("user", "disable", "nobody").returncode == 2


@pytest.mark.parametrize("args, stdin, says", [
    (["--role", "township", "--grids", "4207041"], "password1\n", "420704100"),          # malformed scope
    (["--role", "county", "--grids", "420704100"], "password1\n", "420704"),
    (["--role", "worker", "--grids", "420704100201-03"], "", "至少"),                      # no password given
    (["--role", "worker", "--grids", "420704100201-03"], "abc\n", "至少"),                 # too short
])
def test_user_add_refuses_bad_input_with_exit_2(st, args, stdin, says):
    result = st.cli("user", "add", "bad", *args, "--password-stdin", stdin=stdin)
    assert result.returncode == 2 and says in result.stderr
    assert "bad" not in st.cli("user", "list").stdout


def test_grid_import_from_csv_updates_and_syncs_down(st, tmp_path):
    worker = new_account(st, grids=("420704100203-01",))
    before = worker.pull_all()
    csv_file = tmp_path / "grids.csv"
    csv_file.write_text("code,name,level,parent_code\n"
                        "420704100203,光明村,village,420704100\n"
                        "420704100203-01,光明村第一网格,grid,420704100203\n", encoding="utf-8")
    result = st.cli("grid", "import", str(csv_file))
    assert result.returncode == 0 and result.stdout.strip() == "2"
    after = worker.pull_all()
    assert after[("grid", "420704100203-01")]["f"]["name"] == "光明村第一网格"
    assert ("grid", "420704100203") in after and len(after) > len(before)
    assert st.cli("grid", "import", str(csv_file)).stdout.strip() == "0"      # nothing changed, nothing bumped
    json_file = tmp_path / "rename.json"
    json_file.write_text(json.dumps([{"code": "420704100203-01", "name": "光明村一组", "level": "grid",
                                      "parent_code": "420704100203"}], ensure_ascii=False), encoding="utf-8")
    assert st.cli("grid", "import", str(json_file)).returncode == 0
    cursor_rows = worker.pull_all()
    assert cursor_rows[("grid", "420704100203-01")]["f"]["name"] == "光明村一组"


def test_grid_import_refuses_a_bad_file_and_changes_nothing(st, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,parent_code\n420704100204,新村,village,420704100\n"
                   "420704100204-1,坏网格,grid,420704100204\n", encoding="utf-8")
    result = st.cli("grid", "import", str(bad))
    assert result.returncode == 2 and "第 2 行" in result.stderr
    grid = records.record_table("grid")
    with st.engine().connect() as conn:
        assert conn.execute(select(func.count()).select_from(grid).where(grid.c.code == "420704100204")).scalar() == 0
    assert st.cli("grid", "import", str(tmp_path / "missing.csv")).returncode == 2
    orphan = tmp_path / "orphan.json"
    orphan.write_text('[{"code": "420704100299-01", "name": "x", "level": "grid", "parent_code": "420704100299"}]')
    assert st.cli("grid", "import", str(orphan)).returncode == 2


def test_stats_count_records_devices_and_conflicts(st):
    device = new_account(st)
    hid, fields = household()
    device.push([device.change("household", hid, fields)])
    result = st.cli("stats", "--json")
    assert result.returncode == 0
    stats = orjson.loads(result.stdout)
    assert stats["records"]["household"] >= 1 and stats["records"]["grid"] >= len(DEMO_GRIDS)
    assert stats["devices"] >= 1 and stats["sequence"] > 0
    assert "户" in st.cli("stats").stdout


def test_admin_actions_are_audited(st):
    st.cli("user", "add", "audited", "--role", "worker", "--grids", "420704100201-02", "--password-stdin",
           stdin="password1\n")
    st.cli("user", "disable", "audited")
    with st.engine().connect() as conn:
        actions = [r.action for r in conn.execute(select(tables.audit.c.action, tables.audit.c.detail)
                                                  .where(tables.audit.c.action.like("user_%")))
                   if r.detail and r.detail.get("name") == "audited"]
    assert actions == ["user_add", "user_disable"]


def test_the_real_command_exits_0_and_2_with_a_message(st):
    ok = st.cli_process("--lang", "en", "stats")
    assert ok.returncode == 0 and "users" in ok.stdout
    bad = st.cli_process("--lang", "en", "device", "revoke", "no-such-device")
    assert bad.returncode == 2 and "No device" in bad.stderr and "Traceback" not in bad.stderr


def test_an_uninitialised_database_is_refused_with_advice(tmp_path):
    empty = Station(tmp_path, f"sqlite:///{tmp_path / 'empty.sqlite3'}")      # never initialised
    result = empty.cli("--lang", "en", "stats")
    assert result.returncode == 2 and "gridbook-station init" in result.stderr


def test_the_demo_station_is_prepared_once_and_its_accounts_log_in(tmp_path):
    from sync.station import demo
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    demo.prepare(url)
    demo.prepare(url)                                  # a second `make station` finds it ready
    station = Station(tmp_path, url)
    users = orjson.loads(station.cli("user", "list", "--json").stdout)
    assert {(u["name"], u["role"]) for u in users} == {("admin", "township"), ("worker", "worker")}
    stats = orjson.loads(station.cli("stats", "--json").stdout)
    assert stats["records"]["grid"] == len(DEMO_GRIDS)
    station.start()
    try:
        for name, _role, _grids, password in demo.DEMO_ACCOUNTS:
            assert station.login(name, password)[0]
    finally:
        station.stop()
