"""Shared fixtures: a real store in a temporary data folder; Qt runs offscreen."""
import os

# Without a display pytest-qt would abort the whole run (exit 134): render offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GRIDBOOK_LANG", "zh_CN")
# Every data folder is encrypted: tests unlock theirs with this recovery passphrase (as a headless
# Linux without a keyring does), and subprocesses inherit it. tests/test_encryption.py unsets it.
os.environ.setdefault("GRIDBOOK_PASSPHRASE", "测试用的恢复口令 2026")
# ... and never touch the keyring of the machine running them (a Windows runner has a real one):
# tests that need a keyring set their own in-memory backend.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

import keyring
import pytest
from keyring.backends import fail

from desktop.services import Ledger
from desktop.store import keys, open_store
from desktop.ui import qt_messages
from tests.station_support import DEMO_GRIDS, running_station, start_station, station_backends

# Before pytest-qt's first per-test capture: it then always restores this handler, never None
# (None while a pool thread warns crashes PySide; see desktop/ui/qt_messages.py).
qt_messages.install()

GRID = "420704100201-03"
VILLAGE = "420704100201"


# argon2id at its real cost (64 MiB, 3 passes) would add ~0.3 s to each of the suite's hundreds of new
# data folders; the cost is stored in each key file, so folders made here open fast in subprocesses too.
# tests/test_encryption.py checks the real cost.
keys.KDF_COST = {"time_cost": 1, "memory_kib": 64, "parallelism": 1}


@pytest.fixture(autouse=True)
def chinese_messages():
    """`--lang en` switches the process-wide message language: every test starts in zh_CN."""
    from sync import messages

    messages.set_language("zh_CN")
    yield


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def store(data_dir):
    store = open_store(data_dir)
    store.put("grid", {"code": VILLAGE, "name": "幸福村", "level": "village"})
    store.put("grid", {"code": GRID, "name": "幸福村第三网格", "level": "grid", "parent_code": VILLAGE})
    yield store
    store.engine.dispose()


@pytest.fixture
def ledger(store):
    return Ledger(store)


@pytest.fixture(params=station_backends())
def station(request, tmp_path):
    """A real station (uvicorn subprocess) with DEMO_GRIDS, on SQLite (and PostgreSQL if GRIDBOOK_TEST_PG)."""
    yield from running_station(request.param, tmp_path)


@pytest.fixture
def file_tokens():
    """Tokens go to the data folder, never into the keyring of the machine running the tests."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(scope="module")
def sync_station(tmp_path_factory):
    """One real station (uvicorn on a free port, SQLite) with the demo hierarchy, per test module."""
    station = start_station(tmp_path_factory.mktemp("station"))
    station.import_grids(DEMO_GRIDS)
    yield station
    station.stop()
