"""Levels: photo bytes go up after their records, once, and only whole (real stations on loopback)."""
from __future__ import annotations

import os

import pytest
import requests

from tests import test_levels
from tests.station_support import HttpDevice
from tests.support.clients import GRID, PASSWORD, new_user
from tests.test_levels import COUNTY, forward, link
from tests.test_photo_scope import incident, photo, upload

county, township = test_levels.county, test_levels.township     # its fixtures
pytestmark = pytest.mark.usefixtures("file_tokens")


def bytes_at(station, account: HttpDevice, sha256: str) -> requests.Response:
    return requests.get(f"{station.url}/v1/blobs/{sha256}/data", headers=account.headers(), timeout=10)


def test_a_photo_reaches_the_county_after_its_record_once_and_only_when_whole(county, township):
    import hashlib
    link(township, county)
    laptop = HttpDevice(township, new_user(township), PASSWORD)
    case = incident(laptop, GRID)
    whole, half = os.urandom(300_000), os.urandom(5_000)        # more than one forwarding chunk
    for data in (whole, half):
        assert photo(laptop, case, GRID, data).status_code == 200
    assert upload(laptop, hashlib.sha256(whole).hexdigest(), whole).json()["complete"] is True
    assert upload(laptop, hashlib.sha256(half).hexdigest(), half[:2_000]).json()["complete"] is False

    counts = forward(township)
    assert (counts["pushed"], counts["photos"]) == (3, 1)        # the case, its two photo records; one whole
    desk = HttpDevice(county, new_user(county, "county", (COUNTY,)), PASSWORD)
    assert bytes_at(county, desk, hashlib.sha256(whole).hexdigest()).content == whole
    assert bytes_at(county, desk, hashlib.sha256(half).hexdigest()).status_code == 404     # not whole below yet
    assert forward(township)["photos"] == 0                    # handed up once

    rest = requests.put(f"{township.url}/v1/blobs/{hashlib.sha256(half).hexdigest()}", params={"offset": 2_000},
                        data=half[2_000:], headers=laptop.headers(**{"Content-Type": "application/octet-stream"}),
                        timeout=10)
    assert rest.json()["complete"] is True
    assert forward(township)["photos"] == 1
    assert bytes_at(county, desk, hashlib.sha256(half).hexdigest()).content == half
