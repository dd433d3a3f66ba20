"""One person, one record; one head per household, and it is that member — whichever way a record is written."""
import pytest

from desktop.services import Ledger
from sync.validation import ValidationError
from tests.conftest import GRID

ID_NUMBER = "11010519491231002X"


def new_household(store, **fields) -> str:
    return store.put("household", {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三", **fields})


def test_an_id_number_names_one_resident(store):
    home, other_home = new_household(store), new_household(store, address="幸福村3组13号")
    first = store.put("person", {"household_id": home, "name": "张三", "id_number": ID_NUMBER})
    with pytest.raises(ValidationError) as refused:
        store.put("person", {"household_id": other_home, "name": "张三", "id_number": ID_NUMBER.lower()})
    assert refused.value.fields() == ["id_number"]
    assert "张三" in refused.value.message("zh_CN") and "幸福村3组12号" in refused.value.message("zh_CN")
    assert refused.value.errors[0].params["person"] == first
    store.put("person", {"id": first, "household_id": other_home})           # moving the resident is the way
    assert store.get("person", first)["household_id"] == other_home
    store.delete("person", first)
    store.put("person", {"household_id": home, "name": "张三", "id_number": ID_NUMBER})   # a deleted one frees it


def test_a_household_has_one_head(store):
    home = new_household(store)
    store.put("person", {"household_id": home, "name": "张三", "relation_to_head": "户主"})
    with pytest.raises(ValidationError) as refused:
        store.put("person", {"household_id": home, "name": "李四", "relation_to_head": "户主"})
    assert refused.value.fields() == ["relation_to_head"] and "张三" in refused.value.message("zh_CN")
    store.put("person", {"household_id": home, "name": "李四", "relation_to_head": "配偶"})


def test_the_head_member_and_the_households_head_fields_are_one_fact(store):
    home = new_household(store, head_name="张三")
    head = store.put("person", {"household_id": home, "name": "张大山", "relation_to_head": "户主",
                                "id_number": ID_NUMBER, "phone": "13800138000"})
    household = store.get("household", home)
    assert (household["head_name"], household["head_id_number"], household["phone"]) == \
        ("张大山", ID_NUMBER, "13800138000")
    store.put("household", {"id": home, "head_name": "张大海"})               # the top of the household form
    assert store.get("person", head)["name"] == "张大海"
    store.put("person", {"id": head, "phone": "13900139000"})                 # the member's row
    assert store.get("household", home)["phone"] == "13900139000"


def test_putting_a_new_household_makes_its_head_a_resident(store):
    ledger = Ledger(store)
    home = ledger.put("household", {"grid_code": GRID, "address": "幸福村3组14号", "head_name": "王五",
                                    "head_id_number": ID_NUMBER, "phone": "13800138000"})
    [head] = ledger.members(home)
    assert (head["name"], head["id_number"], head["phone"], head["relation_to_head"]) == \
        ("王五", ID_NUMBER, "13800138000", "户主")
