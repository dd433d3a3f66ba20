"""GET /v1/devices: a township sees which laptops of its villages synced when; nobody else's, and no worker."""
import pytest
import requests

from sync import protocol
from tests.station_support import household, new_account, running_station, station_backends


@pytest.fixture(scope="module", params=station_backends())
def st(request, tmp_path_factory):
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))


def test_a_township_lists_its_villages_laptops_with_their_last_push(st):
    worker = new_account(st, grids=("420704100201-03",))
    silent = new_account(st, grids=("420704100201-01",))
    hid, fields = household()
    assert worker.push([worker.change("household", hid, fields)]).status_code == 200
    township = new_account(st, role="township", grids=("420704100",))
    reply = requests.get(st.url + "/v1/devices", headers=township.headers(), timeout=5)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    listed = {d["device_id"]: d for d in body["devices"]}
    assert listed[worker.device_id]["user"] == worker.user and listed[worker.device_id]["acked"] == 1
    assert listed[worker.device_id]["last_push_ms"] <= body["time_ms"]
    assert listed[silent.device_id]["last_push_ms"] is None          # registered, never pushed
    assert listed[worker.device_id]["grids"] == ["420704100201-03"]
    assert township.device_id in listed                              # its own laptop too
    outsider = new_account(st, role="township", grids=("420704101",))
    theirs = requests.get(st.url + "/v1/devices", headers=outsider.headers(), timeout=5).json()["devices"]
    assert worker.device_id not in {d["device_id"] for d in theirs}
    assert requests.get(st.url + "/v1/devices", headers=worker.headers(), timeout=5).status_code == 403
    assert requests.get(st.url + "/v1/devices", headers=protocol.version_headers(), timeout=5).status_code == 401
