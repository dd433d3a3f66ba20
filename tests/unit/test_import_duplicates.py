"""Residents already in the ledger are merged, not doubled; look-alikes are flagged for review."""
from desktop.services import importing
from desktop.store import replication
from tests.conftest import GRID
from tests.import_samples import id_number, plain_workbook

HEADERS = ["姓名", "身份证号", "联系电话", "备注"]


def test_known_id_number_merges_changed_fields(store, tmp_path):
    existing = store.put("person", {"name": "周九", "id_number": id_number("19800505", 91), "phone": "13500135000",
                                    "notes": "老住户"})
    path = plain_workbook(tmp_path / "p.xlsx", HEADERS, [["周九", id_number("19800505", 91), "13511112222", None]])
    pending = replication.pending_count(store)
    report = importing.import_file(store, path, "person", GRID)
    assert (report.imported, report.merged) == (0, 1) and store.count("person") == 1
    person = store.get("person", existing)
    assert person["phone"] == "13511112222" and person["notes"] == "老住户"    # an empty cell changes nothing
    assert replication.pending_count(store) == pending + 1


def test_skip_leaves_the_existing_record(store, tmp_path):
    existing = store.put("person", {"name": "周九", "id_number": id_number("19800505", 91), "phone": "13500135000"})
    path = plain_workbook(tmp_path / "p.xlsx", HEADERS, [["周九", id_number("19800505", 91), "13511112222", None]])
    report = importing.import_file(store, path, "person", GRID, on_duplicate="skip")
    assert (report.skipped, report.merged) == (1, 0) and store.get("person", existing)["phone"] == "13500135000"


def test_near_duplicate_is_flagged_not_blocked(store, tmp_path):
    store.put("person", {"name": "吴十", "id_number": id_number("19750606", 11)})
    path = plain_workbook(tmp_path / "p.xlsx", HEADERS, [["吴十", id_number("19750606", 13), None, None]])
    report = importing.import_file(store, path, "person", GRID)
    assert (report.imported, report.flagged) == (1, 1) and "吴十" in report.flags[0]
    assert store.count("person") == 2


def test_id_number_twice_in_one_file(store, tmp_path):
    number = id_number("19800505", 91)
    path = plain_workbook(tmp_path / "p.xlsx", HEADERS, [["周九", number, None, None], ["周玖", number, None, None]])
    report = importing.import_file(store, path, "person", GRID, errors_path=tmp_path / "e.xlsx")
    assert (report.imported, report.failed) == (1, 1) and "第 2 行" in report.errors[0][1]


def test_buildings_and_organisations_import_and_reimport(store, tmp_path):
    buildings = plain_workbook(tmp_path / "b.xlsx", ["楼栋名称", "地址", "层数", "用途", "结构"],
                               [["3组1号楼", "幸福村3组", "３层", "住宅", "砖混"],
                                ["村委楼", "幸福村1组", 2, "办公", None]])
    orgs = plain_workbook(tmp_path / "o.xlsx", ["单位名称", "单位类型", "负责人", "联系电话"],
                          [["幸福村卫生室", "医疗", "刘医生", "0711-3456789"]])
    for _ in range(2):
        importing.import_file(store, buildings, "building", GRID)
        importing.import_file(store, orgs, "organisation", GRID)
    built = {b["name"]: b for b in store.list("building")}
    assert len(built) == 2 and built["3组1号楼"]["floors"] == 3 and built["村委楼"]["use"] == "public"
    assert [o["contact"] for o in store.list("organisation")] == ["刘医生"]


def test_household_list_reimports_without_duplicates(store, tmp_path):
    path = plain_workbook(tmp_path / "h.xlsx", ["户主姓名", "户主身份证号码", "家庭住址", "联系电话"],
                          [["郑一", id_number("19600101", 11), "幸福村2组1号", "13800000001"],
                           ["郑二", None, "幸福村2组2号", None]])
    first = importing.import_file(store, path, "household", GRID)
    second = importing.import_file(store, path, "household", GRID)
    assert first.imported == 2 and (second.imported, second.unchanged) == (0, 2)
    assert store.count("household", GRID) == 2


def test_unknown_grid_fails_rows_with_a_reason(store, tmp_path):
    path = plain_workbook(tmp_path / "h.xlsx", ["户主姓名", "家庭住址"], [["郑一", "幸福村2组1号"]])
    report = importing.import_file(store, path, "household", "420704100201-99", errors_path=tmp_path / "e.xlsx",
                                   accept_missing=("head_id_number", "phone"))
    assert report.failed == 1 and "不存在" in report.errors[0][1]


def test_skip_leaves_existing_households_too(store, tmp_path):
    from tests.import_samples import messy_workbook, resident_rows

    importing.import_file(store, messy_workbook(tmp_path / "r.xlsx"), "person", GRID)
    rows = resident_rows()
    rows[0][9] = rows[1][9] = rows[2][9] = "幸福村3组99号"           # the Zhangs moved, says the new list
    path = messy_workbook(tmp_path / "r2.xlsx", rows)
    importing.import_file(store, path, "person", GRID, on_duplicate="skip")
    assert {h["address"] for h in store.list("household")} == {"幸福村3组12号", "幸福村3组15号"}
    importing.import_file(store, path, "person", GRID)
    assert {h["address"] for h in store.list("household")} == {"幸福村3组99号", "幸福村3组15号"}
