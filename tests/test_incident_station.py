"""The station's side of cases: settings that sync down, the township inbox and case API, the CLI."""
import json

import pytest
import requests

from desktop.services.incidents import Incidents
from sync import incident_warnings as warnings
from sync import protocol
from tests.station_support import running_station, station_backends
from tests.support.clients import GRID, PASSWORD, TOWNSHIP, Client, local_grids, new_user

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture(scope="module", params=station_backends())
def sync_station(request, tmp_path_factory):
    """A real station per module, on SQLite and (with GRIDBOOK_TEST_PG) on PostgreSQL."""
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))
CASE = {"grid_code": GRID, "category": "safety_hazard", "title": "危房墙体开裂", "location": "幸福村3组"}


@pytest.fixture
def laptop(sync_station, tmp_path):
    client = Client(tmp_path / "laptop")
    local_grids(client)
    client.login(sync_station.url, new_user(sync_station))
    yield client
    client.close()


def api(station, user: str, method: str, path: str, **kwargs) -> requests.Response:
    token, _device, _secret = station.login(user, PASSWORD)
    headers = {**protocol.version_headers(), "Authorization": f"Bearer {token}", "Accept-Language": "en"}
    return requests.request(method, station.url + path, headers=headers, timeout=10, **kwargs)


def test_deadlines_set_at_the_station_reach_the_laptop(sync_station, laptop):
    service = Incidents(laptop.store)
    assert service.settings()[warnings.DEADLINES_SETTING]["dispute"]["village"] == 3       # the default
    township = new_user(sync_station, "township", (TOWNSHIP,))
    answer = api(sync_station, township, "PUT", f"/v1/settings/{warnings.DEADLINES_SETTING}",
                 json={"dispute": {"village": 2}})
    assert answer.status_code == 200 and answer.json()["dispute"] == {"village": 2, "township": 7, "county": 15,
                                                                      "city": 30}
    done = sync_station.cli("setting", "set", warnings.COLOURS_SETTING, '{"yellow_within_hours": 48}')
    assert done.returncode == 0, done.stderr
    laptop.sync()
    settings = service.settings()
    # the township's own deadline, for its grids; the station-wide colours everywhere
    assert settings.for_grid("420704100201-03")[warnings.DEADLINES_SETTING]["dispute"]["village"] == 2
    assert settings[warnings.DEADLINES_SETTING]["dispute"]["village"] == 3
    assert settings[warnings.COLOURS_SETTING]["yellow_within_hours"] == 48
    # a worker may not change them, and a device cannot push one
    worker = new_user(sync_station)
    assert api(sync_station, worker, "PUT", "/v1/settings/warning_colours", json={}).status_code == 403
    laptop.store.put("setting", {"id": warnings.setting_id("x"), "name": "x", "value": "{}"})
    assert laptop.sync().set_aside == 1
    bad = sync_station.cli("setting", "set", "nonsense", "{}")
    assert bad.returncode == 2 and "nonsense" in bad.stderr


def test_the_township_inbox_and_case_history_over_http(sync_station, laptop):
    service = Incidents(laptop.store)
    case_id = service.report(CASE)
    service.record(case_id, "escalate", notes="村里无力处置")
    direct = service.report({**CASE, "title": "燃气泄漏"}, target_level="county")     # 大事直报县级
    laptop.sync()
    township = new_user(sync_station, "township", (TOWNSHIP,))
    inbox = api(sync_station, township, "GET", "/v1/incidents/inbox").json()["cases"]
    assert [c["id"] for c in inbox] == [case_id]
    assert inbox[0]["status"] == "escalated" and inbox[0]["holder"] == TOWNSHIP and inbox[0]["deadline"]
    case = api(sync_station, township, "GET", f"/v1/incidents/{direct}").json()
    assert case["level"] == "county" and [s["step"] for s in case["steps"]] == ["report"]
    county = new_user(sync_station, "county", (TOWNSHIP[:6],))
    assert [c["id"] for c in api(sync_station, county, "GET", "/v1/incidents/inbox").json()["cases"]] == [direct]
    worker = new_user(sync_station)
    assert api(sync_station, worker, "GET", "/v1/incidents/inbox").status_code == 403
    missing = api(sync_station, township, "GET", "/v1/incidents/0000")
    assert missing.status_code == 404 and missing.json()["message"] == "No case 0000."
    listed = sync_station.cli("inbox", "--json")
    assert case_id in {c["id"] for c in json.loads(listed.stdout)}


def test_reports_over_http_and_from_the_command_line(sync_station, laptop):
    service = Incidents(laptop.store)
    case_id = service.report(CASE)
    service.record(case_id, "handle", agreement="加固墙体", outcome="success")
    laptop.sync()
    township = new_user(sync_station, "township", (TOWNSHIP,))
    figures = api(sync_station, township, "GET", "/v1/reports", params={"unit": GRID}).json()
    assert figures["reported"] >= 1 and figures["mediation_success"] >= 1 and figures["unit"] == GRID
    csv = api(sync_station, township, "GET", "/v1/reports", params={"format": "csv"})
    assert csv.status_code == 200 and csv.content.decode("utf-8-sig").startswith("\"Case report (all units")
    xlsx = api(sync_station, township, "GET", "/v1/reports", params={"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    outside = api(sync_station, township, "GET", "/v1/reports", params={"unit": "420704101"})
    assert outside.status_code == 403 and "outside your scope" in outside.json()["message"]
    bad = api(sync_station, township, "GET", "/v1/reports", params={"start": "2026-13-01"})
    assert bad.status_code == 422 and bad.json()["code"] == "report_dates"
    text = sync_station.cli("report", "--unit", GRID)
    assert text.returncode == 0 and "上报事件数" in text.stdout and "调解成功率" in text.stdout
