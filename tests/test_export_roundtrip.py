"""Exports with Chinese headers re-import to the same records; 一户一表 has a sheet per household."""
import subprocess
import sys

from openpyxl import load_workbook

from desktop.cli import main
from desktop.services import exporting, importing
from desktop.store import open_store
from tests.conftest import GRID, VILLAGE
from tests.import_samples import messy_workbook


def bare(rows):
    return sorted(({k: v for k, v in r.items() if k != "clocks"} for r in rows), key=lambda r: r["id"])


def fresh_store(folder):
    other = open_store(folder)
    other.put("grid", {"code": VILLAGE, "name": "幸福村", "level": "village"})
    other.put("grid", {"code": GRID, "name": "幸福村第三网格", "level": "grid", "parent_code": VILLAGE})
    return other


def test_exported_workbooks_reimport_to_the_same_records(ledger, store, tmp_path):
    importing.import_file(store, messy_workbook(tmp_path / "r.xlsx"), "person", GRID)
    store.put("building", {"grid_code": GRID, "address": "幸福村3组", "name": "1号楼", "floors": 3,
                           "use": "mixed", "latitude": 30.39, "longitude": 114.89})
    for record_type, suffix in (("household", "csv"), ("person", "xlsx"), ("building", "xlsx")):
        exporting.export_table(ledger, record_type, tmp_path / f"{record_type}.{suffix}", GRID)
    sheet = load_workbook(tmp_path / "person.xlsx").active
    header = [c.value for c in sheet[1]]
    values = {c.value for row in sheet.iter_rows(min_row=2) for c in row}
    assert "身份证号" in header and "与户主关系" in header and {"户籍人口", "外出人口", "男", "女"} <= values
    other = fresh_store(tmp_path / "other")
    for record_type, suffix in (("household", "csv"), ("person", "xlsx"), ("building", "xlsx")):
        report = importing.import_file(other, tmp_path / f"{record_type}.{suffix}", record_type, GRID)
        assert report.failed == 0, report.errors
        assert bare(other.list(record_type)) == bare(store.list(record_type))
    again = importing.import_file(other, tmp_path / "person.xlsx", "person", GRID)
    assert (again.imported, again.unchanged) == (0, 5)
    other.engine.dispose()


def test_household_forms_one_sheet_per_household(ledger, store, tmp_path):
    importing.import_file(store, messy_workbook(tmp_path / "r.xlsx"), "person", GRID)
    assert exporting.household_forms(ledger, tmp_path / "forms.xlsx", GRID) == 2
    book = load_workbook(tmp_path / "forms.xlsx")
    assert len(book.sheetnames) == 2 and book.sheetnames[0].startswith(("张大山", "李老汉"))
    zhang = book[next(n for n in book.sheetnames if n.startswith("张大山"))]
    values = [c for row in zhang.iter_rows(values_only=True) for c in row if c]
    assert values[0] == "一户一表" and "王秀英" in values and "张小明" in values and "低保" in values


def test_cli_export_xlsx_and_forms(store, tmp_path, capsys):
    importing.import_file(store, messy_workbook(tmp_path / "r.xlsx"), "person", GRID)
    data = str(store.path.parent)
    assert main(["--data", data, "export", "--format", "xlsx", "--type", "person", "--grid", GRID,
                 "--out", str(tmp_path / "p.xlsx")]) == 0
    assert main(["--data", data, "export", "--format", "xlsx", "--household-forms", "--grid", GRID,
                 "--out", str(tmp_path / "f.xlsx")]) == 0
    assert main(["--data", data, "export", "--format", "csv", "--labels", "--type", "household",
                 "--out", str(tmp_path / "h.csv")]) == 0
    assert capsys.readouterr().out.split() == ["5", "2", "2"]
    assert (tmp_path / "h.csv").read_text(encoding="utf-8-sig").startswith("编号,所属网格,地址,户主姓名")
    assert main(["--data", data, "export", "--format", "xlsx", "--out", str(tmp_path / "x.xlsx")]) == 2


def test_household_forms_pdf_from_the_command_line(store, tmp_path):
    # Its own process: the PDF needs a Qt application, and the command line makes one.
    importing.import_file(store, messy_workbook(tmp_path / "r.xlsx"), "person", GRID)
    out = tmp_path / "一户一表.pdf"
    result = subprocess.run([sys.executable, "-m", "desktop.cli", "--data", str(store.path.parent), "export",
                             "--household-forms", "--grid", GRID, "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "2", result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"/Count 2" in data          # one A4 page per household
