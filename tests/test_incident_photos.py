"""Photos of a case: the record syncs first, the bytes follow in chunks that resume, and never block records."""
import hashlib
import os

import pytest
import requests

from desktop.services.incident_photos import CasePhotos
from desktop.services.incidents import Incidents
from desktop.store import photo_blobs
from desktop.syncing import SyncResult, photos
from desktop.syncing.push import push
from sync import protocol
from tests.station_support import running_station, station_backends
from tests.support.clients import GRID, PASSWORD, TOWNSHIP, Client, local_grids, new_user

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture(scope="module", params=station_backends())
def sync_station(request, tmp_path_factory):
    """A real station per module, on SQLite and (with GRIDBOOK_TEST_PG) on PostgreSQL."""
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))
CASE = {"grid_code": GRID, "category": "safety_hazard", "title": "河堤渗水"}


@pytest.fixture
def laptop(sync_station, tmp_path):
    client = Client(tmp_path / "laptop")
    local_grids(client)
    client.login(sync_station.url, new_user(sync_station))
    yield client
    client.close()


def status(station, sha256: str, user: str) -> requests.Response:
    token, _device, _secret = station.login(user, PASSWORD)
    return requests.get(f"{station.url}/v1/blobs/{sha256}", timeout=10,
                        headers={**protocol.version_headers(), "Authorization": f"Bearer {token}"})


def test_a_photo_upload_resumes_where_it_stopped_and_reaches_the_township(sync_station, laptop, tmp_path):
    service = Incidents(laptop.store)
    case_id = service.report(CASE)
    data = os.urandom(600_000)
    CasePhotos(service).add(case_id, data, caption="渗水点")
    engine = laptop.engine
    engine._require_token()
    push(engine, SyncResult(), lambda *_: None)                 # the records only: the link drops before photos
    sha256 = hashlib.sha256(data).hexdigest()
    blob = photo_blobs.pending(laptop.store)[0]
    assert photos.upload_one(engine, blob, chunk=64 * 1024, max_chunks=3) is False    # cut off after 3 chunks
    township = new_user(sync_station, "township", (TOWNSHIP,))
    held = status(sync_station, sha256, township).json()
    assert (held["received"], held["complete"], held["size"]) == (3 * 64 * 1024, False, 600_000)
    assert photo_blobs.pending(laptop.store)[0]["sent"] == 3 * 64 * 1024
    laptop.sync()                                               # the next sync sends the rest only
    assert photo_blobs.pending(laptop.store) == []
    assert status(sync_station, sha256, township).json()["complete"] is True

    office = Client(tmp_path / "office")
    try:
        office.login(sync_station.url, township)
        office.sync()
        [photo] = CasePhotos(Incidents(office.store)).of(case_id)
        assert photo["caption"] == "渗水点" and photo["path"] is None
        path = photos.download(office.engine, sha256, chunk=100_000)
        assert photo_blobs.read(office.store, sha256) == data and data not in path.read_bytes()      # sealed
        assert photo_blobs.read_file(path) == data
        assert CasePhotos(Incidents(office.store)).of(case_id)[0]["path"] == path
    finally:
        office.close()


def test_a_bad_photo_never_blocks_the_records(sync_station, laptop):
    service = Incidents(laptop.store)
    case_id = service.report(CASE)
    CasePhotos(service).add(case_id, b"\xff\xd8 a photo" * 1000)
    blob = photo_blobs.pending(laptop.store)[0]
    photo_blobs.path_of(laptop.store, blob["sha256"]).write_bytes(b"\xff\xd8 changed!" * 1000)   # disk rot
    result = laptop.sync()
    assert result.pushed == 3 and laptop.pending() == 0         # case, report step and photo record
    assert photo_blobs.pending(laptop.store)[0]["done"] is False
    later = service.record(case_id, "register")
    assert laptop.sync().pushed == 1 and later


def test_the_station_checks_offsets_sizes_and_scope(sync_station, laptop):
    service = Incidents(laptop.store)
    case_id = service.report(CASE)
    data = b"photo bytes" * 100
    CasePhotos(service).add(case_id, data)
    laptop.sync()
    sha256 = hashlib.sha256(data).hexdigest()
    engine = laptop.engine
    assert photo_blobs.pending(laptop.store) == []              # the sync uploaded it in one chunk
    status_code, body = photos._put(engine, sha256, 5, b"xx")
    assert status_code == 200 and body["complete"] is True                    # complete: idempotent
    other = hashlib.sha256(b"nothing").hexdigest()
    assert photos._put(engine, other, 0, b"nothing")[0] == 404                # no such photo record
    elsewhere = new_user(sync_station, "worker", ("420704101201-01",))
    assert status(sync_station, sha256, elsewhere).status_code == 404         # not in that account's scope
