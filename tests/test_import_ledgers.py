"""The real templates grid offices fill in (tests/data/ledgers): as published, and filled with synthetic residents.

Every resident of a filled template is stored with its ID number and phone, or refused
with the reason; importing the file again changes nothing.
"""
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.services import importing
from desktop.store import replication
from sync.validation import normalise_phone
from tests.conftest import GRID

LEDGERS = Path(__file__).parent / "data" / "ledgers"
CPS_PEOPLE = "CPS_syrkplcjb_实有人口批量采集表"
CPS_STAFF = "CPS_cyryplcjb_从业人员批量采集表"
GRID_SYSTEM = "Cortana_人员导入模板"
BANK = "idap_农户详细信息表"

# template -> (sheet that holds the register, {column: field} that must be found)
EXPECTED = {
    CPS_PEOPLE: ("Sheet1", {"姓名*": "name", "身份证号码*": "id_number", "电话号码*": "phone",
                            "居住处所*": "_address", "与户主关系*": "relation_to_head"}),
    CPS_STAFF: ("从业人员导入表", {"姓名*": "name", "身份证号码*": "id_number", "电话号码*": "phone",
                                  "居住地址*": "_address"}),
    GRID_SYSTEM: ("Person", {"姓名": "name", "身份证号": "id_number", "联系电话": "phone",
                             "户籍地址": "_registered_address", "户编号": "_household_no", "重点类别": "tags"}),
    BANK: ("农户基本信息", {"户号编码": "_household_no", "是否户主": "_is_head", "与户主关系": "relation_to_head",
                          "客户名称": "name", "证件号码": "id_number", "联系方式": "phone", "地址": "_address"}),
}
REAL = {CPS_PEOPLE: "real/CPS_syrkplcjb_实有人口批量采集表.xls", CPS_STAFF: "real/CPS_cyryplcjb_从业人员批量采集表.xls",
        GRID_SYSTEM: "real/Cortana_人员导入模板.xlsx", BANK: "real/idap_农户详细信息表.xls"}


def copy(name: str, folder: Path) -> Path:
    """The template in a scratch folder (the import writes its error sheet beside the file)."""
    source = LEDGERS / name
    target = folder / source.name
    target.write_bytes(source.read_bytes())
    return target


@pytest.mark.parametrize("template", list(REAL))
def test_each_published_template_is_read_on_its_register_sheet(template, tmp_path):
    table = importing.read_table(copy(REAL[template], tmp_path))
    sheet, columns = EXPECTED[template]
    assert table.sheet == sheet
    mapping = importing.guess_mapping(table.headers, "person")
    assert {c: mapping[c] for c in columns} == columns


def test_the_bank_template_is_read_on_the_best_of_its_ten_sheets(tmp_path):
    table = importing.read_table(copy(REAL[BANK], tmp_path))
    assert len(table.sheets) == 10 and table.sheet == "农户基本信息" and table.header_row == 3
    mapping = importing.guess_mapping(table.headers, "person")
    # Whole labels: 是否户主 marks the head, it is not the head's name; 年龄 and 婚姻状况 go nowhere.
    assert "_head_name" not in mapping.values() and mapping["年龄"] is None


@pytest.mark.parametrize("template", list(REAL))
def test_a_published_template_imports_nothing_and_fails_nothing(template, store, tmp_path):
    """Their placeholder (${data.khmc}) and 填写说明 rows are notes, not residents that failed."""
    report = importing.import_file(store, copy(REAL[template], tmp_path), "person", GRID)
    assert (report.imported, report.failed, report.households) == (0, 0, 0), report.errors
    assert report.sheet == EXPECTED[template][0]
    expected_notes = {GRID_SYSTEM: [(2, "note")], BANK: [(4, "note")]}.get(template, [])
    assert report.notes == expected_notes
    assert store.count("person") == 0


def source_rows(path: Path, header_row: int, columns: dict[str, str]) -> dict[int, dict]:
    """The residents as the sheet holds them, read with openpyxl: sheet row -> {field: cell}."""
    sheet = load_workbook(path, read_only=True).active
    lines = list(sheet.iter_rows(values_only=True))
    header = [str(c or "").strip() for c in lines[header_row - 1]]
    index = {field: header.index(column) for column, field in columns.items()}
    out = {}
    for number, line in enumerate(lines[header_row:], start=header_row + 1):
        values = {field: line[i] for field, i in index.items()}
        if values["name"] and not str(values["name"]).startswith("必填"):
            out[number] = values
    return out


@pytest.mark.parametrize("template", list(REAL))
def test_every_filled_resident_is_stored_with_id_and_phone_or_refused_with_the_reason(template, store, tmp_path):
    path = copy(f"filled/{template}.filled.xlsx", tmp_path)
    header_row = 3 if template == BANK else 1
    columns = {c: f for c, f in EXPECTED[template][1].items() if f in ("name", "id_number", "phone")}
    residents = source_rows(path, header_row, columns)
    assert len(residents) >= 10
    report = importing.import_file(store, path, "person", GRID)
    refused = dict(report.errors)
    stored = {p["id_number"]: p for p in store.list("person")}
    for number, values in residents.items():
        if number in refused:
            assert "联系电话" in refused[number] or "身份证号" in refused[number] or "所在户" in refused[number]
            assert values["id_number"] not in stored
            continue
        person = stored[values["id_number"]]
        assert person["name"] == values["name"]
        assert person["phone"] == normalise_phone(str(values["phone"]))
    assert report.imported + report.failed == len(residents) == len(stored) + len(refused)
    # Some synthetic phones are in ranges no operator has (154…, 174…): those rows say so.
    assert all("不是在用的手机号" in refused[n] or "所在户" in refused[n] for n in refused)


@pytest.mark.parametrize("template", list(REAL))
def test_importing_a_filled_template_twice_changes_nothing(template, store, tmp_path):
    path = copy(f"filled/{template}.filled.xlsx", tmp_path)
    first = importing.import_file(store, path, "person", GRID)
    people, households = store.list("person"), store.list("household")
    pending = replication.pending_count(store)
    again = importing.import_file(store, path, "person", GRID)
    assert (again.imported, again.merged, again.households) == (0, 0, 0)
    assert again.unchanged == first.imported and again.failed == first.failed
    assert store.list("person") == people and store.list("household") == households
    assert replication.pending_count(store) == pending


@pytest.mark.parametrize("template, expected", [(GRID_SYSTEM, 9), (CPS_STAFF, 11), (CPS_PEOPLE, 0), (BANK, 0)])
def test_residents_the_file_puts_in_no_household_are_counted(template, expected, store, tmp_path):
    """The station needs every resident in a household: the report says how many are not."""
    report = importing.import_file(store, copy(f"filled/{template}.filled.xlsx", tmp_path), "person", GRID)
    assert report.without_household == expected
    assert ("没有所属户" in "\n".join(report.detail_lines())) == bool(expected)


def test_the_bank_register_makes_households_by_household_number(store, tmp_path):
    importing.import_file(store, copy(f"filled/{BANK}.filled.xlsx", tmp_path), "person", GRID)
    households = {h["head_name"]: h for h in store.list("household")}
    assert set(households) == {"林柏盈", "黄劭豪", "王雅芬"}
    members = [p for p in store.list("person") if p["household_id"] == households["王雅芬"]["id"]]
    assert {p["name"] for p in members} == {"王雅芬", "林培伦", "王石竹", "王建安"}
    assert households["王雅芬"]["address"] == "幸福村3组19号" and members[0]["ethnicity"] == "01"    # 汉族
