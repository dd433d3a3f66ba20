"""gridbook-cli round trips for every record type, and its exit codes on bad input."""
import json
import subprocess
import sys

import pytest

from desktop.cli import main
from tests.conftest import GRID, VILLAGE

SAMPLES = {
    "household": {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三",
                  "head_id_number": "11010519491231002X", "phone": "13800138000", "tags": ["低保户"]},
    "building": {"grid_code": GRID, "address": "幸福村3组", "name": "3组1号楼", "floors": 3, "use": "residential",
                 "latitude": 30.39, "longitude": 114.89},
    "organisation": {"grid_code": GRID, "name": "幸福村卫生室", "kind": "医疗", "contact": "刘医生",
                     "phone": "0711-3456789"},
    "incident": {"grid_code": GRID, "category": "dispute", "title": "邻里宅基地纠纷",
                 "reported_at": "2026-11-20T09:30:00+08:00", "reported_by": "王网格员"},
    "patrol": {"grid_code": GRID, "worker": "王网格员", "started_at": "2026-11-20T08:00:00+08:00",
               "ended_at": "2026-11-20T11:10:00+08:00", "notes": "走访独居老人3户"},
}


def cli(data_dir, *args, capsys):
    code = main(["--data", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def grid_ready(data_dir, capsys):
    assert cli(data_dir, "grid", "add", "--code", VILLAGE, "--name", "幸福村", "--level", "village",
               capsys=capsys)[0] == 0
    assert cli(data_dir, "grid", "add", "--code", GRID, "--name", "第三网格", "--level", "grid",
               "--parent", VILLAGE, capsys=capsys)[0] == 0
    return data_dir


@pytest.mark.parametrize("record_type", [*SAMPLES, "person"])
def test_round_trip_of_every_record_type(grid_ready, capsys, record_type):
    values = SAMPLES.get(record_type)
    if record_type == "person":
        _, household, _ = cli(grid_ready, "put", "household", "--json", json.dumps(SAMPLES["household"]),
                              capsys=capsys)
        # the head 张三 (11010519491231002X) is a resident of the household now; 李四 is someone else
        values = {"household_id": household.strip(), "name": "李四", "id_number": "110105198001010032",
                  "residence": "floating", "tags": ["elderly_alone"]}
    code, out, err = cli(grid_ready, "put", record_type, "--json", json.dumps(values), capsys=capsys)
    assert code == 0, err
    record_id = out.strip()
    code, out, _ = cli(grid_ready, "get", record_type, record_id, capsys=capsys)
    got = json.loads(out)
    assert {k: got[k] for k in values} == values
    code, out, _ = cli(grid_ready, "list", record_type, "--grid", GRID, capsys=capsys)
    assert record_id in [json.loads(line)["id"] for line in out.splitlines()]
    assert cli(grid_ready, "delete", record_type, record_id, capsys=capsys)[0] == 0
    assert cli(grid_ready, "get", record_type, record_id, capsys=capsys)[0] == 2


def test_update_names_only_the_changed_fields(grid_ready, capsys):
    _, out, _ = cli(grid_ready, "put", "household", "--json", json.dumps(SAMPLES["household"]), capsys=capsys)
    household = out.strip()
    assert cli(grid_ready, "put", "household", "--json", json.dumps({"id": household, "phone": "13900139000"}),
               capsys=capsys)[1].strip() == household
    got = json.loads(cli(grid_ready, "get", "household", household, capsys=capsys)[1])
    assert got["phone"] == "13900139000" and got["head_name"] == "张三"


def test_the_issue_walkthrough(grid_ready, capsys):
    code, out, _ = cli(grid_ready, "put", "household", "--json", json.dumps(
        {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三", "head_id_number": "11010519491231002X"}),
        capsys=capsys)
    assert code == 0
    household = out.strip()
    assert household in cli(grid_ready, "list", "household", capsys=capsys)[1]
    assert household in cli(grid_ready, "search", "zs", capsys=capsys)[1]
    status = json.loads(cli(grid_ready, "status", "--json", capsys=capsys)[1])
    assert status["pending"] == 2                       # the household and its 户主, one resident
    head = [json.loads(line) for line in cli(grid_ready, "list", "person", capsys=capsys)[1].splitlines()]
    assert [(p["name"], p["relation_to_head"], p["household_id"]) for p in head] == [("张三", "户主", household)]
    code, _, err = cli(grid_ready, "put", "household", "--json", json.dumps(
        {"grid_code": GRID, "address": "幸福村3组13号", "head_name": "李四", "head_id_number": "110105194912310021"}),
        capsys=capsys)
    assert code == 2 and "户主身份证号" in err
    assert json.loads(cli(grid_ready, "status", "--json", capsys=capsys)[1])["pending"] == 2


@pytest.mark.parametrize("args, needle", [
    (["put", "household", "--json", "{not json"], "JSON"),
    (["put", "spaceship", "--json", "{}"], "spaceship"),
    (["put", "household", "--json", "[1, 2]"], "JSON"),
    (["get", "household", "01a20009-3cb1-7bd2-a99e-aca0551ed5ac"], "01a20009"),
    (["put", "household", "--json", '{"id": "not-a-uuid", "grid_code": "x"}'], "UUID"),
    (["export", "--format", "csv"], "--type"),
])
def test_bad_input_exits_2_with_a_message(grid_ready, capsys, args, needle):
    code, _, err = cli(grid_ready, *args, capsys=capsys)
    assert code == 2 and needle in err


def test_english_messages(grid_ready, capsys):
    code, _, err = cli(grid_ready, "--lang", "en", "put", "person", "--json", '{"name": ""}', capsys=capsys)
    assert code == 2 and "is required" in err


def test_export_json_and_csv(grid_ready, capsys, tmp_path):
    cli(grid_ready, "put", "household", "--json", json.dumps(SAMPLES["household"]), capsys=capsys)
    _, out, _ = cli(grid_ready, "export", "--format", "json", "--type", "household", capsys=capsys)
    assert json.loads(out)["head_name"] == "张三"
    target = tmp_path / "households.csv"
    assert cli(grid_ready, "export", "--format", "csv", "--type", "household", "--out", str(target),
               capsys=capsys)[0] == 0
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("id,grid_code,address,head_name") and "张三" in text


def test_console_script_runs_as_a_process(tmp_path):
    result = subprocess.run([sys.executable, "-m", "desktop.cli", "--data", str(tmp_path), "status", "--json"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and json.loads(result.stdout)["pending"] == 0


def test_doctor_reports_integrity_and_sizes_and_mends_a_stale_search_index(grid_ready, capsys):
    for n in range(3):
        household = {**SAMPLES["household"], "head_name": f"张{'一二三'[n]}", "head_id_number": None}
        assert cli(grid_ready, "put", "household", "--json", json.dumps(household), capsys=capsys)[0] == 0
    code, out, _ = cli(grid_ready, "doctor", capsys=capsys)
    report = json.loads(out)
    assert code == 0 and (report["integrity"], report["search_index"]) == ("ok", "ok")
    assert report["tables"]["household"]["rows"] == 3 and report["tables"]["change_log"]["rows"] == 6
    assert report["tables"]["household"]["bytes"] > 0 and report["tables"]["household_fts"]["bytes"] > 0
    # the search terms lost (as an interrupted bulk write outside the store could leave them): found, mended
    from tests.support import keyed
    with keyed.connect(grid_ready / "gridbook.sqlite3") as raw:
        raw.execute("DELETE FROM household_fts")
    found = [json.loads(line) for line in cli(grid_ready, "search", "张二", capsys=capsys)[1].splitlines()]
    assert [f["type"] for f in found] == ["person"]           # the household is no longer found, its head is
    code, out, _ = cli(grid_ready, "doctor", capsys=capsys)
    assert code == 1 and json.loads(out)["search_index"] == "household_fts: 0 of 3 household records indexed"
    code, out, _ = cli(grid_ready, "doctor", "--mend", capsys=capsys)
    assert code == 0 and json.loads(out)["search_index"] == "ok" and json.loads(out)["mended"]
    found = [json.loads(line) for line in cli(grid_ready, "search", "张二", capsys=capsys)[1].splitlines()]
    assert sorted(f["type"] for f in found) == ["household", "person"]
    assert all("张二" in json.dumps(f, ensure_ascii=False) for f in found)
