"""Every value the station cannot store is a 422 for that change, never a 503 that a laptop
retries forever; and the station stores what validation returns, not what was sent."""
import pytest
from sqlalchemy import select

from sync import records
from tests.station_support import household, new_account

UNSTORABLE = {
    "an object in a text field": ("address", {"street": "幸福路"}),
    "a list in a text field": ("head_name", ["张三"]),
    "a boolean in a text field": ("address", True),
    "a NUL character": ("notes", "门口\x00有狗"),
    "a nested tag": ("tags", [[["独居老人"]]]),
    "an object as a tag": ("tags", [{"tag": "低保"}]),
    "too many tags": ("tags", [f"标签{n}" for n in range(31)]),
}


@pytest.mark.parametrize("case", sorted(UNSTORABLE))
def test_an_unstorable_value_is_refused_for_its_change_and_nothing_of_the_batch_applies(station, case):
    field, value = UNSTORABLE[case]
    device = new_account(station)
    good_id, good = household()
    bad_id, bad = household(**{field: value})
    reply = device.push([device.change("household", good_id, good), device.change("household", bad_id, bad)])
    assert reply.status_code == 422, reply.text
    refused = reply.json()["rejected"]
    assert [(r["seq"], r["fields"]) for r in refused] == [(2, [field])] and refused[0]["message"]
    table = records.record_table("household")
    engine = station.engine()
    with engine.connect() as conn:
        stored = conn.execute(select(table.c.id).where(table.c.id.in_([good_id, bad_id]))).all()
    engine.dispose()
    assert stored == []                                   # all or nothing
    skipped = device.push([{"seq": 1, "skip": True}, {"seq": 2, "skip": True}])
    assert skipped.status_code == 200                     # set aside, the queue goes on


def test_the_station_stores_the_checked_values(station):
    device = new_account(station)
    hid, fields = household(grid=" 420704100201-03 ", phone=13800138000)
    pid = "01a23100-0000-7000-8000-00000000aaaa"
    reply = device.push([device.change("household", hid, fields),
                         device.change("person", pid, {"id": pid, "name": " 张小三 ", "household_id": hid,
                                                       "id_number": "11010519491231002x", "tags": [" 低保 "]})])
    assert reply.status_code == 200, reply.text
    household_table, person = records.record_table("household"), records.record_table("person")
    engine = station.engine()
    with engine.connect() as conn:
        grid, phone = conn.execute(select(household_table.c.grid_code, household_table.c.phone)
                                   .where(household_table.c.id == hid)).one()
        name, number, tags = conn.execute(select(person.c.name, person.c.id_number, person.c.tags)
                                          .where(person.c.id == pid)).one()
    engine.dispose()
    assert (grid, phone) == ("420704100201-03", "13800138000")
    assert (name, number, tags) == ("张小三", "11010519491231002X", ["低保"])
