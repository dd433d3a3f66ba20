"""The sync engine's own parts, no station needed: addresses, the token, sync files, errors."""
import os
import re
import stat
import threading

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from desktop.store import replication
from desktop.syncing import BadSyncFile, NotLoggedIn, StationUnreachable, SyncEngine, SyncError
from desktop.syncing.credentials import TokenStore
from desktop.syncing.transport import check_station_url, describe
from sync import messages, syncfile
from tests.conftest import GRID

HEAD = {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三"}


class MemoryKeyring(KeyringBackend):
    """Stands in for the OS keyring, which this headless machine lacks."""
    priority = 1

    def __init__(self):
        super().__init__()
        self.secrets = {}

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring():
    previous, backend = keyring.get_keyring(), MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.mark.parametrize("url, expected", [
    ("https://zhan.example.cn/", "https://zhan.example.cn"),
    ("http://127.0.0.1:8470", "http://127.0.0.1:8470"),
    ("http://192.168.1.10:8470/", "http://192.168.1.10:8470"),
    ("http://localhost:8470", "http://localhost:8470"),
    ("http://zhan-server:8470", "http://zhan-server:8470"),
])
def test_station_addresses_accepted(url, expected):
    assert check_station_url(url) == expected


@pytest.mark.parametrize("url, code", [("http://8.8.8.8", "client_insecure_url"),
                                       ("http://zhan.example.cn", "client_insecure_url"),
                                       ("zhan.example.cn", "client_bad_url"), ("", "client_bad_url")])
def test_station_addresses_refused_with_a_reason(url, code):
    with pytest.raises(SyncError) as caught:
        check_station_url(url)
    assert caught.value.code == code and "https://" in caught.value.message("en")


def test_without_a_keyring_the_token_is_a_private_file_not_in_meta(store, no_keyring):
    tokens = TokenStore(store.path.parent, store.device_id)
    assert tokens.save("secret-token") == "file"
    assert stat.S_IMODE(os.stat(tokens.file).st_mode) == 0o600
    assert tokens.load() == "secret-token"
    tokens.clear()
    assert tokens.load() is None and not tokens.file.exists()


def test_with_a_keyring_the_token_stays_out_of_the_data_folder(store, memory_keyring):
    tokens = TokenStore(store.path.parent, store.device_id)
    assert tokens.save("secret-token") == "keyring"
    assert not tokens.file.exists() and tokens.load() == "secret-token"
    assert list(memory_keyring.secrets.values()) == ["secret-token"]
    tokens.clear()
    assert memory_keyring.secrets == {}


def test_sync_before_login_says_so(store):
    with pytest.raises(NotLoggedIn) as caught:
        SyncEngine(store).sync()
    assert "登录" in caught.value.message("zh_CN") and "log in" in caught.value.message("en")


def test_an_unreachable_station_is_retried_then_reported(store, no_keyring):
    TokenStore(store.path.parent, store.device_id).save("t")
    store.set_meta(station_url="http://127.0.0.1:9")        # discard port: nothing listens
    store.put("household", HEAD)
    engine = SyncEngine(store, retries=2, backoff=0.01)
    with pytest.raises(StationUnreachable) as caught:
        engine.sync()
    # the reason is put in the language the program runs in (zh_CN here), not left in English
    assert "连接被拒绝" in caught.value.message("zh_CN") and "refused" not in caught.value.message("zh_CN")
    assert replication.pending_count(store) == 1 and store.get_meta("last_sync") is None
    assert describe(ConnectionRefusedError("[Errno 111] Connection refused"), "en") == "connection refused"


def test_cancel_before_a_batch_keeps_everything(store, no_keyring):
    TokenStore(store.path.parent, store.device_id).save("t")
    store.set_meta(station_url="http://127.0.0.1:9")
    store.put("household", HEAD)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(SyncError) as caught:
        SyncEngine(store).sync(cancel=cancel)
    assert caught.value.code == "client_cancelled" and replication.pending_count(store) == 1


def test_export_carries_every_unacknowledged_change_and_set_asides_as_skips(store, tmp_path):
    ids = [store.put("household", {**HEAD, "address": f"幸福村3组{n}号"}) for n in range(5)]
    replication.acknowledge(store, 1)
    replication.set_aside(store, {3: "not yours"})
    engine = SyncEngine(store, batch_size=2)
    assert engine.export_file(tmp_path / "out.gbsync") == 3
    payload = syncfile.read(tmp_path / "out.gbsync", "push")
    assert payload["device"] == store.device_id and payload["cursor"] == 0
    changes = [c for batch in payload["batches"] for c in batch["changes"]]
    assert [(b["first"], b["last"]) for b in payload["batches"]] == [(2, 3), (4, 5)]
    assert changes[1] == {"seq": 3, "skip": True}
    assert [c["id"] for c in changes if "id" in c] == [ids[1], ids[3], ids[4]]


def reply(store, path, **fields):
    payload = {"device": store.device_id, "acked": 0, "rejected": [], "rows": [], "cursor": 0, **fields}
    syncfile.write(path, "reply", payload)


def test_a_reply_applies_once_and_an_older_one_moves_nothing_back(store, tmp_path):
    for n in range(3):
        store.put("household", {**HEAD, "address": f"幸福村3组{n}号"})
    engine = SyncEngine(store)
    reply(store, tmp_path / "r1", acked=3, cursor=7,
          rejected=[{"seq": 2, "code": "out_of_scope", "message": "不在您负责的网格内"}])
    result = engine.import_reply(tmp_path / "r1")
    assert (result.pushed, result.set_aside) == (2, 1)
    assert replication.pending_count(store) == 0 and store.get_meta("pull_cursor") == "7"
    assert [c["reason"] for c in replication.set_aside_changes(store)] == ["不在您负责的网格内"]
    again = engine.import_reply(tmp_path / "r1")
    assert (again.pushed, again.set_aside) == (0, 0)
    reply(store, tmp_path / "old", acked=1, cursor=2)
    engine.import_reply(tmp_path / "old")
    assert replication.acked_seq(store) == 3 and store.get_meta("pull_cursor") == "7"


def test_a_truncated_or_foreign_reply_is_refused_and_changes_nothing(store, tmp_path):
    store.put("household", HEAD)
    reply(store, tmp_path / "r", acked=1, cursor=5)
    data = (tmp_path / "r").read_bytes()
    (tmp_path / "cut").write_bytes(data[:-10])
    with pytest.raises(BadSyncFile) as caught:
        SyncEngine(store).import_reply(tmp_path / "cut")
    assert "不完整" in caught.value.message("zh_CN")
    syncfile.write(tmp_path / "other", "reply", {"device": "x" * 36, "acked": 1, "rows": [], "cursor": 5})
    with pytest.raises(BadSyncFile) as caught:
        SyncEngine(store).import_reply(tmp_path / "other")
    assert "another device" in caught.value.message("en")
    assert replication.pending_count(store) == 1 and store.get_meta("pull_cursor") is None


def test_every_client_message_has_both_languages_with_the_same_placeholders():
    codes = [c for c in messages.MESSAGES if c.startswith("client_")]
    assert len(codes) > 10
    for code in codes:
        zh, en = messages.MESSAGES[code]
        assert zh and en and set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), code


def test_a_missing_ca_bundle_is_named_not_a_traceback(store, no_keyring):
    TokenStore(store.path.parent, store.device_id).save("t")
    store.set_meta(station_url="https://zhan.example.cn", ca_bundle="/nonexistent/township-ca.pem")
    with pytest.raises(SyncError) as caught:
        SyncEngine(store).sync()
    assert caught.value.code == "client_ca_missing" and "township-ca.pem" in caught.value.message("en")
