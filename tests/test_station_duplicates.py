"""Two laptops that register one person while apart meet at the station as a duplicate to review and merge,
never as two people."""
import pytest

from tests.support.clients import Client, household, local_grids, new_user, station_records

pytestmark = pytest.mark.usefixtures("file_tokens")
ID_NUMBER = "42070419900101001X"


def conflicts(station, user_laptop):
    reply = user_laptop.engine.call("GET", "/v1/conflicts")
    return [c for c in reply.body["conflicts"] if c["kind"] == "duplicate"]


def test_a_person_registered_on_two_laptops_is_one_person_after_review(sync_station, tmp_path):
    worker, township = new_user(sync_station), new_user(sync_station, "township", ("420704100",))
    a, b, office = (Client(tmp_path / n) for n in ("a", "b", "office"))
    try:
        for laptop in (a, b):
            local_grids(laptop)
            laptop.login(sync_station.url, worker)
        home_a = a.put("household", household(1))
        home_b = b.put("household", household(2))
        first = a.put("person", {"household_id": home_a, "name": "王秀英", "id_number": ID_NUMBER})
        second = b.put("person", {"household_id": home_b, "name": "王秀英", "id_number": ID_NUMBER,
                                  "phone": "13800138000", "ethnicity": "汉族"})
        a.sync()
        b.sync()
        assert set(station_records(sync_station, "person", [first, second])) == {first, second}   # nothing lost
        office.login(sync_station.url, township)
        office.sync()
        [duplicate] = conflicts(sync_station, office)
        assert duplicate["kept_value"]["id"] == first and duplicate["lost_value"]["id"] == second
        b.sync()                                          # noted once, however often the laptops sync
        assert len(conflicts(sync_station, office)) == 1

        wrong = office.engine.call("POST", f"/v1/conflicts/{duplicate['id']}/resolve", json_body={"take": "remote"},
                                   expect=(422,))
        assert wrong.code == "duplicate_take"
        office.engine.call("POST", f"/v1/conflicts/{duplicate['id']}/resolve", json_body={"take": "merge"})
        people = station_records(sync_station, "person", [first, second])
        assert people[second]["deleted"] is True
        assert (people[first]["phone"], people[first]["ethnicity"]) == ("13800138000", "01")   # nothing lost
        a.sync()
        assert a.store.get("person", second) is None and a.store.get("person", first)["phone"] == "13800138000"
        assert conflicts(sync_station, office) == []
    finally:
        for laptop in (a, b, office):
            laptop.close()


def test_a_reviewer_can_say_they_are_two_people(sync_station, tmp_path):
    worker, township = new_user(sync_station), new_user(sync_station, "township", ("420704100",))
    number = "420704198506060034"
    a, b = Client(tmp_path / "a"), Client(tmp_path / "b")
    try:
        for laptop in (a, b):
            local_grids(laptop)
            laptop.login(sync_station.url, worker)
        one = a.put("person", {"household_id": a.put("household", household(3)), "name": "李明", "id_number": number})
        two = b.put("person", {"household_id": b.put("household", household(4)), "name": "李敏", "id_number": number})
        a.sync()
        b.sync()
        reviewer = Client(tmp_path / "office")
        try:
            reviewer.login(sync_station.url, township)
            [duplicate] = [c for c in conflicts(sync_station, reviewer) if c["record_id"] == two]
            reviewer.engine.call("POST", f"/v1/conflicts/{duplicate['id']}/resolve", json_body={"take": "local"})
        finally:
            reviewer.close()
        kept = station_records(sync_station, "person", [one, two])
        assert not kept[one]["deleted"] and not kept[two]["deleted"]
    finally:
        a.close()
        b.close()
