"""The built folder dist/gridbook: both programs run without Python, and it holds the files loaded by path.

`make package` runs these right after building (GRIDBOOK_TEST_BUNDLE=1); a plain `make test` skips
them, since a dist/ left from an older build would test yesterday's code."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "gridbook"
EXE = ".exe" if sys.platform == "win32" else ""
INTERNAL = BUNDLE / "_internal"

if os.environ.get("GRIDBOOK_TEST_BUNDLE") != "1":
    pytest.skip("bundle tests run from `make package` (GRIDBOOK_TEST_BUNDLE=1)", allow_module_level=True)
if not (BUNDLE / f"gridbook{EXE}").exists():
    raise RuntimeError(f"no bundle at {BUNDLE}: run `make package` first")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bare_env() -> dict:
    """The environment without this virtualenv: the bundle must not lean on an installed Python."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    return env


def test_the_bundled_desktop_passes_its_selftest(tmp_path):
    shot = tmp_path / "selftest.png"
    result = subprocess.run([str(BUNDLE / f"gridbook{EXE}"), "--selftest", str(shot)], env=bare_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 10_000


def test_the_bundled_station_initialises_and_serves_over_http(tmp_path):
    station = str(BUNDLE / f"gridbook-station{EXE}")
    url = f"sqlite:///{tmp_path / 'station.sqlite3'}"
    init = subprocess.run([station, "--db", url, "init"], env=bare_env(), capture_output=True, text=True,
                          timeout=120)
    assert init.returncode == 0, init.stderr
    port = free_port()
    server = subprocess.Popen([station, "--db", url, "serve", "--port", str(port)], env=bare_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                reply = requests.get(f"http://127.0.0.1:{port}/health", timeout=5)
                break
            except requests.ConnectionError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "the station did not answer within 60 s"
                time.sleep(0.2)
        assert reply.status_code == 200
        assert reply.json()["status"] == "ok"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_bundle_holds_the_files_loaded_by_path():
    expected = ["resources/translations/gridbook_zh_CN.qm", "PySide6/Qt/translations/qtbase_zh_CN.qm",
                "desktop/store/migrations/env.py", "sync/station/migrations/env.py"]
    for relative in expected:
        assert (INTERNAL / relative).is_file(), relative
    for package in ("desktop/store", "sync/station"):
        source = sorted(p.name for p in (ROOT / package / "migrations" / "versions").glob("*.py"))
        bundled = sorted(p.name for p in (INTERNAL / package / "migrations" / "versions").glob("*.py"))
        assert bundled == source, package


def test_unused_qt_modules_were_left_out():
    qt_files = {p.name for p in INTERNAL.rglob("*") if "Qt" in p.name}     # QtQuick.pyd, libQt6Quick.so.6...
    for module in ("Quick", "Qml", "WebEngine", "Multimedia", "Pdf", "3DCore"):
        assert not [name for name in qt_files if module in name], module
    qt_translations = [p.name for p in (INTERNAL / "PySide6" / "Qt" / "translations").glob("*.qm")]
    assert qt_translations and all("zh_CN" in n or "_en" in n for n in qt_translations), qt_translations


def test_the_bundle_carries_sqlcipher_and_opens_an_encrypted_folder_with_its_passphrase(tmp_path):
    assert list((INTERNAL / "sqlcipher3").glob("_sqlite3*")), "the SQLCipher binding is not in the bundle"
    from desktop.store import open_store

    data = tmp_path / "data"
    store = open_store(data, passphrase="打包测试的恢复口令 2026")          # made by this Python, opened by the bundle
    store.put("grid", {"code": "420704100201", "name": "幸福村", "level": "village"})
    store.engine.dispose()
    env = {**bare_env(), "GRIDBOOK_SELFTEST_DATA": str(data), "GRIDBOOK_PASSPHRASE": "打包测试的恢复口令 2026",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = subprocess.run([str(BUNDLE / f"gridbook{EXE}"), "--selftest", str(tmp_path / "shot.png")], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    env["GRIDBOOK_PASSPHRASE"] = "不是这个口令 2026"
    wrong = subprocess.run([str(BUNDLE / f"gridbook{EXE}"), "--selftest", str(tmp_path / "shot2.png")], env=env,
                           capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 1 and "KeyUnavailable" in wrong.stderr
