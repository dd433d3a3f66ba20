"""Settings belong to a unit: a township sets its own (only stricter than its county), the county and the
station administrator the defaults; every value is checked, and a laptop meeting one it cannot use
falls back to the defaults and says so."""
import orjson
import pytest
import requests

from desktop.services.incidents import Incidents
from sync import incident_warnings as warnings
from sync.station import writer
from tests.station_support import new_account
from tests.support.clients import Client, new_user

TOWNSHIP_A, TOWNSHIP_B = "420704100", "420704101"


def put(device, name, value, unit=None):
    return requests.put(f"{device.station.url}/v1/settings/{name}", headers=device.headers(), timeout=10,
                        json=value, params={"unit": unit} if unit else None)


def get(device, name, unit=None):
    reply = requests.get(f"{device.station.url}/v1/settings/{name}", headers=device.headers(), timeout=10,
                         params={"unit": unit} if unit else None)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_a_township_sets_its_own_deadlines_and_no_one_elses(station):
    a = new_account(station, role="township", grids=(TOWNSHIP_A,))
    reply = put(a, warnings.DEADLINES_SETTING, {"dispute": {"village": 1}})
    assert reply.status_code == 200, reply.text
    assert reply.json()["dispute"]["village"] == 1
    assert get(a, warnings.DEADLINES_SETTING, TOWNSHIP_A)["dispute"]["village"] == 1
    assert get(a, warnings.DEADLINES_SETTING, TOWNSHIP_B)["dispute"]["village"] == 3    # the default there
    assert get(a, warnings.DEADLINES_SETTING)["dispute"]["village"] == 3                 # and station-wide
    other = put(a, warnings.DEADLINES_SETTING, {"dispute": {"village": 1}}, unit=TOWNSHIP_B)
    assert other.status_code == 403 and other.json()["code"] == "setting_unit"
    county = put(a, warnings.DEADLINES_SETTING, {"dispute": {"village": 1}}, unit="420704")
    assert county.status_code == 403
    worker = new_account(station)
    assert put(worker, warnings.DEADLINES_SETTING, {"dispute": {"village": 1}}).status_code == 403


def test_a_township_may_only_be_stricter_than_its_county(station):
    county = new_account(station, role="county", grids=("420704",))
    assert put(county, warnings.DEADLINES_SETTING, {"safety_hazard": {"village": 2}}).status_code == 200
    township = new_account(station, role="township", grids=(TOWNSHIP_A,))
    laxer = put(township, warnings.DEADLINES_SETTING, {"safety_hazard": {"village": 5}})
    assert laxer.status_code == 422 and laxer.json()["code"] == "setting_bound"
    assert "5" in laxer.json()["message"] and "2" in laxer.json()["message"]
    assert put(township, warnings.DEADLINES_SETTING, {"safety_hazard": {"village": 1}}).status_code == 200
    assert get(township, warnings.DEADLINES_SETTING, TOWNSHIP_B)["safety_hazard"]["village"] == 2  # the county's


@pytest.mark.parametrize(("name", "value", "code"), [
    (warnings.DEADLINES_SETTING, {"dispute": {"village": "abc"}}, "setting_days"),
    (warnings.DEADLINES_SETTING, {"dispute": {"village": -1}}, "setting_days"),
    (warnings.DEADLINES_SETTING, {"dispute": {"hamlet": 2}}, "setting_key"),
    (warnings.DEADLINES_SETTING, {"quarrel": {"village": 2}}, "setting_key"),
    (warnings.DEADLINES_SETTING, {"dispute": 3}, "setting_days"),
    (warnings.COLOURS_SETTING, {"yellow_within_hours": "abc"}, "setting_hours"),
    (warnings.COLOURS_SETTING, {"light_red_upto_hours": 100, "purple_upto_hours": 50}, "setting_order"),
    (warnings.COLOURS_SETTING, {"blue_when": ["always"]}, "setting_key"),
])
def test_a_setting_that_would_break_the_laptops_is_refused(station, name, value, code):
    township = new_account(station, role="township", grids=(TOWNSHIP_A,))
    reply = put(township, name, value)
    assert reply.status_code == 422 and reply.json()["code"] == code, reply.text
    result = station.cli("setting", "set", name, orjson.dumps(value).decode())
    assert result.returncode == 2 and result.stderr.strip()


@pytest.mark.usefixtures("file_tokens")
def test_a_laptop_that_receives_a_setting_it_cannot_use_falls_back_and_says_so(sync_station, tmp_path):
    engine = sync_station.engine()
    key = warnings.setting_id(warnings.DEADLINES_SETTING)
    with engine.begin() as conn:              # as an older station stored it, unchecked
        stamp = writer.station_stamp(conn)
        row = {"id": key, "name": warnings.DEADLINES_SETTING, "value": '{"dispute": {"village": "abc"}}',
               "deleted": False, "clocks": {"id": stamp, "name": stamp, "value": stamp}}
        current = writer.fetch_rows(conn, "setting", [key]).get(key)
        writer.write_rows(conn, "setting", [] if current else [row], [row] if current else [])
        writer.bump_versions(conn, [("setting", key, None)])
    engine.dispose()
    laptop = Client(tmp_path / "laptop")
    try:
        laptop.login(sync_station.url, new_user(sync_station))
        laptop.sync()
        service = Incidents(laptop.store)
        case_id = service.report({"grid_code": "420704100201-03", "category": "dispute", "title": "邻里纠纷"})
        settings = service.settings()
        assert settings.problems == [warnings.DEADLINES_SETTING]
        assert settings[warnings.DEADLINES_SETTING]["dispute"]["village"] == 3      # the default
        assert case_id in {r.incident["id"] for r in service.cases()}               # the list still shows
    finally:
        laptop.close()
        engine = sync_station.engine()
        with engine.begin() as conn:          # the module's station is shared: put it right again
            writer.bump_versions(conn, [("setting", key, None)])
            conn.execute(writer.records.record_table("setting").delete().where(
                writer.records.record_table("setting").c.id == key))
        engine.dispose()
