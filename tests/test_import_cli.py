"""gridbook-cli import: counts, error workbook, mapping file, dry run and exit codes."""
import json

from desktop.cli import main
from desktop.services import importing
from tests.conftest import GRID
from tests.import_samples import id_number, messy_workbook, plain_workbook, resident_rows


def cli(store, capsys, *args):
    code = main(["--data", str(store.path.parent), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_prints_counts_and_writes_error_sheet(store, tmp_path, capsys):
    rows = resident_rows()
    rows[4][5] = float(id_number("19700909", 53))
    errors = tmp_path / "out" / "错误.xlsx"
    code, out, _ = cli(store, capsys, "import", str(messy_workbook(tmp_path / "r.xlsx", rows)), "--type", "person",
                       "--grid", GRID, "--errors", str(errors))
    assert code == 0 and "新增 4 条" in out and "失败 1 行" in out and "新建户 2 户" in out
    assert "文件其余部分已处理" in out and errors.exists()
    code, out, _ = cli(store, capsys, "import", str(tmp_path / "r.xlsx"), "--type", "person", "--grid", GRID,
                       "--errors", str(errors), "--json")
    report = json.loads(out)
    assert code == 0 and (report["imported"], report["unchanged"], report["failed"]) == (0, 4, 1)


def test_dry_run_and_english(store, tmp_path, capsys):
    path = messy_workbook(tmp_path / "r.xlsx")
    code, out, _ = cli(store, capsys, "--lang", "en", "import", str(path), "--type", "person", "--grid", GRID,
                       "--dry-run")
    assert code == 0 and "imported 5" in out and "Dry run" in out and store.count("person") == 0


def test_mapping_file_corrects_a_column(store, tmp_path, capsys):
    path = plain_workbook(tmp_path / "p.xlsx", ["人名", "证件"], [["冯十一", id_number("19910101", 11)]])
    mapping = tmp_path / "mapping.json"
    importing.save_mapping(mapping, {"人名": "name", "证件": "id_number"}, "person")
    code, _out, _ = cli(store, capsys, "import", str(path), "--type", "person", "--mapping", str(mapping),
                        "--accept-missing", "phone")
    assert code == 0 and store.list("person")[0]["id_number"] == id_number("19910101", 11)


def test_bad_file_or_mapping_exits_2(store, tmp_path, capsys):
    (tmp_path / "notes.csv").write_text("今天开会\n明天巡查\n", encoding="utf-8")
    code, _, err = cli(store, capsys, "import", str(tmp_path / "notes.csv"), "--type", "person")
    assert code == 2 and "找不到表头行" in err
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    code, _, err = cli(store, capsys, "import", str(tmp_path / "broken.xlsx"), "--type", "person")
    assert code == 2 and "无法读取文件" in err
    (tmp_path / "m.json").write_text('{"姓名": "nickname"}', encoding="utf-8")
    code, _, err = cli(store, capsys, "import", str(messy_workbook(tmp_path / "r.xlsx")), "--type", "person",
                       "--mapping", str(tmp_path / "m.json"))
    assert code == 2 and "nickname" in err and store.count("person") == 0
    code, _, err = cli(store, capsys, "import", str(tmp_path / "missing.xlsx"), "--type", "person")
    assert code == 2
