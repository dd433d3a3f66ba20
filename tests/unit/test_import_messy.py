"""Importing resident lists shaped like real ledgers: title rows, merged headers, numbers for text."""
import datetime as dt

import pytest
from openpyxl import load_workbook

from desktop.services import importing
from desktop.store import replication
from tests.conftest import GRID
from tests.import_samples import (
    RESIDENT_HEADERS,
    id_number,
    make_id_with_x,
    messy_workbook,
    plain_workbook,
    resident_rows,
    rewrite_sheet_xml,
    serial,
)


def people(store) -> dict:
    return {p["name"]: p for p in store.list("person")}


def test_header_found_below_title_and_merged_two_row_header(tmp_path):
    table = importing.read_table(messy_workbook(tmp_path / "人口.xlsx"))
    assert table.headers == RESIDENT_HEADERS and table.header_rows == 2
    assert [n for n, _ in table.rows] == [5, 6, 7, 8, 9]        # blank rows dropped, sheet numbers kept


def test_resident_list_groups_into_households(store, tmp_path):
    report = importing.import_file(store, messy_workbook(tmp_path / "人口.xlsx"), "person", GRID)
    assert (report.imported, report.failed, report.households) == (5, 0, 2)
    found = people(store)
    zhang = store.get("household", found["张大山"]["household_id"])
    assert zhang["head_name"] == "张大山" and zhang["address"] == "幸福村3组12号"
    assert zhang["head_id_number"] == found["张大山"]["id_number"] and zhang["phone"] == "13800138000"
    assert found["王秀英"]["household_id"] == found["张小明"]["household_id"] == zhang["id"]
    li = store.get("household", found["李老汉"]["household_id"])
    assert li["head_name"] == "李老汉" and found["李四"]["household_id"] == li["id"]
    assert found["李老汉"]["relation_to_head"] == "户主"                 # 本人 is the head
    assert found["李老汉"]["tags"] == ["elderly_alone", "disabled"] and found["李老汉"]["ethnicity"] == "15"  # 土家族
    assert found["李四"]["residence"] == "left" and found["张小明"]["tags"] == ["left_behind_child"]
    assert found["王秀英"]["gender"] == "female" and found["王秀英"]["birth_date"] == "1962-07-08"


def test_heads_without_household_numbers_group_by_order(store, tmp_path):
    headers = [h for h in RESIDENT_HEADERS if h != "户号"]
    rows = [[c for i, c in enumerate(r) if i != 1] for r in resident_rows()]
    importing.import_file(store, plain_workbook(tmp_path / "list.xlsx", headers, rows), "person", GRID)
    found = people(store)
    assert found["张小明"]["household_id"] == found["张大山"]["household_id"] != found["李四"]["household_id"]
    assert store.count("household") == 2


def test_imports_are_in_the_change_log(store, tmp_path):
    before = replication.pending_count(store)
    importing.import_file(store, messy_workbook(tmp_path / "人口.xlsx"), "person", GRID)
    assert replication.pending_count(store) == before + 5 + 2


def test_dry_run_changes_nothing(store, tmp_path):
    before = replication.pending_count(store)
    report = importing.import_file(store, messy_workbook(tmp_path / "人口.xlsx"), "person", GRID, dry_run=True)
    assert report.imported == 5 and report.dry_run
    assert store.count("person") == 0 and store.count("household") == 0
    assert replication.pending_count(store) == before


def test_reimporting_the_same_file_adds_nothing(store, tmp_path):
    path = messy_workbook(tmp_path / "人口.xlsx")
    importing.import_file(store, path, "person", GRID)
    pending = replication.pending_count(store)
    again = importing.import_file(store, path, "person", GRID)
    assert (again.imported, again.unchanged, again.households) == (0, 5, 0)
    assert store.count("person") == 5 and store.count("household") == 2
    assert replication.pending_count(store) == pending


def test_excel_mess_is_cleaned(store, tmp_path):
    x_number = make_id_with_x()
    rows = resident_rows()
    rows[0][2] = "张　大山 "                                            # alignment padding, trailing space
    rows[0][5] = id_number("19600315", 11).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    rows[0][8] = "１３８ ００１３ ８０００"                               # full-width digits and spaces
    rows[1][6] = serial("1962-07-08")                                  # an Excel serial date
    rows[2][6] = dt.datetime(2015, 1, 2)                               # a datetime cell
    rows[3][5] = 1234.5                                                # placeholder, see below
    rows[4][4:7] = [None, x_number, "1949年12月31日"]                  # gender left to the ID number
    path = messy_workbook(tmp_path / "m.xlsx", rows)
    # A number cell that still holds all 18 digits (as some tools write them) is fine.
    rewrite_sheet_xml(path, "<v>1234.5</v>", f"<v>{id_number('19400101', 51)}</v>")
    report = importing.import_file(store, path, "person", GRID)
    assert report.failed == 0, report.errors
    found = people(store)
    assert found["张大山"]["id_number"] == id_number("19600315", 11) and found["张大山"]["phone"] == "13800138000"
    assert found["王秀英"]["birth_date"] == "1962-07-08" and found["张小明"]["birth_date"] == "2015-01-02"
    assert found["李老汉"]["id_number"] == id_number("19400101", 51) and found["李四"]["id_number"] == x_number


def test_error_sheet_lists_exactly_the_bad_rows(store, tmp_path):
    rows = resident_rows()
    rows[1][5] = float(id_number("19620708", 22))                      # Excel made it 4.2e17: digits lost
    good = id_number("20150102", 31)
    rows[2][5] = good[:-1] + ("1" if good[-1] != "1" else "2")         # a wrong check digit
    rows[4][8] = "12345"                                               # not a phone
    errors = tmp_path / "errors.xlsx"
    report = importing.import_file(store, messy_workbook(tmp_path / "bad.xlsx", rows), "person", GRID,
                                   errors_path=errors)
    assert report.failed == 3 and report.imported == 2 and report.error_path == errors
    sheet = load_workbook(errors).active
    lines = list(sheet.iter_rows(values_only=True))
    assert list(lines[0][:-2]) == RESIDENT_HEADERS and lines[0][-2] == "错误原因"
    assert [line[2] for line in lines[1:]] == ["王秀英", "张小明", "李四"]
    assert "身份证号被 Excel 存成了数字" in lines[1][-2] and "校验位" in lines[2][-2] and "联系电话" in lines[3][-2]
    # The good rows went in, the bad ones did not, and members keep their household for the re-import.
    assert set(people(store)) == {"张大山", "李老汉"}
    assert lines[1][-1] == people(store)["张大山"]["household_id"]


def test_fixed_error_sheet_reimports_into_the_same_households(store, tmp_path):
    rows = resident_rows()
    rows[1][5] = float(id_number("19620708", 22))
    errors = tmp_path / "errors.xlsx"
    importing.import_file(store, messy_workbook(tmp_path / "bad.xlsx", rows), "person", GRID, errors_path=errors)
    book = load_workbook(errors)
    book.active.cell(2, 6).value = id_number("19620708", 22)          # the worker types the number as text
    book.save(errors)
    report = importing.import_file(store, errors, "person", GRID)
    assert (report.imported, report.failed, report.households) == (1, 0, 0), report.errors
    found = people(store)
    assert found["王秀英"]["household_id"] == found["张大山"]["household_id"]


def test_a_household_whose_head_fails_fails_whole(store, tmp_path):
    rows = resident_rows()
    rows[3][5] = "123"                                                 # 李老汉's ID is wrong
    report = importing.import_file(store, messy_workbook(tmp_path / "bad.xlsx", rows), "person", GRID,
                                   errors_path=tmp_path / "e.xlsx")
    assert report.failed == 2 and set(people(store)) == {"张大山", "王秀英", "张小明"}
    assert "所在户无法建立" in dict(report.errors)[9]


def test_csv_in_gbk_and_utf8_with_bom(store, tmp_path):
    lines = ["姓名,身份证号,联系电话,性别", f"赵六,{id_number('19880808', 71)},13700137000,男",
             f"钱七 ,{id_number('19900101', 82)} ,13600136000,女"]
    (tmp_path / "gbk.csv").write_bytes("\r\n".join(lines[:2]).encode("gbk"))
    (tmp_path / "bom.csv").write_bytes(("\n".join([lines[0], lines[2]]) + "\n").encode("utf-8-sig"))
    assert importing.import_file(store, tmp_path / "gbk.csv", "person", GRID).imported == 1
    assert importing.import_file(store, tmp_path / "bom.csv", "person", GRID).imported == 1
    found = people(store)
    assert found["赵六"]["phone"] == "13700137000" and found["钱七"]["gender"] == "female"


def test_scientific_id_in_csv_is_reported(store, tmp_path):
    (tmp_path / "sci.csv").write_text("姓名,身份证号\n孙八,4.20704E+17\n", encoding="utf-8")
    report = importing.import_file(store, tmp_path / "sci.csv", "person", GRID, errors_path=tmp_path / "e.xlsx",
                                   accept_missing=("phone",))
    assert report.failed == 1 and "末位已丢失" in report.errors[0][1]


def test_a_data_row_below_a_one_row_header_is_not_taken_for_a_sub_header(store, tmp_path):
    path = plain_workbook(tmp_path / "p.xlsx", ["姓名", "与户主关系"], [["张三", "户主"], ["李梅", "妻"]])
    table = importing.read_table(path)
    assert table.header_rows == 1 and [r[1][0] for r in table.rows] == ["张三", "李梅"]


def test_a_damaged_xls_is_refused_and_an_unknown_type_gets_advice(tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")        # an OLE signature and nothing else
    with pytest.raises(importing.BadFile):
        importing.read_table(tmp_path / "old.xls")
    (tmp_path / "ledger.wps").write_bytes(b"whatever")
    with pytest.raises(importing.BadFile, match=r"另存为 \.xlsx"):
        importing.read_table(tmp_path / "ledger.wps")
