"""Plain http only for this computer or the local network, however the address is written."""
import pytest

from desktop.syncing.errors import SyncError
from desktop.syncing.transport import check_station_url


@pytest.mark.parametrize("url", ["http://127.0.0.1:8470", "http://192.168.1.10:8470", "http://zhan:8470",
                                 "http://zhan.local", "http://0x7f000001:8470", "http://10.0.0.5"])
def test_a_local_station_may_use_http(url):
    assert check_station_url(url) == url


@pytest.mark.parametrize("url", ["http://0x08080808", "http://134744072", "http://8.0x8.8", "http://8.8.8.8",
                                 "http://zhan.example.cn"])
def test_a_station_beyond_the_local_network_needs_https(url):
    with pytest.raises(SyncError) as refused:
        check_station_url(url)
    assert refused.value.code == "client_insecure_url"
