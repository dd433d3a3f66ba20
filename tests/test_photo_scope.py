"""Photos are scoped by their case: no photo on another grid's case, no bytes for knowing a checksum,
and a checksum is exactly a SHA-256 hex digest (never a path)."""
import hashlib
import os
import uuid

import pytest
import requests

from desktop.store import photo_blobs
from sync.ids import new_id
from tests.station_support import new_account

OTHER_GRID = "420704100201-01"


def incident(device, grid: str) -> str:
    case_id = new_id()
    fields = {"id": case_id, "grid_code": grid, "category": "safety_hazard", "title": "河堤渗水",
              "reported_at": "2026-12-01T09:00:00+08:00"}
    assert device.push([device.change("incident", case_id, fields)]).status_code == 200
    return case_id


def photo(device, case_id: str, grid: str, data: bytes, sha256: str | None = None):
    pid = new_id()
    fields = {"id": pid, "incident_id": case_id, "grid_code": grid,
              "sha256": sha256 or hashlib.sha256(data).hexdigest(), "size": len(data), "mime": "image/jpeg"}
    return device.push([device.change("photo", pid, fields)])


def upload(device, sha256: str, data: bytes) -> requests.Response:
    return requests.put(f"{device.station.url}/v1/blobs/{sha256}", params={"offset": 0}, data=data,
                        headers=device.headers(**{"Content-Type": "application/octet-stream"}), timeout=10)


def download(device, sha256: str) -> requests.Response:
    return requests.get(f"{device.station.url}/v1/blobs/{sha256}/data", headers=device.headers(), timeout=10)


def test_a_photo_cannot_be_attached_to_another_grids_case(station):
    victim = new_account(station, grids=(OTHER_GRID,))
    their_case = incident(victim, OTHER_GRID)
    attacker = new_account(station)
    refused = photo(attacker, their_case, "420704100201-03", b"\xff\xd8 photo")
    assert refused.status_code in (403, 422), refused.text
    assert refused.json()["rejected"][0]["fields"] == ["incident_id"]


def test_knowing_a_checksum_grants_no_bytes(station):
    victim = new_account(station, grids=(OTHER_GRID,))
    their_case = incident(victim, OTHER_GRID)
    secret_photo = os.urandom(2000)
    sha256 = hashlib.sha256(secret_photo).hexdigest()
    assert photo(victim, their_case, OTHER_GRID, secret_photo).status_code == 200
    assert upload(victim, sha256, secret_photo).json()["complete"] is True
    assert download(victim, sha256).content == secret_photo

    attacker = new_account(station)                     # a worker of another grid who learnt the checksum
    own_case = incident(attacker, "420704100201-03")
    assert photo(attacker, own_case, "420704100201-03", secret_photo, sha256).status_code == 200
    stolen = download(attacker, sha256)
    assert stolen.status_code == 404 and stolen.content != secret_photo


@pytest.mark.parametrize("sha256", ["/etc/passwd", "../../gridbook.sqlite3", "A" * 64, "0" * 63])
def test_a_checksum_is_a_sha256_hex_digest(station, sha256):
    device = new_account(station)
    case_id = incident(device, "420704100201-03")
    refused = photo(device, case_id, "420704100201-03", b"x", sha256)
    assert refused.status_code == 422 and refused.json()["rejected"][0]["fields"] == ["sha256"]


def test_a_pulled_photo_with_a_path_for_a_checksum_names_no_file(store):
    for bad in ("/etc/passwd", "../token", str(uuid.uuid4())):
        with pytest.raises(ValueError):
            photo_blobs.path_of(store, bad)
    assert photo_blobs.path_of(store, "a" * 64).name == "a" * 64
