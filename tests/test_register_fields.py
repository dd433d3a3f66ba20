"""The fields the real registers share (民族, 户籍地址, 文化程度, 婚姻状况, 政治面貌, 工作单位, 户号): kept as
national codes, shown and exported by name, imported from either, synced through the station."""
import pytest
from openpyxl import load_workbook

from desktop.services import exporting, importing
from sync.validation import ValidationError
from tests.conftest import GRID
from tests.support.clients import Client, household, local_grids, new_user

PERSON = {"name": "王秀英", "ethnicity": "土家族", "registered_address": "湖北省鄂州市鄂城区汀祖镇幸福村3组12号",
          "education": "本科", "marital_status": "已婚", "political_status": "党员", "employer": "汀祖镇卫生院"}


def test_names_are_kept_as_codes_and_nonsense_is_refused(store):
    home = store.put("household", household(1, register_number="0012"))
    person = store.get("person", store.put("person", {**PERSON, "household_id": home}))
    assert (person["ethnicity"], person["education"], person["marital_status"], person["political_status"]) == \
        ("15", "20", "20", "01")
    assert store.get("household", home)["register_number"] == "0012"
    with pytest.raises(ValidationError) as refused:
        store.put("person", {"household_id": home, "name": "李四", "ethnicity": "火星族"})
    assert refused.value.fields() == ["ethnicity"] and "01 汉族" in refused.value.message("zh_CN")


def test_an_export_names_them_and_reimports_to_the_same_codes(store, tmp_path, ledger):
    home = store.put("household", household(2, register_number="0013"))
    store.put("person", {**PERSON, "household_id": home, "relation_to_head": "户主"})
    path, homes = tmp_path / "人口.xlsx", tmp_path / "住户.xlsx"
    exporting.export_table(ledger, "person", path)
    exporting.export_table(ledger, "household", homes)
    sheet = load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert (row["民族"], row["文化程度"], row["政治面貌"], row["工作单位"]) == ("土家族", "大学本科", "中共党员",
                                                                          "汀祖镇卫生院")
    other_data = tmp_path / "other"
    other_data.mkdir()
    from desktop.store import open_store
    other = open_store(other_data)
    try:
        other.put("grid", {"code": GRID, "name": "幸福村第三网格", "level": "grid"})
        importing.import_file(other, homes, "household", GRID, accept_missing=("id_number", "phone"))
        assert other.get("household", home)["register_number"] == "0013"
        report = importing.import_file(other, path, "person", GRID, accept_missing=("id_number", "phone"))
        assert report.failed == 0, report.errors
        [imported] = other.list("person")
        assert (imported["ethnicity"], imported["education"], imported["political_status"]) == ("15", "20", "01")
        assert imported["registered_address"] == PERSON["registered_address"]
    finally:
        other.engine.dispose()


@pytest.mark.usefixtures("file_tokens")
def test_they_travel_through_the_station(sync_station, tmp_path):
    worker = new_user(sync_station)
    first, second = Client(tmp_path / "first"), Client(tmp_path / "second")
    try:
        local_grids(first)
        first.login(sync_station.url, worker)
        home = first.put("household", household(3, register_number="0014"))
        pid = first.put("person", {**PERSON, "household_id": home})
        first.sync()
        second.login(sync_station.url, worker)
        second.sync()
        got = second.store.get("person", pid)
        assert (got["ethnicity"], got["employer"]) == ("15", "汀祖镇卫生院")
        assert second.store.get("household", home)["register_number"] == "0014"
    finally:
        first.close()
        second.close()
