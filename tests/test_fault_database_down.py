"""The station's PostgreSQL stopped in the middle of a sync: a clear 503, the laptop keeps its changes,
and once PostgreSQL is back the next sync delivers every change exactly once."""
from __future__ import annotations

import threading

import pytest
import requests

from sync import protocol
from sync.ids import new_id
from tests.station_support import DEMO_GRIDS, start_station
from tests.support.clients import Client, household, local_grids, new_user, station_applied, station_records
from tests.support.fault_proxy import FaultProxy
from tests.support.pg_cluster import PgCluster, pg_bin

pytestmark = [pytest.mark.usefixtures("file_tokens"), pytest.mark.pg, pytest.mark.slow,
              pytest.mark.skipif(pg_bin() is None, reason="PostgreSQL is not installed here "
                                 "(scripts/install-system-deps.sh --with-postgres; CI installs it)")]
BATCH = 200


@pytest.fixture
def cluster():
    made = PgCluster()
    yield made
    made.destroy()


def test_postgres_stopped_mid_sync_is_a_clear_503_and_nothing_is_lost(cluster, tmp_path):
    station = start_station(tmp_path, cluster.url)
    proxy = FaultProxy(station.port)
    laptop = Client(tmp_path / "laptop", retries=2, backoff=0.05, batch_size=BATCH)
    try:
        station.import_grids(DEMO_GRIDS)
        local_grids(laptop)
        user = new_user(station)
        laptop.login(proxy.url, user)
        early = laptop.store.put_many("household", [household(n) for n in range(BATCH)])
        assert laptop.sync().pushed == BATCH
        late = laptop.store.put_many("household", [household(n) for n in range(BATCH, 4 * BATCH)])
        laptop.put("household", {"id": early[0], "phone": "13800138000"})
        total = 4 * BATCH + 1

        stopped = threading.Event()
        # the second batch of this sync reaches the station; PostgreSQL goes down under it
        proxy.on_request(lambda: (cluster.stop(), stopped.set()), skip=1)
        code, out, err = laptop.cli("sync")
        assert stopped.is_set()
        assert code == 1 and "稍后重试" in err and "Traceback" not in err + out, (out, err)
        held = laptop.acked()
        assert BATCH <= held < total and laptop.pending() == total - held

        # what any client hears meanwhile: 503, its reason in its language, and when to come back
        health = requests.get(station.url + "/health", timeout=10)
        assert health.status_code == 503 and health.json()["status"] == "degraded"
        headers = {**protocol.version_headers(), "Accept-Language": "en"}
        reply = requests.post(station.url + "/v1/login", headers=headers, timeout=10,
                              json={"user": user, "password": "correct horse 12", "device_id": new_id()})
        assert reply.status_code == 503 and reply.json()["code"] == "unavailable"
        assert "retry later" in reply.json()["message"] and reply.headers["Retry-After"]
        assert laptop.cli("sync")[0] == 1 and laptop.pending() == total - held      # still down: still kept

        cluster.start()
        result = laptop.sync()
        assert result.pushed == total - held and laptop.pending() == 0 and laptop.acked() == total
        assert station_applied(station, laptop.device_id) == list(range(1, total + 1))
        theirs = station_records(station, "household", early + late)
        assert len(theirs) == len(early + late) and theirs[early[0]]["phone"] == "13800138000"
        mine = {key: row for (_, key), row in laptop.snapshot(("household",)).items()}
        assert mine == theirs
    finally:
        proxy.close()
        laptop.close()
        station.stop()
    assert "Traceback" not in station.log()
