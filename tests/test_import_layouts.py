"""The layouts of issue 14, built in each format (tests/ledger_variants.py), imported into a real store."""
import json

import pytest

from desktop.cli import main
from desktop.services import importing
from sync.validation import ADDRESS_PENDING
from tests import ledger_variants as lv
from tests.conftest import GRID

FORMATS = [".xlsx", ".xls", ".ods", ".csv"]


def people(store) -> dict:
    return {p["name"]: p for p in store.list("person")}


def assert_two_households_with_ids_and_phones(store, report):
    assert (report.imported, report.failed, report.households) == (5, 0, 2), report.errors
    found = people(store)
    assert {n: p["id_number"] for n, p in found.items()} == {p[2]: p[4] for p in lv.PEOPLE}
    assert {n: p["phone"] for n, p in found.items()} == lv.STORED_PHONES
    zhang = store.get("household", found["张大山"]["household_id"])
    assert (zhang["head_name"], zhang["head_id_number"], zhang["address"]) == ("张大山", lv.ZHANG, "幸福村3组12号")
    assert found["王秀英"]["household_id"] == found["张小明"]["household_id"] == zhang["id"]
    assert store.get("household", found["李四"]["household_id"])["head_name"] == "李老汉"


@pytest.mark.parametrize("suffix", FORMATS)
def test_two_row_header_merged_down_keeps_every_column(store, tmp_path, suffix):
    """The serious one: 户号, 身份证号码, 手机号 and 居住地址 were dropped and 失败 0 行 reported."""
    path = lv.write(lv.issue_two_row_header(), tmp_path / f"人口{suffix}")
    report = importing.import_file(store, path, "person", GRID)
    assert_two_households_with_ids_and_phones(store, report)
    mapped = {c["column"]: c["field"] for c in report.columns}
    assert {mapped[c] for c in ("户号", "身份证号码", "手机号", "居住地址", "与户主的关系", "姓名")} == {
        "_household_no", "id_number", "phone", "_address", "relation_to_head", "name"}
    assert report.header_rows == (1, 2) and report.ignored == ["序号", "年龄"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_three_row_header_with_group_labels(store, tmp_path, suffix):
    path = lv.write(lv.three_row_header(), tmp_path / f"花名册{suffix}")
    report = importing.import_file(store, path, "person", GRID)
    assert_two_households_with_ids_and_phones(store, report)
    assert report.header_rows == (2, 4) and "座机" in report.ignored


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_the_notes_sheet_in_front_does_not_hide_the_register(store, tmp_path, suffix):
    path = lv.write(lv.notes_sheet_active(), tmp_path / f"模板{suffix}")
    report = importing.import_file(store, path, "person", GRID)
    assert report.sheet == "人口登记" and report.sheets == ["注意事项", "人口登记"]
    assert_two_households_with_ids_and_phones(store, report)
    assert "“人口登记”" in "\n".join(report.layout_lines())


@pytest.mark.parametrize("layout, notes", [
    (lv.instruction_row_under_header, [(2, "note")]),
    (lv.footer_notes, [(9, "footer"), (10, "footer"), (11, "footer"), (12, "footer")]),
    (lv.second_table_below, [(8, "footer"), (9, "other_table"), (10, "other_table"), (11, "other_table"),
                             (12, "other_table")]),
])
@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_notes_footers_and_a_second_table_are_skipped_not_failed(store, tmp_path, layout, notes, suffix):
    report = importing.import_file(store, lv.write(layout(), tmp_path / f"登记{suffix}"), "person", GRID)
    assert_two_households_with_ids_and_phones(store, report)
    assert report.notes == notes
    assert "未作数据导入" in "\n".join(report.detail_lines())


def test_a_resident_under_a_section_line_is_still_data(store, tmp_path):
    """A lone line in the middle (以下为流动人口) is skipped, and the residents after it are kept."""
    sheet = lv.notes_sheet_active().sheets[1]
    rows = [*sheet.rows[:4], ["以下为流动人口"], *sheet.rows[4:]]
    path = lv.write(lv.Layout([lv.Sheet("人口", rows)]), tmp_path / "分段.xlsx")
    report = importing.import_file(store, path, "person", GRID)
    assert report.imported == 5 and report.notes == [(5, "footer")]


def test_a_bad_row_under_the_header_fails_with_its_reason_not_skipped(store, tmp_path):
    rows = lv._plain_rows()
    rows[0][3] = "123"                                   # 张大山's ID number is wrong: a failed row, said why
    path = lv.write(lv.Layout([lv.Sheet("人口", [lv.PLAIN_HEADER, *rows])]), tmp_path / "bad.xlsx")
    report = importing.import_file(store, path, "person", GRID, errors_path=tmp_path / "e.xlsx")
    assert report.failed == 3 and report.notes == [] and "身份证号" in dict(report.errors)[2]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_no_address_column_leaves_the_address_to_fill_in(store, tmp_path, suffix):
    path = lv.write(lv.no_address_column(), tmp_path / f"无地址{suffix}")
    report = importing.import_file(store, path, "person", GRID)
    assert report.imported == 5 and report.households == 2 and report.address_pending == 2
    for household in store.list("household"):
        assert household["address"] == "" and household["tags"] == [ADDRESS_PENDING]
    assert "地址待补充" in "\n".join(report.detail_lines())
    again = importing.import_file(store, path, "person", GRID)
    assert (again.imported, again.households, again.unchanged) == (0, 0, 5)


def test_no_address_column_with_a_default_address(store, tmp_path):
    path = lv.write(lv.no_address_column(), tmp_path / "无地址.xlsx")
    report = importing.import_file(store, path, "person", GRID, default_address="幸福村3组")
    assert report.households == 2 and report.address_pending == 0
    assert {(h["address"], tuple(h["tags"])) for h in store.list("household")} == {("幸福村3组", ())}


def test_a_household_list_without_addresses(store, tmp_path):
    header = ["户主姓名", "户主身份证号", "联系电话"]
    path = lv.write(lv.Layout([lv.Sheet("户", [header, ["郑一", lv.ZHANG, "13800138000"]])]), tmp_path / "户.xlsx")
    report = importing.import_file(store, path, "household", GRID)
    assert report.imported == 1 and report.address_pending == 1
    assert store.list("household")[0]["tags"] == [ADDRESS_PENDING]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".csv"])
def test_yes_no_columns_are_yes_no(store, tmp_path, suffix):
    """是否户主 marks the head (no 与户主关系 column), 是否低保户 tags, 是否开通手机银行 is not the phone."""
    path = lv.write(lv.yes_no_columns(), tmp_path / f"农户{suffix}")
    report = importing.import_file(store, path, "person", GRID)
    assert_two_households_with_ids_and_phones(store, report)
    found = people(store)
    assert found["李老汉"]["tags"] == ["low_income"] and found["李四"]["tags"] == []
    assert found["张大山"]["relation_to_head"] == "户主" and found["王秀英"]["relation_to_head"] is None
    assert report.yes_no == ["是否开通手机银行"] and "是否开通手机银行（是/否列）" in "\n".join(report.layout_lines())


def test_a_yes_no_cell_that_says_neither_is_refused_with_the_column(store, tmp_path):
    layout = lv.yes_no_columns()
    layout.sheets[0].rows[1][6] = "低保"                 # in 是否低保户
    report = importing.import_file(store, lv.write(layout, tmp_path / "农户.xlsx"), "person", GRID,
                                   errors_path=tmp_path / "e.xlsx")
    assert "“是否低保户”一列应填“是”或“否”" in dict(report.errors)[2]


def test_phones_as_people_write_them(store, tmp_path):
    report = importing.import_file(store, lv.write(lv.phones_as_written(), tmp_path / "电话.xlsx"), "person", GRID,
                                   errors_path=tmp_path / "e.xlsx")
    found = people(store)
    assert {n: p["phone"] for n, p in found.items() if n != "吴六"} == {
        "赵一": "13800138000", "钱二": "13900139000", "孙三": "13800138002", "李四": "0710-3456789"}
    assert found["吴六"]["phone"] == "13700137000" and "0710-3456780" in found["吴六"]["notes"]
    assert list(dict(report.errors)) == [6] and "没有 123 开头的号段" in dict(report.errors)[6]    # 12345678901


def test_no_id_number_column_stops_before_writing(store, tmp_path):
    rows = [[r[0], r[1], r[2], r[4], r[5]] for r in lv._plain_rows()]
    header = ["户号", "姓名", "与户主关系", "联系电话", "现住址"]
    path = lv.write(lv.Layout([lv.Sheet("人口", [header, *rows])]), tmp_path / "无身份证.xlsx")
    with pytest.raises(importing.MissingColumns) as stopped:
        importing.import_file(store, path, "person", GRID)
    assert stopped.value.fields == ["id_number"] and "身份证号" in stopped.value.message()
    assert store.count("person") == 0 and store.count("household") == 0
    report = importing.import_file(store, path, "person", GRID, accept_missing=["id_number"])
    assert report.imported == 5 and report.missing == ["id_number"]
    assert "没有列对应到身份证号" in "\n".join(report.detail_lines())


def cli(store, capsys, *args):
    code = main(["--data", str(store.path.parent), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_shows_the_mapping_and_stops_without_a_phone_column(store, tmp_path, capsys):
    rows = [[r[0], r[1], r[2], r[3], r[5]] for r in lv._plain_rows()]
    header = ["户号", "姓名", "与户主关系", "公民身份号码", "现住址"]
    path = lv.write(lv.Layout([lv.Sheet("人口", [header, *rows])]), tmp_path / "无电话.xls")
    code, out, err = cli(store, capsys, "import", str(path), "--type", "person", "--grid", GRID)
    assert code == 2 and "“公民身份号码” → 身份证号" in out and "--accept-missing phone" in err
    assert store.count("person") == 0
    code, out, _ = cli(store, capsys, "import", str(path), "--type", "person", "--grid", GRID,
                       "--accept-missing", "phone", "--json")
    report = json.loads(out)
    assert code == 0 and report["imported"] == 5 and report["missing"] == ["phone"] and report["sheet"] == "人口"
    assert {"column": "公民身份号码", "field": "id_number"} in report["columns"]
    code, _, err = cli(store, capsys, "import", str(path), "--type", "person", "--accept-missing", "nickname")
    assert code == 2 and "nickname" in err


def test_cli_default_address(store, tmp_path, capsys):
    path = lv.write(lv.no_address_column(), tmp_path / "无地址.xlsx")
    code, out, _ = cli(store, capsys, "import", str(path), "--type", "person", "--grid", GRID, "--address", "幸福村3组")
    assert code == 0 and "新建户 2 户" in out
    assert {h["address"] for h in store.list("household")} == {"幸福村3组"}


def test_whole_labels_not_substrings():
    person = importing.guess_mapping(["是否户主", "户主及家庭成员", "与户主的关系", "客户名称", "id_card", "居住处所",
                                      "是否开通手机银行", "公民身份号码(必填)"], "person")
    assert person == {"是否户主": "_is_head", "户主及家庭成员": None, "与户主的关系": "relation_to_head",
                      "客户名称": "name", "id_card": "id_number", "居住处所": "_address", "是否开通手机银行": None,
                      "公民身份号码(必填)": None}     # id_number went to id_card, the first column giving it
    household = importing.guess_mapping(["户号", "姓名", "与户主的关系", "身份证号码", "是否户主"], "household")
    assert household == {"户号": "_household_no", "姓名": "head_name", "与户主的关系": "_relation",
                         "身份证号码": "head_id_number", "是否户主": "_is_head"}


def test_a_household_import_of_a_resident_list_makes_households_of_the_heads_only(store, tmp_path):
    """与户主的关系 is not the head's name: no households called 户主, 配偶, 子."""
    path = lv.write(lv.Layout([lv.Sheet("人口", [lv.PLAIN_HEADER, *lv._plain_rows()])]), tmp_path / "户.xlsx")
    report = importing.import_file(store, path, "household", GRID)
    assert report.imported == 2 and report.failed == 0
    assert {(h["head_name"], h["head_id_number"], h["address"]) for h in store.list("household")} == {
        ("张大山", lv.ZHANG, "幸福村3组12号"), ("李老汉", lv.LAOHAN, "幸福村3组15号")}
    assert report.notes == [(3, "member"), (4, "member"), (6, "member")]
    assert "不作为户导入" in "\n".join(report.detail_lines())


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_a_household_number_merged_down_over_its_members(store, tmp_path, suffix):
    """户号 and 居住地址 written once per household, merged down over the members' rows."""
    layout = lv.issue_two_row_header()
    sheet = layout.sheets[0]
    for row in (3, 4, 6):                    # the members' rows (0-based): their 户号 and address left to the merge
        sheet.rows[row][1] = sheet.rows[row][7] = None
    sheet.merges += [(2, 1, 4, 1), (2, 7, 4, 7), (5, 1, 6, 1), (5, 7, 6, 7)]
    report = importing.import_file(store, lv.write(layout, tmp_path / f"合并{suffix}"), "person", GRID)
    assert_two_households_with_ids_and_phones(store, report)


def test_ods_merged_ranges_are_read_from_the_file(tmp_path):
    from desktop.services.importing import sheets

    found = sheets.read(lv.write(lv.three_row_header(), tmp_path / "花名册.ods"))
    expected = lv.three_row_header().sheets[0].merges
    assert sorted(found[0].merged) == sorted(((r0, c0), (r1, c1)) for r0, c0, r1, c1 in expected)
