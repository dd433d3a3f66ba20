"""Search by name, pinyin (full and initials), ID number, phone and address."""
import pytest

from tests.conftest import GRID


@pytest.fixture
def village(store):
    zhang = store.put("household", {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三",
                                    "head_id_number": "11010519491231002X", "phone": "13800138000"})
    wang = store.put("household", {"grid_code": GRID, "address": "光明路8号", "head_name": "王小明",
                                   "phone": "13912345678"})
    store.put("person", {"household_id": zhang, "name": "李四", "id_number": "11010519491231002X"})
    return {"zhang": zhang, "wang": wang}


def names(results):
    return sorted(r["label"] for r in results)


def test_pinyin_initials_and_full_pinyin(store, village):
    assert names(store.search("zs")) == ["张三"]
    assert names(store.search("zhangsan")) == ["张三"]
    assert names(store.search("wxm")) == ["王小明"]
    assert names(store.search("wang")) == ["王小明"]


def test_chinese_name_and_address_substrings(store, village):
    assert names(store.search("小明")) == ["王小明"]
    assert names(store.search("光明路")) == ["王小明"]
    assert "张三" in names(store.search("幸福村"))
    assert "李四" in names(store.search("幸福村"))   # residents are found by their household's address


def test_id_number_full_and_last_digits(store, village):
    assert "张三" in names(store.search("11010519491231002X"))
    assert "张三" in names(store.search("002x"))
    assert names(store.search("99999")) == []


def test_phone_full_and_suffix(store, village):
    assert names(store.search("13912345678")) == ["王小明"]
    assert names(store.search("5678")) == ["王小明"]


def test_deleted_and_edited_records_leave_the_index(store, village):
    store.put("household", {"id": village["wang"], "head_name": "王大明"})
    assert names(store.search("wxm")) == []
    assert names(store.search("wdm")) == ["王大明"]
    store.delete("household", village["wang"])
    assert names(store.search("wdm")) == []


def test_nothing_searchable_returns_nothing(store, village):
    assert store.search("   ") == [] and store.search("!!") == []


def test_an_edit_keeps_the_terms_it_does_not_touch_and_replaces_those_it_does(store, village):
    # A save re-indexes only when a searched field changed; every other field leaves the terms as they were.
    store.put("household", {"id": village["wang"], "tags": ["低保户"]})
    assert names(store.search("wxm")) == ["王小明"] and names(store.search("5678")) == ["王小明"]
    store.put("household", {"id": village["wang"], "phone": "13700001111"})
    assert names(store.search("5678")) == [] and names(store.search("1111")) == ["王小明"]
    assert names(store.search("wxm")) == ["王小明"]          # its name's terms came along
    store.put("household", {"id": village["zhang"], "address": "光明路9号"})
    assert names(store.search("光明路")) == ["张三", "李四", "王小明"]   # a new address reaches its residents
    person = store.search("李四")[0]["id"]
    store.put("person", {"id": person, "phone": "13600002222"})
    assert names(store.search("2222")) == ["李四"] and names(store.search("光明路9")) == ["张三", "李四"]
