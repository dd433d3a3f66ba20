"""A line that drops every few kilobytes, slow and far (tests/support/link.py, the bench's bad link sped up):
the sync still completes, every change once, and the proxy's byte counts add up."""
from __future__ import annotations

import time

import pytest

from tests.support.clients import Client, household, local_grids, new_user, station_applied, station_records
from tests.support.fault_proxy import FaultProxy
from tests.support.link import Link

pytestmark = pytest.mark.usefixtures("file_tokens")


def test_a_line_cut_every_20_kb_still_delivers_every_change_once(sync_station, tmp_path):
    link = Link(rate_bps=4_000_000, delay_s=0.02, cut_every=20_000)
    proxy = FaultProxy(sync_station.port, link=link)
    laptop = Client(tmp_path / "laptop", retries=20, backoff=0.02, batch_size=100)
    try:
        local_grids(laptop)
        laptop.login(proxy.url, new_user(sync_station))
        ids = laptop.store.put_many("household", [household(n, notes=f"第{n}户，{'备注' * 20}") for n in range(1500)])
        started = time.monotonic()
        result = laptop.sync()
        assert link.cuts >= 3 and time.monotonic() - started >= 4 * 2 * link.delay_s   # the line did bite
        assert result.pushed == len(ids) and laptop.pending() == 0 and laptop.acked() == len(ids)
        assert station_applied(sync_station, laptop.device_id) == list(range(1, len(ids) + 1))
        assert len(station_records(sync_station, "household", ids)) == len(ids)
        assert proxy.bytes_up > 20_000 * link.cuts // 2 and proxy.bytes_down > 0
    finally:
        proxy.close()
        laptop.close()
